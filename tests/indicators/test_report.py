"""The indicators' part of the county report: plain values per goal, in fixed queries."""

import dataclasses
from decimal import Decimal

import pytest
from django.utils import translation

from indicators.models import Indicator, IndicatorValue
from indicators.report import ReportIndicatorYear, assessment_method, goal_indicators_for_report
from tests.factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    SurveyAnswerFactory,
    area,
    shipped_goal,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def swedish():
    with translation.override("sv"):
        yield


def add_indicators(count):
    for number in range(count):
        indicator = IndicatorFactory(
            kind=Indicator.Kind.COUNT,
            desired_direction=Indicator.Direction.INCREASE,
            goals=[shipped_goal(1 + number % 8)],
            by_sex=True,
        )
        for year in (2022, 2023, 2024):
            IndicatorValueFactory(indicator=indicator, year=year, value=100 + year - 2022)
            IndicatorValueFactory(
                indicator=indicator, year=year, sex=IndicatorValue.Sex.WOMEN, value=60
            )
            IndicatorValueFactory(indicator=indicator, year=year, area=area("0126"), value=5)
        SurveyAnswerFactory(indicator__goals=[shipped_goal(1 + number % 8)], year=2023)


def assert_plain(value):
    """Strings, numbers, None and tuples or dataclasses of them: no model instances."""
    if dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            assert_plain(getattr(value, field.name))
    elif isinstance(value, tuple):
        for item in value:
            assert_plain(item)
    else:
        assert value is None or type(value) in (str, int, Decimal), type(value)


def test_every_goal_has_its_indicators_with_the_values_up_to_the_year():
    indicator = IndicatorFactory(
        name="Anmälda brott",
        unit="antal",
        source="Brå",
        kind=Indicator.Kind.COUNT,
        desired_direction=Indicator.Direction.INCREASE,
        goals=[shipped_goal(2)],
        by_sex=True,
    )
    for year, value in ((2022, 82), (2023, 119), (2024, 10)):
        IndicatorValueFactory(indicator=indicator, year=year, value=value)
    IndicatorValueFactory(indicator=indicator, year=2023, sex=IndicatorValue.Sex.MEN, value=19)

    goals = goal_indicators_for_report(2023)

    assert [goal.number for goal in goals] == list(range(1, 9))
    assert goals[0].indicators == ()
    [section] = goals[1].indicators
    assert (section.name, section.unit, section.source) == ("Anmälda brott", "antal", "Brå")
    # 2024 is after the report's year: not in its figures, nor in its assessment.
    assert section.years == (
        ReportIndicatorYear(2022, Decimal(82)),
        ReportIndicatorYear(2023, Decimal(119), men=Decimal(19)),
    )
    assert section.assessment == (
        "Går åt önskat håll. Ökade från 82 (2022) till 119 (2023), +45 %: åt önskat håll."
    )
    assert section.chart_svg.startswith("<svg") and 'role="img"' in section.chart_svg
    assert "<style" not in section.chart_svg and "<script" not in section.chart_svg
    assert_plain(goals)


def test_a_yes_no_questions_county_share_is_computed_from_the_answers():
    question = SurveyAnswerFactory(indicator__goals=[shipped_goal(3)], year=2023).indicator
    SurveyAnswerFactory(indicator=question, year=2023, area=area("0127"), answer=False)
    SurveyAnswerFactory(indicator=question, year=2023, area=area("0114"), answer=False)

    [section] = goal_indicators_for_report(2023)[2].indicators

    assert section.years == (ReportIndicatorYear(2023, Decimal("33.3")),)


@pytest.mark.parametrize("size", [1, 24])
def test_the_report_reads_the_indicators_in_four_queries(django_assert_num_queries, size):
    add_indicators(size)

    with django_assert_num_queries(4):
        goals = goal_indicators_for_report(2024)

    assert sum(len(goal.indicators) for goal in goals) == 2 * size


def test_the_method_is_the_goal_pages_method():
    assert "minst 2 procentenheter" in " ".join(assessment_method())
