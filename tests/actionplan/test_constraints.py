import pytest
from django.db import IntegrityError, transaction

from actionplan.models import ActionPlan
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
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
