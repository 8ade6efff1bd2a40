from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from indicators.models import Area, Indicator, IndicatorValue, SurveyAnswer
from tests.factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    SurveyAnswerFactory,
    area,
    shipped_goal,
)

pytestmark = pytest.mark.django_db


def test_the_county_its_26_municipalities_and_stockholms_13_districts_are_shipped():
    assert Area.objects.filter(kind=Area.Kind.COUNTY).get().code == "01"
    municipalities = Area.objects.filter(kind=Area.Kind.MUNICIPALITY)
    assert municipalities.count() == 26
    assert not municipalities.filter(organisation=None).exists()
    assert area("0126").organisation.short_name == "Huddinge"
    districts = Area.objects.filter(kind=Area.Kind.CITY_DISTRICT).order_by("code")
    assert districts.count() == 13
    assert districts.first().name == "Bromma"
    assert districts.last().code == "018013"


def test_an_area_code_that_does_not_match_its_kind_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        Area.objects.create(kind=Area.Kind.CITY_DISTRICT, code="0126", name="Fel")


def test_an_indicator_may_follow_up_several_goals():
    indicator = IndicatorFactory(goals=[shipped_goal(1), shipped_goal(2)])

    assert set(indicator.goals.values_list("number", flat=True)) == {1, 2}


def test_a_kolada_key_figure_belongs_to_one_indicator():
    IndicatorFactory(kolada_kpi="N12345")
    IndicatorFactory(kolada_kpi=None)
    IndicatorFactory(kolada_kpi=None)

    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorFactory(kolada_kpi="N12345")


def test_a_target_year_before_the_base_year_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorFactory(base_year=2024, target_year=2022)


def test_a_target_without_a_year_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorFactory(target=Decimal("50"))


def test_a_county_value_is_unique_per_indicator_year_and_sex():
    value = IndicatorValueFactory(area=area("01"), sex=IndicatorValue.Sex.WOMEN)

    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorValueFactory(
            indicator=value.indicator, year=value.year, area=area("01"), sex="women"
        )


def test_a_municipality_value_is_unique_per_indicator_year_and_sex():
    value = IndicatorValueFactory(area=area("0126"))

    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorValueFactory(indicator=value.indicator, year=value.year, area=area("0126"))


def test_county_municipality_district_and_sex_breakdown_values_live_side_by_side():
    indicator = IndicatorFactory()

    for code in ("01", "0126", "018001"):
        for sex in IndicatorValue.Sex.values:
            IndicatorValueFactory(indicator=indicator, area=area(code), sex=sex)

    assert indicator.values.count() == 9


def test_a_yes_no_indicator_refuses_typed_values():
    indicator = IndicatorFactory(kind=Indicator.Kind.YES_NO_SHARE)
    value = IndicatorValue(indicator=indicator, year=2024, area=area("01"), value=70)

    with pytest.raises(ValidationError, match="räknas fram"):
        value.full_clean()


def test_a_survey_answer_is_unique_per_area_and_year():
    answer = SurveyAnswerFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyAnswerFactory(indicator=answer.indicator, area=answer.area, answer=False)


def test_the_county_does_not_answer_a_survey_and_other_indicators_take_no_answers():
    answer = SurveyAnswerFactory.build(indicator=SurveyAnswerFactory().indicator, area=area("01"))
    with pytest.raises(ValidationError, match="Länet svarar inte"):
        answer.full_clean()

    answer = SurveyAnswer(indicator=IndicatorFactory(), year=2024, area=area("0126"), answer=True)
    with pytest.raises(ValidationError, match="ingen ja/nej-fråga"):
        answer.full_clean()


def test_the_county_share_is_the_share_of_answering_units_that_said_yes():
    # 7 of 10 answering units said yes in 2023: 70 %, like the real support talks question.
    indicator = IndicatorFactory(kind=Indicator.Kind.YES_NO_SHARE)
    units = list(Area.objects.exclude(kind=Area.Kind.COUNTY).order_by("code"))
    for index, unit in enumerate(units[:10]):
        SurveyAnswerFactory(indicator=indicator, year=2023, area=unit, answer=index < 7)
    # 1 of 3 in 2024: a third, rounded to one decimal.
    for index, unit in enumerate(units[:3]):
        SurveyAnswerFactory(indicator=indicator, year=2024, area=unit, answer=index == 0)
    # Another question's answers do not count.
    SurveyAnswerFactory(year=2023, area=units[0], answer=False)

    shares = SurveyAnswer.objects.filter(indicator=indicator).county_shares()

    assert shares == {(indicator.pk, 2023): Decimal("70.0"), (indicator.pk, 2024): Decimal("33.3")}


def test_the_county_series_takes_typed_totals_and_computed_shares(django_assert_num_queries):
    typed = IndicatorFactory()
    IndicatorValueFactory(indicator=typed, year=2022, area=area("01"), value=82)
    IndicatorValueFactory(indicator=typed, year=2023, area=area("01"), value=119)
    IndicatorValueFactory(indicator=typed, year=2023, area=area("01"), sex="women", value=10)
    IndicatorValueFactory(indicator=typed, year=2023, area=area("0126"), value=5)
    yes_no = IndicatorFactory(kind=Indicator.Kind.YES_NO_SHARE)
    SurveyAnswerFactory(indicator=yes_no, year=2023, area=area("0126"), answer=True)
    SurveyAnswerFactory(indicator=yes_no, year=2023, area=area("018001"), answer=False)

    with django_assert_num_queries(2):
        series = Indicator.objects.filter(pk__in=[typed.pk, yes_no.pk]).county_series()

    assert series == {
        typed.pk: {2022: Decimal("82.00"), 2023: Decimal("119.00")},
        yes_no.pk: {2023: Decimal("50.0")},
    }
