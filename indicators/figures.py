"""An indicator's figures as the goal pages and the county report show them: the yearly county
values (in total, for women and for men), the areas in the latest year, the assessment and the
charts, read for many indicators in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils.safestring import SafeString, mark_safe

from .assessment import SHARE_KINDS, Assessment, assess
from .charts import AreaBar, YearPoint, area_chart, trend_chart
from .models import Area, Indicator, IndicatorValue, SurveyAnswer, share_in_percent


@dataclass(frozen=True)
class AreaFigure:
    name: str
    kind: str
    value: Decimal | None  # typed figures; a yes/no question's answer is in `answer`
    answer: bool | None = None

    @property
    def is_county(self) -> bool:
        return self.kind == Area.Kind.COUNTY


@dataclass(frozen=True)
class IndicatorFigures:
    indicator: Indicator
    years: tuple[YearPoint, ...]  # oldest first
    assessment: Assessment
    trend_svg: SafeString
    area_year: int | None
    areas: tuple[AreaFigure, ...]  # by value, largest first (the county among them)
    area_svg: SafeString | None  # None for a yes/no question: a bar of 0 or 100 says nothing

    @property
    def is_share(self) -> bool:
        return self.indicator.kind in SHARE_KINDS

    @property
    def has_sex_breakdown(self) -> bool:
        return any(point.women is not None or point.men is not None for point in self.years)

    @property
    def areas_by_name(self) -> tuple[AreaFigure, ...]:
        return tuple(sorted(self.areas, key=lambda area: (not area.is_county, area.name)))


def indicator_figures(
    indicators: list[Indicator], *, up_to_year: int | None = None
) -> list[IndicatorFigures]:
    """The figures of these indicators (in their order), up to and including a year when given.

    Two queries, however many indicators, years and areas: the typed values, and the yes/no
    answers per area (the county shares are computed from them).
    """
    indicator_ids = [indicator.pk for indicator in indicators]
    values = IndicatorValue.objects.filter(indicator_id__in=indicator_ids).select_related("area")
    answers = SurveyAnswer.objects.filter(indicator_id__in=indicator_ids).select_related("area")
    if up_to_year is not None:
        values = values.filter(year__lte=up_to_year)
        answers = answers.filter(year__lte=up_to_year)

    county: dict[int, dict[int, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    by_area: dict[int, dict[int, list[AreaFigure]]] = defaultdict(lambda: defaultdict(list))
    for value in values.order_by():
        if value.area.is_county:
            county[value.indicator_id][value.year][value.sex] = value.value
        if value.sex == IndicatorValue.Sex.ALL:
            by_area[value.indicator_id][value.year].append(
                AreaFigure(value.area.name, value.area.kind, value.value)
            )
    yes_and_answered: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    for answer in answers.order_by():
        by_area[answer.indicator_id][answer.year].append(
            AreaFigure(answer.area.name, answer.area.kind, None, answer.answer)
        )
        counts = yes_and_answered[answer.indicator_id, answer.year]
        counts[0] += answer.answer
        counts[1] += 1
    # The county share from the answers just read, as SurveyAnswerQuerySet.county_shares
    # computes it in the database.
    for (indicator_id, year), (yes, total) in yes_and_answered.items():
        county[indicator_id][year][IndicatorValue.Sex.ALL] = share_in_percent(yes, total)

    return [
        _figures(indicator, county.get(indicator.pk, {}), by_area.get(indicator.pk, {}))
        for indicator in indicators
    ]


def _figures(indicator: Indicator, county: dict, by_area: dict) -> IndicatorFigures:
    sexes = IndicatorValue.Sex
    years = tuple(
        YearPoint(
            year,
            county[year].get(sexes.ALL),
            women=county[year].get(sexes.WOMEN),
            men=county[year].get(sexes.MEN),
        )
        for year in sorted(county)
    )
    assessment = assess(indicator, {point.year: point.county for point in years})
    is_share = indicator.kind in SHARE_KINDS
    # The chart's SVG is built by lxml, which escapes every text (names come from the database),
    # so it is safe to put into the page as it is.
    trend_svg = mark_safe(  # noqa: S308
        trend_chart(
            chart_id=f"indicator-{indicator.pk}-trend",
            name=indicator.name,
            points=years,
            assessment=assessment,
            is_share=is_share,
            target=indicator.target,
            target_year=indicator.target_year,
        )
    )
    # The comparison needs somebody to compare with: years with the county's figure alone
    # are left out.
    by_area = {
        year: areas for year, areas in by_area.items() if any(not area.is_county for area in areas)
    }
    area_year = max(by_area) if by_area else None
    areas = tuple(
        sorted(
            by_area.get(area_year, []),
            key=lambda area: (
                -(area.value if area.value is not None else Decimal(area.answer or 0)),
                area.name,
            ),
        )
    )
    area_svg = None
    if area_year is not None and not indicator.is_yes_no:
        area_svg = mark_safe(  # noqa: S308
            area_chart(
                chart_id=f"indicator-{indicator.pk}-areas",
                name=indicator.name,
                year=area_year,
                bars=[AreaBar(area.name, area.value, area.is_county) for area in areas],
                is_share=is_share,
            )
        )
    return IndicatorFigures(
        indicator=indicator,
        years=years,
        assessment=assessment,
        trend_svg=trend_svg,
        area_year=area_year,
        areas=areas,
        area_svg=area_svg,
    )
