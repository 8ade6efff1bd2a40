import pytest
from django.db import IntegrityError, transaction

from actionplan.models import ActionPlan, IndicatorValue
from actors.models import Organisation
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    IndicatorFactory,
    IndicatorValueFactory,
)

pytestmark = pytest.mark.django_db


def test_a_commitment_code_is_unique_within_its_plan():
    commitment = CommitmentFactory(code="2.3")

    with pytest.raises(IntegrityError), transaction.atomic():
        CommitmentFactory(code="2.3", plan=commitment.plan)


def test_the_same_commitment_code_may_be_used_in_another_plan():
    CommitmentFactory(code="2.3")
    other_plan = ActionPlan.objects.get(slug="handlingsplan-2020-2022")

    CommitmentFactory(code="2.3", plan=other_plan, start_year=2020, end_year=2022)


def test_a_commitment_that_ends_before_it_starts_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitmentFactory(start_year=2025, end_year=2024)


def test_an_action_plan_that_ends_before_it_starts_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionPlanFactory(start_year=2027, end_year=2024)


def test_a_county_value_is_unique_per_indicator_year_and_sex():
    value = IndicatorValueFactory(municipality=None, sex=IndicatorValue.Sex.WOMEN)

    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorValueFactory(
            indicator=value.indicator, year=value.year, municipality=None, sex="women"
        )


def test_a_municipality_value_is_unique_per_indicator_year_and_sex():
    huddinge = Organisation.objects.get(municipality_code="0126")
    value = IndicatorValueFactory(municipality=huddinge)

    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorValueFactory(indicator=value.indicator, year=value.year, municipality=huddinge)


def test_county_municipality_and_sex_breakdown_values_live_side_by_side():
    indicator = IndicatorFactory()
    huddinge = Organisation.objects.get(municipality_code="0126")

    for municipality in (None, huddinge):
        for sex in IndicatorValue.Sex.values:
            IndicatorValueFactory(indicator=indicator, municipality=municipality, sex=sex)

    assert indicator.values.count() == 6
