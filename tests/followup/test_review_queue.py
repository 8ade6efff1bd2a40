"""Issue 10, county staff's review queue: filters, a count, and "Godkänn och nästa"."""

import datetime
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from followup.forms import review_queue_url
from followup.models import ReportState
from tests.factories import (
    CommitmentFactory,
    ProgressReportFactory,
    ReportingPeriodFactory,
    shipped_goal,
)
from tests.personas import build_world

pytestmark = pytest.mark.django_db

QUEUE = reverse("followup:review-queue")


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def staff(client, world):
    client.force_login(world.users["county_staff"])
    return client


def queued(response) -> list:
    return list(response.context["object_list"])


def submitted(world, organisation_slug="a", *, minutes_ago, period=None, goals=(1,)):
    """A report sent in `minutes_ago` minutes ago by A (or B) on a new commitment."""
    organisation = (world.a_draft if organisation_slug == "a" else world.b_submitted).organisation
    year = (period or world.period).year
    return ProgressReportFactory(
        commitment=CommitmentFactory(
            lead_organisation=organisation,
            start_year=year - 1,
            end_year=year + 1,
            goals=[shipped_goal(number) for number in goals],
        ),
        organisation=organisation,
        period=period or world.period,
        state=ReportState.SUBMITTED,
        submitted_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
    )


def last_year(world):
    """The period before the open one: closed for reports, not locked, so still reviewable."""
    year = world.period.year - 1
    return ReportingPeriodFactory(
        year=year,
        opens_on=datetime.date(year, 1, 1),
        due_on=datetime.date(year, 2, 1),
        closes_on=datetime.date(year, 3, 1),
    )


def approve(client, report, **data):
    return client.post(
        reverse("followup:report-approve", args=[report.pk]), {"version": report.version, **data}
    )


def send_back(client, report, **data):
    return client.post(
        reverse("followup:report-return", args=[report.pk]), {"version": report.version, **data}
    )


def report_and_queue(location: str) -> tuple[str, str]:
    """The report page a redirect leads to, and the queue it carries."""
    parts = urlsplit(location)
    return parts.path, parse_qs(parts.query).get("queue", [""])[0]


def detail(report) -> str:
    return reverse("followup:report-detail", args=[report.pk])


# --- Filters and count --------------------------------------------------------------------------


def test_the_queue_shows_the_open_period_unless_another_or_all_are_chosen(staff, world):
    earlier = submitted(world, minutes_ago=60 * 24 * 300, period=last_year(world))
    this_year = {world.a_submitted, world.b_submitted}

    by_default = staff.get(QUEUE)
    chosen = staff.get(QUEUE, {"period": earlier.period.year})
    every_year = staff.get(QUEUE, {"period": ""})

    assert set(queued(by_default)) == this_year
    assert queued(chosen) == [earlier]
    assert set(queued(every_year)) == this_year | {earlier}
    assert f'<option value="{world.period.year}" selected>' in by_default.content.decode()


def test_without_an_open_period_the_queue_shows_every_year(staff, world):
    world.period.opens_on = timezone.localdate() + datetime.timedelta(days=1)
    world.period.save()

    response = staff.get(QUEUE)

    assert set(queued(response)) == {world.a_submitted, world.b_submitted}


def test_the_queue_filters_by_organisation_and_goal(staff, world):
    goal_two = submitted(world, "b", minutes_ago=5, goals=(2, 3))
    a = world.a_submitted.organisation

    by_organisation = staff.get(QUEUE, {"organisation": a.pk})
    by_goal = staff.get(QUEUE, {"goal": shipped_goal(2).pk})
    by_both = staff.get(QUEUE, {"organisation": a.pk, "goal": shipped_goal(2).pk})

    assert queued(by_organisation) == [world.a_submitted]
    assert queued(by_goal) == [goal_two]
    assert queued(by_both) == []
    assert "Inga rapporter som matchar filtret väntar på granskning." in by_both.content.decode()


def test_the_queue_counts_the_reports_that_match(staff, world):
    for minutes in range(3):
        submitted(world, minutes_ago=minutes)

    everything = staff.get(QUEUE).content.decode()
    one = staff.get(QUEUE, {"organisation": world.b_submitted.organisation.pk}).content.decode()

    assert "5 rapporter väntar på granskning" in everything
    assert "1 rapport väntar på granskning" in one


def test_the_queue_and_its_buttons_speak_english_too(staff, world):
    page = staff.get(QUEUE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    report_page = staff.get(
        detail(world.a_submitted), {"queue": QUEUE}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert "2 reports waiting for review" in page
    assert "Filter the review queue" in page
    assert "Approve and next" in report_page
    assert "Return and next" in report_page
    assert "Back to the review queue" in report_page


@pytest.mark.parametrize(
    "query",
    [
        {"period": "1999"},
        {"period": "tjugo"},
        {"period": "99999999999999999999"},
        {"organisation": "999999"},
        {"organisation": "a"},
        {"goal": "-1"},
        {"goal": "mål"},
        {"goal": "1.5"},
        {"period": ["2026", "x"]},
        {"unknown": "1"},
    ],
)
def test_bad_filters_give_a_message_never_a_server_error(staff, world, query):
    response = staff.get(QUEUE, query)

    assert response.status_code == 200
    if "unknown" in query:
        assert set(queued(response)) == {world.a_submitted, world.b_submitted}
    else:
        assert queued(response) == []
        assert "Det finns fel i formuläret" in response.content.decode()


def test_each_report_in_the_queue_links_with_the_queue_it_is_in(staff, world):
    a = world.a_submitted.organisation
    page = staff.get(QUEUE, {"organisation": a.pk, "page": "1", "x": "y"}).content.decode()

    queue = f"{QUEUE}?{urlencode({'organisation': a.pk})}"
    assert f"{detail(world.a_submitted)}?{urlencode({'queue': queue})}" in page


# --- Approve and next, return and next ----------------------------------------------------------


@pytest.fixture
def three(world):
    """Three reports of A, oldest first, and nothing else in the queue."""
    for report in (world.a_submitted, world.b_submitted):
        report.state = ReportState.APPROVED
        report.save()
    return [submitted(world, minutes_ago=minutes) for minutes in (30, 20, 10)]


def test_approve_and_next_goes_to_the_next_report_of_the_same_queue(staff, world, three):
    first, second, _third = three
    queue = f"{QUEUE}?period={world.period.year}"

    response = approve(staff, first, queue=queue, and_next="1")

    assert report_and_queue(response["Location"]) == (detail(second), queue)
    first.refresh_from_db()
    assert first.state == ReportState.APPROVED
    following = staff.get(response["Location"])
    content = following.content.decode()
    assert "Rapporten är godkänd. Här är nästa rapport i kön." in content
    assert following.context["focus_heading"] is True
    assert 'tabindex="-1" data-focus-heading' in content
    assert "Godkänn och nästa" in content
    # The focus moves once, after the review, not every time the page is opened.
    assert staff.get(response["Location"]).context["focus_heading"] is False


def test_the_next_report_is_the_one_after_this_then_from_the_start(staff, world, three):
    first, second, third = three

    from_the_middle = approve(staff, second, queue=QUEUE, and_next="1")
    from_the_end = approve(staff, third, queue=QUEUE, and_next="1")

    assert report_and_queue(from_the_middle["Location"])[0] == detail(third)
    # The end reached: the reports passed over come back, the oldest first.
    assert report_and_queue(from_the_end["Location"])[0] == detail(first)


def test_the_next_report_is_in_the_queues_filter(staff, world, three):
    world.b_submitted.state = ReportState.SUBMITTED
    world.b_submitted.submitted_at = timezone.now() - datetime.timedelta(minutes=25)
    world.b_submitted.save()
    first, second, _third = three
    only_a = f"{QUEUE}?organisation={first.organisation.pk}"

    filtered = approve(staff, first, queue=only_a, and_next="1")
    unfiltered = approve(staff, second, queue=QUEUE, and_next="1")

    assert report_and_queue(filtered["Location"]) == (detail(second), only_a)
    assert report_and_queue(unfiltered["Location"])[0] == detail(three[2])


def test_the_next_report_skips_the_reviewers_own_organisation(client, world):
    client.force_login(world.users["county_coordinator"])  # county staff and B's coordinator
    first = submitted(world, "a", minutes_ago=30)
    world.b_submitted.submitted_at = timezone.now() - datetime.timedelta(minutes=20)
    world.b_submitted.save()
    later = submitted(world, "a", minutes_ago=10)
    world.a_submitted.submitted_at = timezone.now()
    world.a_submitted.save()

    response = approve(client, first, queue=QUEUE, and_next="1")

    assert report_and_queue(response["Location"])[0] == detail(later)
    world.b_submitted.refresh_from_db()
    assert world.b_submitted.state == ReportState.SUBMITTED


def test_when_none_is_left_the_reviewer_is_back_in_the_queue_with_a_message(staff, world):
    world.b_submitted.state = ReportState.APPROVED
    world.b_submitted.save()
    queue = f"{QUEUE}?period={world.period.year}"

    response = approve(staff, world.a_submitted, queue=queue, and_next="1")

    assert response["Location"] == queue
    page = staff.get(queue)
    assert "Inga fler rapporter att granska." in page.content.decode()
    assert page.context["focus_heading"] is True
    assert queued(page) == []


def test_return_and_next_needs_a_comment_and_keeps_the_queue(staff, world, three):
    first, second, _third = three
    queue = f"{QUEUE}?period={world.period.year}"

    response = send_back(staff, first, queue=queue, and_next="1", comment="")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Skriv vad organisationen behöver komplettera." in content
    assert "Återsänd och nästa" in content
    first.refresh_from_db()
    assert first.state == ReportState.SUBMITTED


def test_return_and_next_sends_the_email_and_goes_on(
    staff, world, three, django_capture_on_commit_callbacks
):
    first, second, _third = three

    with django_capture_on_commit_callbacks(execute=True):
        response = send_back(staff, first, queue=QUEUE, and_next="1", comment="Beskriv resultaten.")

    assert report_and_queue(response["Location"]) == (detail(second), QUEUE)
    first.refresh_from_db()
    assert first.state == ReportState.RETURNED
    assert first.review_comment == "Beskriv resultaten."
    assert {message.to[0] for message in mail.outbox} >= {"coordinator_a@example.org"}
    assert "Beskriv resultaten." in mail.outbox[0].body


def test_a_plain_approval_from_the_queue_stays_on_the_report(staff, world, three):
    first = three[0]

    response = approve(staff, first, queue=QUEUE, approve="")

    assert report_and_queue(response["Location"]) == (detail(first), QUEUE)
    page = staff.get(response["Location"]).content.decode()
    assert "Rapporten är godkänd." in page
    assert "Tillbaka till granskningskön" in page


def test_a_report_opened_outside_the_queue_offers_no_next(staff, world):
    content = staff.get(detail(world.a_submitted)).content.decode()

    assert "Godkänn rapporten" in content
    assert "Godkänn och nästa" not in content
    assert "Tillbaka till granskningskön" not in content


def test_reviewing_ones_own_organisations_report_is_still_refused(client, world):
    client.force_login(world.users["county_coordinator"])

    response = approve(client, world.b_submitted, queue=QUEUE, and_next="1")

    assert response.status_code == 403
    world.b_submitted.refresh_from_db()
    assert world.b_submitted.state == ReportState.SUBMITTED


# --- No open redirect ---------------------------------------------------------------------------

ELSEWHERE = [
    "https://evil.example/granskning/",
    "//evil.example/granskning/",
    "///evil.example/granskning/",
    "/\\evil.example/granskning/",
    "http:/granskning/",
    "javascript:alert(1)",
    "/granskning/../admin/",
    "/admin/?period=2026",
    "/granskning/#x",
    "/granskning/?period=" + "9" * 400,
    "granskning/",
]


@pytest.mark.parametrize("elsewhere", ELSEWHERE)
def test_an_address_other_than_the_queue_is_never_followed(staff, world, elsewhere):
    world.b_submitted.submitted_at = timezone.now()
    world.b_submitted.save()

    response = approve(staff, world.a_submitted, queue=elsewhere, and_next="1")
    page = staff.get(detail(world.b_submitted), {"queue": elsewhere}).content.decode()

    assert response.status_code == 302
    assert response["Location"] == detail(world.a_submitted)
    # Not carried on (the language switch's `next` is Django's, and checked by Django).
    assert 'name="queue" value=' not in page
    assert "Tillbaka till granskningskön" not in page
    assert "Godkänn och nästa" not in page
    world.a_submitted.refresh_from_db()
    assert world.a_submitted.state == ReportState.APPROVED


@pytest.mark.parametrize("elsewhere", ELSEWHERE)
def test_the_queue_address_is_only_ever_the_queue(elsewhere):
    assert review_queue_url(elsewhere) == ""


def test_the_queue_address_keeps_only_the_queues_filters():
    assert review_queue_url("/granskning/?period=2026&goal=3&page=4&next=//evil.example") == (
        "/granskning/?period=2026&goal=3"
    )
    assert review_queue_url("/granskning/?period=") == "/granskning/?period="
    assert review_queue_url("/granskning/") == "/granskning/"
