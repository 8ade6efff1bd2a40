"""County staff's landing page, Översikt (issue 10): the open period at a glance."""

import datetime
import random
import uuid
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplan.models import Commitment
from followup.dashboard import OLDEST_WAITING_SHOWN, period_dashboard_read
from followup.models import Reminder, ReportingPeriod, ReportState
from followup.overview import PeriodObligations, period_figures_read
from tests.factories import (
    CommitmentFactory,
    OrganisationFactory,
    ProgressReportFactory,
    ReportingPeriodFactory,
    UserFactory,
    shipped_goal,
)
from tests.personas import PASSWORD, build_world
from tests.two_factor import app_device, code_for

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("followup:dashboard")


def reminder(period, number, **fields) -> Reminder:
    return Reminder.objects.create(
        period=period,
        step=f"step-{number}",
        kind=Reminder.Kind.BEFORE_DUE,
        email=f"person{number}@example.org",
        claim_token=uuid.uuid4(),
        **fields,
    )


def dashboard_of(client, user):
    client.force_login(user)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    return response


# --- What it shows ----------------------------------------------------------------------------


def test_county_staff_see_the_coverage_the_waiting_reports_the_deadline_and_links(client):
    world = build_world()
    year = world.period.year

    response = dashboard_of(client, world.users["county_staff"])

    content = response.content.decode()
    # Three reports owed (two by A, one by B), two sent in: the overview's own figures.
    assert "67 %" in content
    assert "av rapporterna är inskickade (2 av 3)" in content
    assert "åtaganden har rapporter från alla ansvariga organisationer (67 %)" in content
    assert "organisationer har skickat in alla sina rapporter" in content
    assert "10 dagar" in content and "kvar till sista dagen att rapportera" in content
    assert "rapporter väntar på granskning" in content
    assert reverse("followup:report-detail", args=[world.a_submitted.pk]) in content
    assert f"{reverse('followup:review-queue')}?period={year}" in content
    assert reverse("followup:period-overview", args=[year]) in content
    assert reverse("countyreport:report-detail", args=[year]) in content
    assert "Inga påminnelser har skickats i perioden ännu." in content


def test_the_figures_are_the_overview_s_and_agree_with_the_reminder_sweep():
    """On a random-ish county: the dashboard neither counts again nor differently."""
    rng = random.Random(2010)
    period = ReportingPeriodFactory(year=2026)
    organisations = [OrganisationFactory(is_active=rng.random() > 0.2) for _ in range(8)]
    for _ in range(25):
        commitment = CommitmentFactory(
            lead_organisation=rng.choice(organisations),
            participating_organisations=rng.sample(organisations, rng.choice([0, 1, 2])),
            goals=[shipped_goal(rng.randint(1, 8))],
            start_year=rng.choice([2025, 2026, 2027]),
            end_year=2027,
            state=rng.choice(Commitment.State.values),
        )
        for organisation in rng.sample(organisations, 3):
            if rng.random() < 0.6:
                ProgressReportFactory(
                    commitment=commitment,
                    organisation=organisation,
                    period=period,
                    state=rng.choice(ReportState.values),
                )
    staff = UserFactory()

    dashboard = period_dashboard_read(period=period, user=staff, today=period.opens_on)
    owed = PeriodObligations.load(period)

    assert dashboard.figures == period_figures_read(period)
    owing, missing = Counter(), Counter()
    for _commitment, organisation in owed.obligations:
        owing[organisation] += 1
    for _commitment, organisation in owed.missing:
        missing[organisation] += 1
    assert owed.missing and owed.reported  # the data set has both
    assert (dashboard.figures.reported, dashboard.figures.expected) == (
        len(owed.reported),
        len(owed.obligations),
    )
    assert dashboard.reports_missing == len(owed.missing)
    assert dashboard.organisations_owing == len(owing)
    assert dashboard.organisations_done == len(set(owing) - set(missing))


def test_the_five_oldest_waiting_reports_of_the_period_are_shown_oldest_first(client):
    world = build_world()
    b = world.b_submitted.organisation
    now = timezone.now()
    world.b_submitted.submitted_at = now - datetime.timedelta(days=1)
    world.b_submitted.save()
    world.a_submitted.submitted_at = now
    world.a_submitted.save()
    older = [
        ProgressReportFactory(
            commitment=CommitmentFactory(lead_organisation=b, title=f"Äldre {days}"),
            organisation=b,
            period=world.period,
            state=ReportState.SUBMITTED,
            submitted_at=now - datetime.timedelta(days=days),
        )
        for days in (9, 8, 7, 6)
    ]
    # Not in the period's queue: another year's report, and one already approved.
    earlier = ReportingPeriodFactory(year=world.period.year - 1)
    ProgressReportFactory(
        organisation=b, period=earlier, state=ReportState.SUBMITTED, submitted_at=now
    )
    ProgressReportFactory(organisation=b, period=world.period, state=ReportState.APPROVED)

    response = dashboard_of(client, world.users["county_staff"])

    dashboard = response.context["dashboard"]
    assert dashboard.waiting_count == 6
    assert dashboard.oldest_waiting == [*older, world.b_submitted]
    assert len(dashboard.oldest_waiting) == OLDEST_WAITING_SHOWN
    content = response.content.decode()
    assert "De som har väntat längst:" in content
    assert "Granskningskön för" in content and "(6 rapporter)" in content


def test_a_report_the_person_may_not_review_is_not_counted_as_waiting_for_them(client):
    """County staff who also coordinate B do not review B's reports: the queue's own rule."""
    world = build_world()

    staff = dashboard_of(client, world.users["county_staff"]).context["dashboard"]
    client.logout()
    coordinating = dashboard_of(client, world.users["county_coordinator"]).context["dashboard"]

    assert staff.waiting_count == 2
    assert coordinating.waiting_count == 1
    assert coordinating.oldest_waiting == [world.a_submitted]


def test_the_latest_reminders_show_how_they_went_and_failures_stand_out(client):
    world = build_world()
    period = world.period
    now = timezone.now()
    for number in range(6):
        reminder(
            period, number, claimed_at=now - datetime.timedelta(hours=10 - number), sent_at=now
        )
    reminder(period, 90, claimed_at=now, failed_at=now, last_error="550 mailbox unavailable")
    reminder(period, 91, claimed_at=now - datetime.timedelta(minutes=1), attempts=2, last_error="x")
    reminder(period, 92, claimed_at=now - datetime.timedelta(minutes=2), cancelled_at=now)

    response = dashboard_of(client, world.users["county_staff"])

    dashboard = response.context["dashboard"]
    assert [item.step for item in dashboard.latest_reminders] == [
        "step-90",
        "step-91",
        "step-92",
        "step-5",
        "step-4",
    ]
    assert dashboard.undelivered_count == 2  # the failed one, and the one still being retried
    content = response.content.decode()
    assert "2 påminnelser har inte kommit fram till e-postservern." in content
    assert 'class="govuk-tag govuk-tag--red">Kunde inte skickas' in content
    assert 'class="govuk-tag govuk-tag--yellow">Försöker igen' in content
    assert 'class="govuk-tag govuk-tag--grey">Skickades inte' in content
    assert 'class="govuk-tag govuk-tag--green">Levererad' in content
    assert reverse("followup:reminder-log", args=[period.year]) in content


def test_a_passed_deadline_says_how_many_days_ago(client):
    today = timezone.localdate()
    ReportingPeriod.objects.create(
        year=today.year,
        opens_on=today - datetime.timedelta(days=30),
        due_on=today - datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=20),
    )
    staff = build_county_staff()

    content = dashboard_of(client, staff).content.decode()

    assert "Sista dagen har passerat" in content
    assert "3 dagar" in content and "sedan sista dagen att rapportera" in content
    assert "passerade för 3 dagar sedan" in content


def test_the_last_day_is_today(client):
    today = timezone.localdate()
    ReportingPeriod.objects.create(
        year=today.year,
        opens_on=today - datetime.timedelta(days=30),
        due_on=today,
        closes_on=today + datetime.timedelta(days=20),
    )

    content = dashboard_of(client, build_county_staff()).content.decode()

    assert "är sista dagen att rapportera" in content
    assert "Snart sista dag" in content


def test_without_an_open_period_it_says_so_and_leads_to_the_periods(client):
    today = timezone.localdate()
    closed = ReportingPeriod.objects.create(
        year=today.year - 1,
        opens_on=today - datetime.timedelta(days=100),
        due_on=today - datetime.timedelta(days=80),
        closes_on=today - datetime.timedelta(days=60),
    )

    response = dashboard_of(client, build_county_staff())

    content = response.content.decode()
    assert "Ingen rapporteringsperiod är öppen i dag." in content
    assert reverse("followup:period-list") in content
    assert "där du kan öppna en ny period" in content
    assert reverse("followup:period-overview", args=[closed.year]) in content
    assert "Stängd" in content


def test_without_any_period_at_all_it_still_answers(client):
    content = dashboard_of(client, build_county_staff()).content.decode()

    assert "Ingen rapporteringsperiod är öppen i dag." in content


def test_a_locked_period_is_not_the_open_one(client):
    world = build_world()
    ReportingPeriod.objects.filter(pk=world.period.pk).update(locked_at=timezone.now())

    content = dashboard_of(client, world.users["county_staff"]).content.decode()

    assert "Ingen rapporteringsperiod är öppen i dag." in content


# --- Who may use it, and where people land ----------------------------------------------------


def build_county_staff():
    from actors.models import Membership
    from actors.services import membership_grant

    kansli = OrganisationFactory(short_name="Kansli")
    user = UserFactory(username="karin")
    membership_grant(user=user, organisation=kansli, role=Membership.Role.COUNTY_STAFF)
    return user


@pytest.mark.parametrize("persona", ["coordinator_a", "delegate", "staff_only"])
def test_people_who_do_not_follow_up_are_refused_and_not_linked_to_it(client, persona):
    world = build_world()
    client.force_login(world.users[persona])

    refused = client.get(DASHBOARD)
    home = client.get(reverse("followup:my-tasks"))

    assert refused.status_code == 403
    assert f'href="{DASHBOARD}"' not in home.content.decode()


def test_county_staff_and_administrators_have_it_in_the_menu(client):
    world = build_world()
    for persona in ("county_staff", "administrator"):
        client.force_login(world.users[persona])
        assert f'href="{DASHBOARD}"' in client.get(reverse("followup:my-tasks")).content.decode()


def test_visitors_are_sent_to_sign_in(client):
    response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_county_staff_land_on_it_after_the_password_and_the_code(client):
    staff = build_county_staff()
    device = app_device(staff)

    signed_in = client.post(reverse("login"), {"username": "karin", "password": PASSWORD})
    asked = client.get(signed_in["Location"])
    verified = client.post(reverse("two-factor-verify"), {"code": code_for(device)})

    assert signed_in["Location"] == DASHBOARD
    assert asked["Location"].startswith(reverse("two-factor-verify"))
    assert verified["Location"] == DASHBOARD


def test_coordinators_still_land_on_my_tasks_and_administrators_on_the_administration(client):
    world = build_world()
    for user, landing in [
        (world.users["coordinator_a"], reverse("followup:my-tasks")),
        (world.users["administrator"], reverse("actors:administration")),
    ]:
        response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
        assert response["Location"] == landing
        client.logout()


def test_a_page_asked_for_before_signing_in_wins_over_the_landing_page(client):
    build_county_staff()
    wanted = reverse("followup:period-list")

    response = client.post(
        reverse("login"), {"username": "karin", "password": PASSWORD, "next": wanted}
    )

    assert response["Location"] == wanted


def test_post_is_not_allowed(client):
    world = build_world()
    client.force_login(world.users["county_staff"])

    assert client.post(DASHBOARD).status_code == 405


def test_the_page_reads_in_english(client):
    world = build_world()
    client.force_login(world.users["county_staff"])

    content = client.get(DASHBOARD, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "<h1>Overview</h1>" in content
