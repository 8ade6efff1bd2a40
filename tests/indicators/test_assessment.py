"""The progress assessment on worked examples, one for every branch of the method."""

from decimal import Decimal

import pytest
from django.utils import translation

from indicators.assessment import (
    IndicatorFacts,
    Result,
    TargetResult,
    assess,
    format_value,
    method_paragraphs,
)
from indicators.models import Indicator

COUNT = Indicator.Kind.COUNT
RATE = Indicator.Kind.RATE
PERCENT = Indicator.Kind.PERCENT
YES_NO = Indicator.Kind.YES_NO_SHARE
UP = Indicator.Direction.INCREASE
DOWN = Indicator.Direction.DECREASE


@pytest.fixture(autouse=True)
def swedish():
    with translation.override("sv"):
        yield


def series(**by_year):
    return {int(year[1:]): Decimal(str(value)) for year, value in by_year.items()}


def test_a_count_that_rose_45_percent_the_desired_way():
    assessment = assess(IndicatorFacts(COUNT, UP), series(y2022=82, y2023=119))
    assert assessment.result == Result.DESIRED_WAY
    assert assessment.sentence == "Ökade från 82 (2022) till 119 (2023), +45 %: åt önskat håll."
    assert assessment.compared_year == 2022
    assert assessment.label == "Går åt önskat håll"


def test_a_rate_that_rose_when_it_should_fall_goes_the_wrong_way():
    assessment = assess(IndicatorFacts(RATE, DOWN), series(y2022=100, y2023="112.5"))
    assert assessment.result == Result.WRONG_WAY
    assert assessment.sentence == "Ökade från 100 (2022) till 112,5 (2023), +13 %: åt fel håll."


def test_a_count_that_fell_when_it_should_fall_goes_the_desired_way():
    assessment = assess(IndicatorFacts(COUNT, DOWN), series(y2021=200, y2022=180))
    assert assessment.result == Result.DESIRED_WAY
    assert assessment.sentence.startswith("Minskade från 200 (2021) till 180 (2022), −10 %")


def test_a_count_change_under_five_percent_is_no_clear_change():
    assessment = assess(IndicatorFacts(COUNT, UP), series(y2022=100, y2023="104.4"))
    assert assessment.result == Result.NO_CLEAR_CHANGE
    assert assessment.sentence.endswith("+4 %: ingen tydlig förändring.")


def test_a_count_change_of_exactly_five_percent_is_clear():
    assessment = assess(IndicatorFacts(COUNT, UP), series(y2022=100, y2023=95))
    assert assessment.result == Result.WRONG_WAY


def test_a_change_is_judged_as_it_is_shown_rounded():
    # +4.5 % reads "+5 %": a reader would not understand "+5 %: no clear change".
    assert assess(IndicatorFacts(COUNT, UP), series(y2022=200, y2023=209)).result == (
        Result.DESIRED_WAY
    )
    assert assess(IndicatorFacts(PERCENT, UP), series(y2022=10, y2023="11.94")).result == (
        Result.NO_CLEAR_CHANGE
    )


def test_a_share_is_judged_in_percentage_points_not_relative_change():
    # 4 % to 5.5 % is +37 % relative, but only 1.5 points: no clear change.
    assessment = assess(IndicatorFacts(PERCENT, UP), series(y2022=4, y2023="5.5"))
    assert assessment.result == Result.NO_CLEAR_CHANGE
    assert assessment.sentence == (
        "Ökade från 4 % (2022) till 5,5 % (2023), +1,5 procentenheter: ingen tydlig förändring."
    )


def test_a_share_that_fell_two_points_goes_the_wrong_way():
    assessment = assess(IndicatorFacts(PERCENT, UP), series(y2022="30.5", y2023="28.5"))
    assert assessment.result == Result.WRONG_WAY
    assert "−2 procentenheter: åt fel håll" in assessment.sentence


def test_a_yes_no_share_moved_by_one_municipality_of_26_is_a_clear_change():
    # 20 of 26 to 21 of 26 said yes: 76.9 % to 80.8 %.
    assessment = assess(IndicatorFacts(YES_NO, UP), series(y2023="76.9", y2024="80.8"))
    assert assessment.result == Result.DESIRED_WAY


def test_the_base_year_is_the_comparison_when_it_has_a_value():
    facts = IndicatorFacts(COUNT, UP, base_year=2020)
    assessment = assess(facts, series(y2020=50, y2022=100, y2023=101))
    assert assessment.compared_year == 2020
    assert assessment.result == Result.DESIRED_WAY
    assert assessment.sentence.startswith("Ökade från 50 (2020) till 101 (2023), +102 %")


def test_a_base_year_without_a_value_falls_back_to_the_previous_year():
    facts = IndicatorFacts(COUNT, UP, base_year=2019)
    assessment = assess(facts, series(y2022=100, y2023=101))
    assert assessment.compared_year == 2022
    assert assessment.result == Result.NO_CLEAR_CHANGE


def test_the_previous_year_is_the_latest_earlier_year_with_a_value():
    assessment = assess(
        IndicatorFacts(COUNT, UP), {2019: Decimal(10), 2021: None, 2023: Decimal(20)}
    )
    assert assessment.compared_year == 2019


def test_an_unchanged_value_is_said_so():
    assessment = assess(IndicatorFacts(COUNT, UP), series(y2022=82, y2023=82))
    assert assessment.result == Result.NO_CLEAR_CHANGE
    assert assessment.sentence == "Oförändrat 82 (2022 och 2023): ingen tydlig förändring."


def test_a_count_rising_from_zero_is_a_clear_change_without_a_percentage():
    assessment = assess(IndicatorFacts(COUNT, DOWN), series(y2022=0, y2023=3))
    assert assessment.result == Result.WRONG_WAY
    assert assessment.change is None
    assert assessment.sentence == "Ökade från 0 (2022) till 3 (2023): åt fel håll."


def test_one_year_of_values_is_too_little_data():
    assessment = assess(IndicatorFacts(COUNT, UP), series(y2023=82))
    assert assessment.result == Result.TOO_LITTLE_DATA
    assert assessment.sentence == "Bara ett år har värden (2023: 82), för lite för en bedömning."
    assert assessment.label == "För lite data"


def test_no_values_is_too_little_data():
    assessment = assess(IndicatorFacts(COUNT, UP), {})
    assert assessment.result == Result.TOO_LITTLE_DATA
    assert assessment.sentence == "Det finns inga värden ännu."


def test_a_target_at_or_beyond_the_latest_value_is_reached():
    facts = IndicatorFacts(PERCENT, UP, target=Decimal(80), target_year=2026)
    assessment = assess(facts, series(y2022=70, y2023=80))
    assert assessment.target_result == TargetResult.REACHED
    assert assessment.sentence.endswith("Målet 80 % till 2026 är nått.")


def test_a_falling_target_is_reached_from_above():
    facts = IndicatorFacts(RATE, DOWN, target=Decimal(50), target_year=2026)
    assert assess(facts, series(y2022=60, y2023=49)).target_result == TargetResult.REACHED


def test_on_track_when_the_latest_value_keeps_a_straight_line_pace_to_the_target():
    # From 40 in 2020 to 80 in 2030: 4 a year, so 52 is due in 2023; 53 is on track.
    facts = IndicatorFacts(COUNT, UP, base_year=2020, target=Decimal(80), target_year=2030)
    assessment = assess(facts, series(y2020=40, y2022=50, y2023=53))
    assert assessment.target_result == TargetResult.ON_TRACK
    assert "Utvecklingen går i takt med målet 80 till 2030." in assessment.sentence


def test_not_on_track_when_behind_the_straight_line_pace():
    facts = IndicatorFacts(COUNT, UP, base_year=2020, target=Decimal(80), target_year=2030)
    assessment = assess(facts, series(y2020=40, y2022=50, y2023=51))
    assert assessment.target_result == TargetResult.NOT_ON_TRACK
    assert "Utvecklingen går inte i takt med målet 80 till 2030." in assessment.sentence


def test_without_a_base_year_the_pace_starts_at_the_first_year_with_a_value():
    # From 100 in 2021 down to 50 in 2026: 10 a year, so 80 is due in 2023.
    facts = IndicatorFacts(RATE, DOWN, target=Decimal(50), target_year=2026)
    assert assess(facts, series(y2021=100, y2023=80)).target_result == TargetResult.ON_TRACK
    assert assess(facts, series(y2021=100, y2023=81)).target_result == TargetResult.NOT_ON_TRACK


def test_a_target_year_passed_without_the_target_is_not_on_track():
    facts = IndicatorFacts(COUNT, UP, target=Decimal(80), target_year=2022)
    assert assess(facts, series(y2021=10, y2023=79)).target_result == TargetResult.NOT_ON_TRACK


def test_one_year_short_of_the_target_has_no_pace_to_judge():
    facts = IndicatorFacts(COUNT, UP, target=Decimal(80), target_year=2026)
    assessment = assess(facts, series(y2023=50))
    assert assessment.target_result is None
    assert assessment.sentence.endswith(
        "För lite data för att bedöma takten mot målet 80 till 2026."
    )


def test_a_model_instance_is_assessed_like_its_facts():
    indicator = Indicator(kind=COUNT, desired_direction=UP)
    assert assess(indicator, series(y2022=82, y2023=119)).result == Result.DESIRED_WAY


def test_the_summary_is_the_label_and_the_reason():
    assessment = assess(IndicatorFacts(COUNT, UP), series(y2022=82, y2023=119))
    assert assessment.summary == (
        "Går åt önskat håll. Ökade från 82 (2022) till 119 (2023), +45 %: åt önskat håll."
    )


def test_values_read_as_people_write_them():
    assert format_value(Decimal("82.00")) == "82"
    assert format_value(Decimal("12.50"), is_share=True) == "12,5 %"


def test_the_method_text_names_the_thresholds_the_code_uses():
    text = " ".join(method_paragraphs())
    assert "minst 5 procent" in text
    assert "minst 2 procentenheter" in text
