"""The indicators' charts: SVG drawn on the server by pygal, readable without sight.

Each chart is an SVG with role="img", a <title> and a <desc> that say in words what it shows
(the latest value and the direction), and the numbers are also in a table beside it on the page.

The portal's Content-Security-Policy allows no inline styles, and pygal puts its look in a
<style> element. So the chart's CSS is turned into SVG presentation attributes (fill="…",
stroke="…"), which are not CSS and which the policy allows, and the <style> element is removed:
the same SVG then draws alike inline on a page, in the PDF (WeasyPrint) and as a file, with no
nonce to carry around. pygal's <script> (its tooltips) goes too: the chart is a picture.
"""

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import cssselect2
import pygal
import tinycss2
from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from lxml import etree
from pygal.style import Style
from redis.exceptions import RedisError

from .assessment import Assessment, format_value

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
# Part of every cached chart's key: raise it when the drawing changes, so no old one is served.
CHART_VERSION = 1
CHART_CACHE_TIMEOUT = 24 * 60 * 60

logger = logging.getLogger(__name__)


class Colours:
    """The charts' colours: the design tokens of frontend/_tokens.scss, which the stylesheet uses
    too (tests/kvinnofrid/test_design_system.py proves each one equals its $kf- token).

    Every series colour has a contrast of at least 3:1 against the white plot (WCAG 1.4.11),
    and the series differ by dash pattern and marker as well, not by colour alone.
    """

    BRAND = "#5b1f6b"  # $kf-brand, Kvinnofrid purple: the county, the total
    INK = "#1b1b1f"  # $kf-ink: text, axes
    MUTED = "#4a4a55"  # $kf-muted: guides, the men's line (contrast 8.9:1)
    LINE = "#c8c8d0"  # $kf-line: minor guides
    WARN = "#7a4a00"  # $kf-warn: the target (contrast 7.5:1)
    WOMEN = "#a3336e"  # a lighter plum beside the brand for the women's line (contrast 5.9:1)
    BAR = "#8a6c94"  # the municipalities' bars, a muted purple (contrast 4.6:1)
    BACKGROUND = "#ffffff"


FONT = '"DejaVu Sans", system-ui, sans-serif'  # DejaVu is the one WeasyPrint is sure to have

STYLE = Style(
    background=Colours.BACKGROUND,
    plot_background=Colours.BACKGROUND,
    foreground=Colours.INK,
    foreground_strong=Colours.INK,
    foreground_subtle=Colours.LINE,
    opacity="1",
    stroke_opacity="1",
    guide_stroke_color=Colours.LINE,
    major_guide_stroke_color=Colours.MUTED,
    opacity_hover="1",
    transition="none",
    font_family=FONT,
    label_font_size=14,
    major_label_font_size=14,
    legend_font_size=14,
    value_font_size=14,
    tooltip_font_size=14,
    colors=(Colours.BRAND, Colours.WOMEN, Colours.MUTED, Colours.WARN),
)

# The CSS properties that SVG also takes as presentation attributes.
PRESENTATION_ATTRIBUTES = frozenset(
    {
        "fill",
        "fill-opacity",
        "stroke",
        "stroke-width",
        "stroke-opacity",
        "stroke-dasharray",
        "stroke-linecap",
        "stroke-linejoin",
        "opacity",
        "font-family",
        "font-size",
        "font-weight",
        "text-anchor",
        "dominant-baseline",
        "display",
        "visibility",
    }
)

# Rules for these states have nothing to become in a still picture.
INTERACTIVE_STATES = (":hover", ":active", ":focus", ":visited", ":link")


@dataclass(frozen=True)
class YearPoint:
    year: int
    county: Decimal | None
    women: Decimal | None = None
    men: Decimal | None = None


@dataclass(frozen=True)
class AreaBar:
    name: str
    value: Decimal
    is_county: bool = False


def trend_chart(**arguments) -> str:
    """The trend chart (see `draw_trend_chart`), drawn once for the same data and language."""
    return _drawn_once("trend", draw_trend_chart, arguments)


def area_chart(**arguments) -> str:
    """The areas' chart (see `draw_area_chart`), drawn once for the same data and language."""
    return _drawn_once("areas", draw_area_chart, arguments)


def _drawn_once(kind: str, draw, arguments: dict) -> str:
    """Drawing takes a tenth of a second or more a chart, so the SVG is kept in the cache under
    a key made of everything it is drawn from: changed data or language make a new key, so no
    entry ever needs to be dropped. Without the cache (Redis down), it is drawn every time."""
    inputs = repr((CHART_VERSION, kind, get_language(), sorted(arguments.items())))
    key = f"indicators:chart:{hashlib.sha256(inputs.encode()).hexdigest()}"
    try:
        svg = cache.get(key)
    except RedisError:
        logger.warning("Chart cache unavailable; drawing without it.", exc_info=True)
        return draw(**arguments)
    if svg is None:
        svg = draw(**arguments)
        try:
            cache.set(key, svg, timeout=CHART_CACHE_TIMEOUT)
        except RedisError:
            logger.warning("Chart cache unavailable; not kept.", exc_info=True)
    return svg


def draw_trend_chart(
    *,
    chart_id: str,
    name: str,
    points: Sequence[YearPoint],
    assessment: Assessment,
    is_share: bool = False,
    target: Decimal | None = None,
    target_year: int | None = None,
) -> str:
    """A line chart of the county's yearly values (and women's and men's when given), with the
    target as a marker in its year."""
    # Every year from the first to the last (or to the target year), so that the distance
    # between two years on the axis is always one year, gaps included.
    known_years = {point.year for point in points}
    if target is not None and target_year is not None:
        known_years.add(target_year)
    years = list(range(min(known_years), max(known_years) + 1)) if known_years else []
    by_year = {point.year: point for point in points}
    chart = pygal.Line(
        **_config(is_share),
        height=420,
        x_labels=[str(year) for year in years],
        show_legend=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=4,
        allow_interruptions=True,
    )

    def series_of(attribute):
        return [_number(getattr(by_year.get(year), attribute, None)) for year in years]

    chart.add(_("Länet"), series_of("county"), stroke_style={"width": 3}, dots_size=4)
    if any(point.women is not None for point in points):
        chart.add(_("Kvinnor"), series_of("women"), stroke_style={"width": 2, "dasharray": "8, 4"})
    if any(point.men is not None for point in points):
        chart.add(_("Män"), series_of("men"), stroke_style={"width": 2, "dasharray": "2, 4"})
    if target is not None and target_year is not None:
        chart.add(
            _("Målvärde"),
            [_number(target) if year == target_year else None for year in years],
            stroke=False,
            dots_size=7,
        )
    # One line needs no legend (the title names it), and pygal leaves too little room below
    # a legend of one.
    chart.show_legend = len(chart.raw_series) > 1
    return finish(
        chart.render(is_unicode=True),
        chart_id=chart_id,
        title=_("%(name)s: länet per år") % {"name": name},
        description=trend_description(points, assessment, is_share, target, target_year),
    )


def trend_description(points, assessment, is_share, target, target_year) -> str:
    with_values = [point for point in points if point.county is not None]
    if not with_values:
        return _("Diagrammet har inga värden ännu.")
    first, last = with_values[0], with_values[-1]
    parts = [
        _("Linjediagram över länets värde per år från %(first)s till %(last)s.")
        % {"first": first.year, "last": last.year},
        _("Senaste värdet är %(value)s (%(year)s).")
        % {"value": format_value(last.county, is_share), "year": last.year},
    ]
    if any(point.women is not None or point.men is not None for point in points):
        parts.append(_("Kvinnor och män visas som egna linjer."))
    if target is not None and target_year is not None:
        parts.append(
            _("Målvärdet %(target)s för %(year)s är markerat.")
            % {"target": format_value(target, is_share), "year": target_year}
        )
    parts.append(assessment.summary)
    return " ".join(parts)


def draw_area_chart(
    *, chart_id: str, name: str, year: int, bars: Sequence[AreaBar], is_share: bool = False
) -> str:
    """A horizontal bar chart of the areas' values in one year, largest first, with the county's
    own bar in the brand colour among them."""
    ordered = sorted(bars, key=lambda bar: (-bar.value, bar.name))
    chart = pygal.HorizontalBar(
        **_config(is_share),
        # Enough height for a readable label per bar.
        height=80 + 26 * max(len(ordered), 1),
        show_legend=False,
        # pygal draws the first label at the bottom: reversed, the largest is on top.
        x_labels=[bar.name for bar in reversed(ordered)],
        print_values=False,
        # The value axis runs across: a label at every guide would overlap.
        show_minor_x_labels=False,
        x_labels_major_count=6,
        truncate_label=-1,
    )
    chart.add(
        name,
        [
            {
                "value": _number(bar.value),
                "color": Colours.BRAND if bar.is_county else Colours.BAR,
            }
            for bar in reversed(ordered)
        ],
    )
    return finish(
        chart.render(is_unicode=True),
        chart_id=chart_id,
        title=_("%(name)s: länet och kommunerna %(year)s") % {"name": name, "year": year},
        description=area_description(ordered, year, is_share),
    )


def area_description(ordered: Sequence[AreaBar], year: int, is_share: bool) -> str:
    if not ordered:
        return _("Diagrammet har inga värden för %(year)s.") % {"year": year}
    highest, lowest = ordered[0], ordered[-1]
    parts = [
        _("Liggande stapeldiagram över %(count)s områden %(year)s, störst värde först.")
        % {"count": len(ordered), "year": year},
        _("Högst: %(name)s, %(value)s. Lägst: %(lowest)s, %(lowest_value)s.")
        % {
            "name": highest.name,
            "value": format_value(highest.value, is_share),
            "lowest": lowest.name,
            "lowest_value": format_value(lowest.value, is_share),
        },
    ]
    county = next((bar for bar in ordered if bar.is_county), None)
    if county is not None:
        parts.append(
            _("Länet som helhet, %(value)s, är markerat med mörkare färg.")
            % {"value": format_value(county.value, is_share)}
        )
    return " ".join(parts)


def _config(is_share: bool) -> dict:
    return {
        "style": STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "no_prefix": True,
        "width": 800,
        "margin": 16,
        "value_formatter": lambda value: format_value(Decimal(str(value)), is_share),
        "no_data_text": _("Inga värden"),
        "tooltip_fancy_mode": False,
    }


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def finish(svg: str, *, chart_id: str, title: str, description: str) -> str:
    """pygal's SVG made accessible, free of script and style, and the same for the same data."""
    root = etree.fromstring(svg.encode())
    _inline_styles(root)
    for element in root.iter(etree.Comment):
        element.getparent().remove(element)
    # pygal's tooltips (script, hidden groups, their desc elements) and the titles it puts on
    # every guide: with role="img" the picture is one image with one title and description.
    for tag in ("script", "style", "title", "desc"):
        for element in root.findall(f".//{{{SVG_NAMESPACE}}}{tag}"):
            element.getparent().remove(element)
    for element in root.xpath(
        "//svg:*[contains(concat(' ', @class, ' '), ' tooltip ')]",
        namespaces={"svg": SVG_NAMESPACE},
    ):
        element.getparent().remove(element)
    for element in root.iter():
        # pygal's ids serve its script, and would repeat with two charts on a page.
        element.attrib.pop("id", None)
        _style_attribute_to_presentation(element)
        # pygal gives every line the hover rule's width, which in a browser its own series rule
        # would beat; without the cascade, the line takes its series' width by inheritance.
        if "reactive" in element.get("class", "").split() and element.tag.endswith("path"):
            element.attrib.pop("stroke-width", None)

    # The caller's id, unique on its page, in place of pygal's random one: the same data draws
    # the same SVG (the county report names its input by a checksum).
    stable_id = chart_id
    root.set("id", stable_id)
    root.set("role", "img")
    root.set("aria-labelledby", f"{stable_id}-title {stable_id}-desc")
    root.set("width", "100%")
    title_element = etree.Element(f"{{{SVG_NAMESPACE}}}title", id=f"{stable_id}-title")
    title_element.text = title
    desc_element = etree.Element(f"{{{SVG_NAMESPACE}}}desc", id=f"{stable_id}-desc")
    desc_element.text = description
    root.insert(0, desc_element)
    root.insert(0, title_element)
    return etree.tostring(root, encoding="unicode")


def _style_attribute_to_presentation(element) -> None:
    """style="fill: …" (a series' own colour, a dash pattern) as attributes the policy allows."""
    style = element.attrib.pop("style", None)
    if not style:
        return
    for declaration in tinycss2.parse_blocks_contents(
        style, skip_comments=True, skip_whitespace=True
    ):
        if declaration.type == "declaration" and declaration.lower_name in PRESENTATION_ATTRIBUTES:
            element.set(declaration.lower_name, tinycss2.serialize(declaration.value).strip())


def _inline_styles(root) -> None:
    """Turn the SVG's <style> rules into presentation attributes on the elements they match.

    Later and more specific rules win, as in CSS, and !important ones win over the rest;
    rules for :hover and other states have no attribute to become and are left out.
    """
    matcher = cssselect2.Matcher()
    for style in root.iter(f"{{{SVG_NAMESPACE}}}style"):
        rules = tinycss2.parse_stylesheet(
            style.text or "", skip_comments=True, skip_whitespace=True
        )
        for rule in rules:
            if rule.type != "qualified-rule":
                continue
            declarations = [
                (
                    declaration.lower_name,
                    tinycss2.serialize(declaration.value).strip(),
                    declaration.important,
                )
                for declaration in tinycss2.parse_declaration_list(
                    rule.content, skip_comments=True, skip_whitespace=True
                )
                if declaration.type == "declaration"
                and declaration.lower_name in PRESENTATION_ATTRIBUTES
            ]
            if not declarations:
                continue
            for selector_text in tinycss2.serialize(rule.prelude).split(","):
                if any(state in selector_text for state in INTERACTIVE_STATES):
                    continue
                try:
                    selectors = cssselect2.compile_selector_list(selector_text)
                except cssselect2.SelectorError:
                    continue
                for selector in selectors:
                    if selector.pseudo_element is None:
                        matcher.add_selector(selector, declarations)
    wrapper = cssselect2.ElementWrapper.from_xml_root(root)
    for element in wrapper.iter_subtree():
        matches = matcher.match(element)
        if not matches:
            continue
        # Lowest specificity first, in source order: later assignments win.
        ordered = [declarations for *_rest, declarations in matches]
        for important in (False, True):
            for declarations in ordered:
                for name, value, is_important in declarations:
                    if is_important == important:
                        element.etree_element.set(name, value)
