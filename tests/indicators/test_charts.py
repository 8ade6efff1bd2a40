"""The charts: valid, accessible SVG with no script and no inline CSS, that WeasyPrint draws."""

import xml.etree.ElementTree as ElementTree
from decimal import Decimal

import pytest
import weasyprint
from django.core.cache import cache
from django.utils import translation
from redis.exceptions import RedisError

from indicators.assessment import IndicatorFacts, assess
from indicators.charts import (
    AreaBar,
    Colours,
    YearPoint,
    area_chart,
    draw_area_chart,
    draw_trend_chart,
    trend_chart,
)
from indicators.models import Indicator

SVG = "{http://www.w3.org/2000/svg}"

POINTS = [
    YearPoint(2021, Decimal(80), women=Decimal(90), men=Decimal(70)),
    YearPoint(2022, Decimal(82), women=Decimal(91), men=Decimal(73)),
    YearPoint(2023, Decimal(119), women=Decimal(120), men=Decimal(118)),
]
BARS = [
    AreaBar("Huddinge", Decimal(12)),
    AreaBar("Stockholms län", Decimal("10.5"), is_county=True),
    AreaBar("Botkyrka", Decimal("8.5")),
]


@pytest.fixture(autouse=True)
def swedish():
    with translation.override("sv"):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def draw_trend(**kwargs):
    facts = IndicatorFacts(Indicator.Kind.COUNT, Indicator.Direction.INCREASE)
    arguments = {
        "chart_id": "indicator-1-trend",
        "name": "Anmälda brott",
        "points": POINTS,
        "assessment": assess(facts, {point.year: point.county for point in POINTS}),
    } | kwargs
    return trend_chart(**arguments)


def draw_areas():
    return area_chart(chart_id="indicator-1-areas", name="Anmälda brott", year=2023, bars=BARS)


@pytest.mark.parametrize("draw", [draw_trend, draw_areas])
def test_a_chart_is_an_image_named_by_its_title_and_description(draw):
    root = ElementTree.fromstring(draw())
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root[0], root[1]
    assert (title.tag, desc.tag) == (f"{SVG}title", f"{SVG}desc")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text and desc.text
    # One title and one description: pygal's own per-guide titles would be read as noise.
    assert len(root.findall(f".//{SVG}title")) == 1
    assert len(root.findall(f".//{SVG}desc")) == 1


@pytest.mark.parametrize("draw", [draw_trend, draw_areas])
def test_a_chart_has_no_script_and_no_inline_css_the_policy_would_block(draw):
    svg = draw()
    root = ElementTree.fromstring(svg)
    assert root.findall(f".//{SVG}script") == []
    assert root.findall(f".//{SVG}style") == []
    assert all("style" not in element.attrib for element in root.iter())
    assert not any(
        name.lower().startswith("on") for element in root.iter() for name in element.attrib
    )


def test_the_trend_chart_says_the_latest_value_and_the_direction():
    root = ElementTree.fromstring(draw_trend(target=Decimal(150), target_year=2026))
    title, desc = root[0].text, root[1].text
    assert title == "Anmälda brott: länet per år"
    assert "Senaste värdet är 119 (2023)." in desc
    assert "Går åt önskat håll." in desc
    assert "Målvärdet 150 för 2026 är markerat." in desc
    assert "Kvinnor och män visas som egna linjer." in desc


def test_the_trend_chart_draws_its_years_and_series_in_the_palette():
    svg = draw_trend(target=Decimal(150), target_year=2026)
    texts = [element.text for element in ElementTree.fromstring(svg).iter(f"{SVG}text")]
    # Every year on the axis up to the target year, the legend's series names.
    for label in ("2021", "2023", "2024", "2026", "Länet", "Kvinnor", "Män", "Målvärde"):
        assert label in texts
    assert Colours.BRAND in svg and Colours.WOMEN in svg and Colours.WARN in svg
    # pygal's default colours are gone.
    assert "#F44336" not in svg


def test_a_series_without_women_and_men_has_only_the_county_line():
    points = [YearPoint(2022, Decimal(5)), YearPoint(2023, Decimal(6))]
    facts = IndicatorFacts(Indicator.Kind.COUNT, Indicator.Direction.INCREASE)
    svg = trend_chart(
        chart_id="c",
        name="X",
        points=points,
        assessment=assess(facts, {2022: Decimal(5), 2023: Decimal(6)}),
    )
    lines = [
        element
        for element in ElementTree.fromstring(svg).iter(f"{SVG}path")
        if "line reactive" in element.get("class", "")
    ]
    assert len(lines) == 1
    assert "Kvinnor" not in svg


def test_the_area_chart_lists_the_areas_and_marks_the_county():
    svg = draw_areas()
    root = ElementTree.fromstring(svg)
    texts = [element.text for element in root.iter(f"{SVG}text")]
    assert {"Huddinge", "Stockholms län", "Botkyrka"} <= set(texts)
    desc = root[1].text
    assert "Högst: Huddinge, 12. Lägst: Botkyrka, 8,5." in desc
    assert "Länet som helhet, 10,5, är markerat med mörkare färg." in desc
    fills = [
        element.get("fill") for element in root.iter(f"{SVG}g") if element.get("class") == "bar"
    ]
    assert fills.count(Colours.BRAND) == 1
    assert fills.count(Colours.BAR) == 2


def test_the_same_data_draws_the_same_svg():
    # pygal names each chart by a random id; the county report's checksum needs the same bytes.
    arguments = {"chart_id": "a", "name": "X", "year": 2023, "bars": BARS}
    assert draw_area_chart(**arguments) == draw_area_chart(**arguments)
    facts = IndicatorFacts(Indicator.Kind.COUNT, Indicator.Direction.INCREASE)
    arguments = {"chart_id": "t", "name": "X", "points": POINTS, "assessment": assess(facts, {})}
    assert draw_trend_chart(**arguments) == draw_trend_chart(**arguments)


def test_a_chart_is_drawn_once_and_changed_data_draw_a_new_one():
    first = draw_areas()
    assert draw_areas() is not None and draw_areas() == first
    changed = area_chart(
        chart_id="indicator-1-areas",
        name="Anmälda brott",
        year=2023,
        bars=[*BARS[:2], AreaBar("Botkyrka", Decimal("9.5"))],
    )
    assert changed != first
    assert "Lägst: Botkyrka, 9,5." in changed


def test_a_chart_in_english_is_not_served_from_the_swedish_one():
    swedish = draw_areas()
    with translation.override("en"):
        english = draw_areas()
    assert english != swedish
    assert "Highest: Huddinge, 12." in english


def test_an_empty_chart_says_so():
    facts = IndicatorFacts(Indicator.Kind.COUNT, Indicator.Direction.INCREASE)
    svg = trend_chart(chart_id="c", name="X", points=[], assessment=assess(facts, {}))
    assert "Diagrammet har inga värden ännu." in svg
    assert "har inga värden för 2023" in area_chart(chart_id="a", name="X", year=2023, bars=[])


def test_weasyprint_draws_the_charts_in_a_pdf():
    html = f"<html lang='sv'><body>{draw_trend()}{draw_areas()}</body></html>"
    pdf = weasyprint.HTML(string=html).write_pdf()
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 5_000  # drawn paths, not an empty page


@pytest.mark.parametrize("draw", [draw_trend, draw_areas])
def test_a_chart_has_only_its_own_ids_so_two_on_a_page_never_repeat_one(draw):
    root = ElementTree.fromstring(draw())
    ids = [element.get("id") for element in root.iter() if element.get("id")]
    assert ids == [root.get("id"), f"{root.get('id')}-title", f"{root.get('id')}-desc"]


def test_a_single_line_has_no_legend():
    facts = IndicatorFacts(Indicator.Kind.COUNT, Indicator.Direction.INCREASE)
    points = [YearPoint(2022, Decimal(5)), YearPoint(2023, Decimal(6))]
    svg = trend_chart(chart_id="c", name="X", points=points, assessment=assess(facts, {}))
    assert 'class="legends"' not in svg
    assert 'class="legends"' in draw_trend()


def test_a_chart_is_drawn_without_the_cache_when_redis_is_down(monkeypatch):
    class DownCache:
        def get(self, key):
            raise RedisError("connection refused")

        def set(self, key, value, timeout):
            raise RedisError("connection refused")

    monkeypatch.setattr("indicators.charts.cache", DownCache())

    assert draw_areas().startswith("<svg")
