"""List pages run a fixed number of SQL queries, whatever the amount of data."""

import pytest
from django.urls import reverse

from actionplan.models import ViolenceArea
from actors import permissions
from followup.models import ReportState
from tests.factories import (
    CommitmentFactory,
    OrganisationFactory,
    ProgressReportFactory,
    shipped_goal,
)
from tests.personas import build_world

pytestmark = pytest.mark.django_db

# (persona, URL name, pinned number of queries)
PAGES = [
    ("visitor", "home", 2),
    ("visitor", "actionplan:commitment-list", 9),
    ("coordinator_a", "actionplan:commitment-list", 12),
    ("coordinator_a", "followup:my-tasks", 7),
    ("county_staff", "followup:review-queue", 5),
]


def add_commitments(world, count):
    """`count` more joint commitments led by A, each with a submitted report from A."""
    a = world.a_draft.organisation
    partner = OrganisationFactory()
    areas = list(ViolenceArea.objects.all()[:2])
    year = world.period.year
    for number in range(count):
        commitment = CommitmentFactory(
            lead_organisation=a,
            participating_organisations=[partner],
            goals=[shipped_goal(1 + number % 8), shipped_goal(1 + (number + 3) % 8)],
            start_year=year - 1,
            end_year=year + 1,
        )
        commitment.violence_areas.set(areas)
        ProgressReportFactory(
            commitment=commitment,
            organisation=a,
            period=world.period,
            state=ReportState.SUBMITTED,
        )
    permissions.commitment_permissions_sync()


@pytest.mark.parametrize("persona,url_name,queries", PAGES)
@pytest.mark.parametrize("size", [1, 50])
def test_list_pages_run_a_constant_number_of_queries(
    client, django_assert_num_queries, persona, url_name, queries, size
):
    world = build_world()
    add_commitments(world, size)
    if world.users[persona]:
        client.force_login(world.users[persona])

    with django_assert_num_queries(queries):
        response = client.get(reverse(url_name))

    assert response.status_code == 200
