"""Long lists show one page at a time, and any page number in the address is answered."""

import uuid

import pytest
from django.urls import reverse

from followup.models import Reminder, ReportState
from tests.factories import CommitmentFactory, ProgressReportFactory
from tests.personas import build_world

pytestmark = pytest.mark.django_db

JUNK_PAGES = ["abc", "0", "-1", "99999", "1.5", "%00"]


def more_commitments(world, count, *, submitted=0):
    """`count` more commitments led by A in the open period; the first `submitted` reported."""
    a = world.a_draft.organisation
    year = world.period.year
    commitments = []
    for number in range(count):
        commitment = CommitmentFactory(lead_organisation=a, start_year=year, end_year=year)
        if number < submitted:
            ProgressReportFactory(
                commitment=commitment,
                organisation=a,
                period=world.period,
                state=ReportState.SUBMITTED,
            )
        commitments.append(commitment)
    return commitments


def signed_in(client, world, persona):
    client.force_login(world.users[persona])
    return client


# --- Mina uppgifter ------------------------------------------------------------------------------


def test_my_tasks_shows_one_page_and_counts_every_task(client):
    world = build_world()
    more_commitments(world, 55, submitted=5)  # 57 tasks for A, 6 of them sent in
    url = reverse("followup:my-tasks")

    first = signed_in(client, world, "coordinator_a").get(url)
    second = client.get(url, {"page": 2})

    assert len(first.context["rows"]) == 50
    assert len(second.context["rows"]) == 7
    assert first.context["total"] == 57
    assert first.context["done"] == 6
    assert "6 av 57 rapporter inskickade." in second.content.decode()
    first_page = {task.commitment.pk for task, _report in first.context["rows"]}
    second_page = {task.commitment.pk for task, _report in second.context["rows"]}
    assert not first_page & second_page
    assert 'rel="next"' in first.content.decode()


@pytest.mark.parametrize("page", JUNK_PAGES)
def test_my_tasks_answers_any_page_number(client, page):
    world = build_world()
    more_commitments(world, 55)

    response = signed_in(client, world, "coordinator_a").get(
        reverse("followup:my-tasks"), {"page": page}
    )

    assert response.status_code == 200
    assert 1 <= len(response.context["rows"]) <= 50


def test_my_tasks_filters_what_is_left_and_what_is_sent_in(client):
    world = build_world()
    more_commitments(world, 3, submitted=2)  # with the world's: 5 tasks, 3 sent in
    url = reverse("followup:my-tasks")
    signed_in(client, world, "coordinator_a")

    left = client.get(url, {"visa": "kvar"}).context["rows"]
    sent_in = client.get(url, {"visa": "inskickade"}).context["rows"]
    everything = client.get(url, {"visa": "nonsense"}).context["rows"]

    assert len(left) == 2
    assert all(report is None or not report.counts_as_reported for _task, report in left)
    assert len(sent_in) == 3
    assert all(report.counts_as_reported for _task, report in sent_in)
    assert len(everything) == 5


def test_my_tasks_marks_only_a_delegated_commitment_as_delegated(client):
    world = build_world()

    delegate_rows = signed_in(client, world, "delegate").get(reverse("followup:my-tasks"))
    coordinator_rows = signed_in(client, world, "coordinator_a").get(reverse("followup:my-tasks"))

    assert [task.delegated for task, _report in delegate_rows.context["rows"]] == [True]
    assert [task.delegated for task, _report in coordinator_rows.context["rows"]] == [False, False]


# --- The review queue, the reminder log and the commitment list ----------------------------------


def fill_review_queue(world, count):
    a = world.a_draft.organisation
    year = world.period.year
    for _number in range(count):
        ProgressReportFactory(
            commitment=CommitmentFactory(lead_organisation=a, start_year=year, end_year=year),
            organisation=a,
            period=world.period,
            state=ReportState.SUBMITTED,
        )


def fill_reminder_log(world, count):
    Reminder.objects.bulk_create(
        Reminder(
            period=world.period,
            step=f"due-{number}",
            kind=Reminder.Kind.BEFORE_DUE,
            email=f"person{number}@example.org",
            claim_token=uuid.uuid4(),
            organisation=world.a_draft.organisation,
        )
        for number in range(count)
    )


LISTS = [
    # (persona, URL name, arguments, how to fill it, rows a page, rows the world already has)
    ("county_staff", "followup:review-queue", None, fill_review_queue, 50, 2),
    ("county_staff", "followup:reminder-log", lambda w: [w.period.year], fill_reminder_log, 50, 0),
    ("visitor", "actionplan:commitment-list", None, more_commitments, 25, 3),
]


@pytest.mark.parametrize("persona,url_name,arguments,fill,per_page,already", LISTS)
def test_a_long_list_shows_one_page_and_page_two_shows_the_rest(
    client, persona, url_name, arguments, fill, per_page, already
):
    world = build_world()
    fill(world, per_page + 3 - already)
    if world.users[persona]:
        signed_in(client, world, persona)
    url = reverse(url_name, args=arguments(world) if arguments else None)

    first = client.get(url)
    second = client.get(url, {"page": 2})

    assert len(first.context["object_list"]) == per_page
    assert len(second.context["object_list"]) == 3
    assert first.context["paginator"].count == per_page + 3
    assert not {row.pk for row in first.context["object_list"]} & {
        row.pk for row in second.context["object_list"]
    }


@pytest.mark.parametrize("persona,url_name,arguments,fill,per_page,already", LISTS)
@pytest.mark.parametrize("page", JUNK_PAGES)
def test_a_long_list_answers_a_page_number_out_of_range_or_junk_with_404(
    client, persona, url_name, arguments, fill, per_page, already, page
):
    world = build_world()
    fill(world, per_page + 3 - already)
    if world.users[persona]:
        signed_in(client, world, persona)
    url = reverse(url_name, args=arguments(world) if arguments else None)

    assert client.get(url, {"page": page}).status_code == 404
    assert client.get(url, {"page": "last"}).status_code == 200


def test_a_search_that_finds_nothing_shows_an_empty_first_page(client):
    build_world()

    response = client.get(reverse("actionplan:commitment-list"), {"q": "finns-ingenstans"})

    assert response.status_code == 200
    assert response.context["paginator"].count == 0
    assert list(response.context["object_list"]) == []
