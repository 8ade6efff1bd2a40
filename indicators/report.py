"""What the yearly county report needs of the indicators, as plain values.

The county report (app countyreport, above this app) uses these as its indicator sections; the
values here are frozen dataclasses of strings, numbers and tuples, with no
model instances, so the report's content is the same for the same data.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from actionplan.models import Goal

from .assessment import method_paragraphs
from .figures import indicator_figures
from .models import Indicator, IndicatorValue


@dataclass(frozen=True)
class ReportIndicatorYear:
    year: int
    county: Decimal | None
    women: Decimal | None = None
    men: Decimal | None = None


@dataclass(frozen=True)
class ReportIndicator:
    name: str
    unit: str
    source: str
    assessment: str  # "Går åt önskat håll. Ökade från 82 (2022) till 119 (2023), +45 %: …"
    chart_svg: str  # the accessible SVG, without a nonce or inline CSS: fit for the PDF
    years: tuple[ReportIndicatorYear, ...]  # oldest first, up to the report's year


@dataclass(frozen=True)
class ReportGoalIndicators:
    number: int
    title: str
    indicators: tuple[ReportIndicator, ...]


def goal_indicators_for_report(year: int) -> tuple[ReportGoalIndicators, ...]:
    """Per goal of the current strategy (every goal, in order, also those without indicators),
    its indicators' figures up to and including `year`, assessed as of that year.

    Four queries, however many goals, indicators and values: the goals, their indicators, the
    typed values and the yes/no answers.
    """
    goals = list(
        Goal.objects.filter(strategy__start_year__lte=year)
        .order_by("-strategy__start_year", "number")
        .prefetch_related(Prefetch("indicators", queryset=Indicator.objects.order_by("name")))
    )
    if goals:
        # The strategy in force that year: the latest that had started.
        goals = [goal for goal in goals if goal.strategy_id == goals[0].strategy_id]
    indicators = {indicator.pk: indicator for goal in goals for indicator in goal.indicators.all()}
    figures = {
        item.indicator.pk: item
        for item in indicator_figures(list(indicators.values()), up_to_year=year)
    }
    return tuple(
        ReportGoalIndicators(
            number=goal.number,
            title=goal.title,
            indicators=tuple(_report_indicator(figures[i.pk]) for i in goal.indicators.all()),
        )
        for goal in goals
    )


def _report_indicator(item) -> ReportIndicator:
    indicator = item.indicator
    return ReportIndicator(
        name=indicator.name,
        unit=indicator.unit,
        source=indicator.source,
        assessment=item.assessment.summary,
        # A plain str: the page's SafeString is the page's business (str() would keep it).
        chart_svg="".join([item.trend_svg]),
        years=tuple(
            ReportIndicatorYear(point.year, point.county, point.women, point.men)
            for point in item.years
        ),
    )


def assessment_method() -> tuple[str, ...]:
    """The method section's paragraphs, as on the goal pages."""
    return method_paragraphs()


@dataclass(frozen=True)
class ReportIndicatorValue:
    """One typed value, as the workbook's indicator sheet lists it."""

    indicator: str
    unit: str
    year: int
    area: str
    sex: str
    value: Decimal


def indicator_values_for_report(year: int) -> tuple[ReportIndicatorValue, ...]:
    """Every typed value up to and including `year`, county and areas alike, in one query.

    Yes/no questions have no typed values: their county share is in the goal sections' series.
    """
    rows = (
        IndicatorValue.objects.filter(year__lte=year)
        .order_by("indicator__name", "year", "area__kind", "area__code", "sex")
        .values_list("indicator__name", "indicator__unit", "year", "area__name", "sex", "value")
    )
    sex_labels = dict(IndicatorValue.Sex.choices)
    return tuple(
        ReportIndicatorValue(name, unit, value_year, area, str(sex_labels[sex]), value)
        for name, unit, value_year, area, sex, value in rows.iterator()
    )
