"""Pages run a fixed number of SQL queries, whatever the amount of data."""

import uuid

import pytest
from django.urls import reverse

from actionplan.models import Commitment, ViolenceArea
from followup.models import Reminder, ReportState
from tests.factories import (
    CommitmentFactory,
    OrganisationFactory,
    ProgressReportFactory,
    shipped_goal,
)
from tests.personas import build_world

pytestmark = pytest.mark.django_db

# (persona, URL name, URL arguments, pinned number of queries)
PAGES = [
    ("visitor", "home", None, 2),
    ("visitor", "actionplan:commitment-list", None, 9),
    ("coordinator_a", "actionplan:commitment-list", None, 12),
    ("coordinator_a", "followup:my-tasks", None, 9),
    ("county_staff", "followup:review-queue", None, 5),
    # With the commitment's line across the plans (one query, however long).
    ("coordinator_a", "followup:commitment-detail", lambda w: [w.commitment.pk], 15),
    ("county_staff", "followup:report-detail", lambda w: [w.a_submitted.pk], 6),
    ("county_staff", "followup:period-list", None, 4),
    ("county_staff", "followup:period-overview", lambda w: [w.period.year], 8),
    ("county_staff", "followup:reminder-log", lambda w: [w.period.year], 6),
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


def add_lineage(world, count):
    """`count` predecessors of the commitment, one after the other, and `count` successors."""
    line = [
        CommitmentFactory(lead_organisation=world.commitment.lead_organisation)
        for _ in range(count)
    ]
    for earlier, later in zip(line, [*line[1:], world.commitment], strict=True):
        Commitment.objects.filter(pk=later.pk).update(
            predecessor=earlier, predecessor_relation=Commitment.Relation.CONTINUES
        )
    for _ in range(count):
        successor = CommitmentFactory(lead_organisation=world.commitment.lead_organisation)
        Commitment.objects.filter(pk=successor.pk).update(
            predecessor=world.commitment, predecessor_relation=Commitment.Relation.REPLACES
        )


def add_history_and_reminders(world, count):
    """`count` saves of A's report (history rows), and `count` reminders in the log."""
    report = world.a_submitted
    for number in range(count):
        report.work_done = f"Version {number}"
        report._change_reason = "submit"
        report.save()
    Reminder.objects.bulk_create(
        Reminder(
            period=world.period,
            step=f"due-{number}",
            kind=Reminder.Kind.BEFORE_DUE,
            email=f"person{number}@example.org",
            claim_token=uuid.uuid4(),
            organisation=report.organisation,
        )
        for number in range(count)
    )


@pytest.mark.parametrize("persona,url_name,arguments,queries", PAGES)
@pytest.mark.parametrize("size", [1, 50])
def test_pages_run_a_constant_number_of_queries(
    client, django_assert_num_queries, persona, url_name, arguments, queries, size
):
    world = build_world()
    add_commitments(world, size)
    add_lineage(world, size)
    add_history_and_reminders(world, size)
    if world.users[persona]:
        client.force_login(world.users[persona])
    url = reverse(url_name, args=arguments(world) if arguments else None)

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200


# followup, issue 10: Mina bevakningar, with 1 and with 50 follows and delegations.
MY_FOLLOWS_QUERIES = 9


@pytest.mark.parametrize("size", [1, 50])
def test_my_follows_runs_a_constant_number_of_queries(client, django_assert_num_queries, size):
    from actionplan.services import delegation_grant
    from followup.models import CommitmentFollow

    world = build_world()
    add_commitments(world, size)
    delegate = world.users["delegate"]
    membership = world.delegation.membership
    a_led = Commitment.objects.filter(lead_organisation=membership.organisation)
    for commitment in a_led.exclude(pk=world.commitment.pk).order_by("pk")[:size]:
        CommitmentFollow.objects.create(user=delegate, commitment=commitment)
        delegation_grant(
            commitment=commitment, membership=membership, granted_by=world.users["coordinator_a"]
        )
    client.force_login(delegate)

    with django_assert_num_queries(MY_FOLLOWS_QUERIES):
        response = client.get(reverse("followup:my-follows"))

    assert response.status_code == 200
    assert len(response.context["follows"]) == size
