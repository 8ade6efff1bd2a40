"""`manage.py seed_demo` fills an empty portal with marked demo content, and only once."""

import datetime as dt
import io
import re
import zoneinfo
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice

import indicators
from actionplan import permissions as reporting
from actionplan.models import ActionPlan, Commitment, Goal
from actors.models import Membership, Organisation, User
from demo import content
from demo.generator import DEMO_PASSWORD, DEMO_TOTP_SECRET
from followup.models import ProgressReport, ReportingPeriod
from indicators.models import Area, Indicator, IndicatorValue, SurveyAnswer
from tests.factories import UserFactory
from tests.two_factor import app_device

pytestmark = pytest.mark.django_db

DEMO_USERNAMES = ["admin", "kansli", "samordnare.polisen", "samordnare.huddinge"]
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
# The demo follows the calendar; pin it so that the suite means the same every year.
TODAY = dt.datetime(2026, 11, 22, 10, 0, tzinfo=STOCKHOLM)


@pytest.fixture(autouse=True)
def _pinned_clock(time_machine):
    time_machine.move_to(TODAY, tick=True)


@pytest.fixture(autouse=True)
def _development_machine(settings):
    settings.DEBUG = True  # pytest-django turns it off; the demo belongs on development machines


def test_seed_demo_refuses_to_run_in_production(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        seed()
    assert not Commitment.objects.exists()


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, list[dict]]:
    """Every row of every table, so that a rerun that touches anything shows up."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
    }


@pytest.fixture
def seeded() -> str:
    return seed()


def test_commitments_cover_both_plans_and_all_eight_goals(seeded):
    demo = Commitment.objects.filter(is_demo=True)
    assert 50 <= demo.count() <= 80
    assert set(demo.values_list("plan", flat=True)) == set(
        ActionPlan.objects.values_list("pk", flat=True)
    )
    for plan in ActionPlan.objects.all():
        goals_in_plan = set(
            Goal.objects.filter(commitments__plan=plan).values_list("number", flat=True)
        )
        assert goals_in_plan == set(range(1, 9)), plan


def test_commitments_are_marked_and_both_own_and_joint(seeded):
    commitments = Commitment.objects.prefetch_related(
        "goals", "violence_areas", "participating_organisations"
    )
    own = joint = 0
    for commitment in commitments:
        assert commitment.is_demo
        assert commitment.title.startswith("Demo: ")
        assert 1 <= commitment.goals.count() <= 2
        assert 1 <= commitment.violence_areas.count() <= 2
        participants = list(commitment.participating_organisations.all())
        assert len(participants) <= 3
        assert commitment.lead_organisation not in participants
        plan = commitment.plan
        assert plan.start_year <= commitment.start_year <= commitment.end_year <= plan.end_year
        own += not participants
        joint += bool(participants)
    assert own and joint


def test_reports_come_in_every_state_and_status_from_the_right_organisations(seeded):
    reports = ProgressReport.objects.select_related("commitment", "period")
    assert set(reports.values_list("state", flat=True)) == set(ProgressReport.State.values)
    assert set(reports.values_list("status", flat=True)) == set(ProgressReport.Status.values)
    for report in reports.prefetch_related("commitment__participating_organisations"):
        commitment = report.commitment
        allowed = {commitment.lead_organisation_id} | {
            org.pk for org in commitment.participating_organisations.all()
        }
        assert report.organisation_id in allowed
        assert commitment.start_year <= report.period.year <= commitment.end_year
        if report.state == ProgressReport.State.DRAFT:
            assert report.submitted_at is None
        else:
            assert report.submitted_at <= timezone.now()
        if report.state in (ProgressReport.State.RETURNED, ProgressReport.State.APPROVED):
            assert report.submitted_at <= report.reviewed_at <= timezone.now()


def test_periods_run_from_2020_and_this_years_is_open_with_reports_missing(seeded):
    today = timezone.localdate()
    years = list(ReportingPeriod.objects.order_by("year").values_list("year", flat=True))
    assert years == list(range(2020, today.year + 1))

    current = ReportingPeriod.objects.get(year=today.year)
    assert (current.opens_on, current.due_on, current.closes_on) == (
        dt.date(2026, 11, 1),
        dt.date(2026, 12, 15),
        dt.date(2027, 1, 31),
    )
    last_year = ReportingPeriod.objects.get(year=2025)
    assert (last_year.opens_on, last_year.due_on, last_year.closes_on) == (
        dt.date(2026, 1, 15),
        dt.date(2026, 3, 31),
        dt.date(2026, 4, 30),
    )
    for period in ReportingPeriod.objects.exclude(year=today.year):
        assert period.closes_on < today

    expected = sum(
        1 + commitment.participating_organisations.count()
        for commitment in Commitment.objects.filter(
            start_year__lte=today.year, end_year__gte=today.year
        )
    )
    present = ProgressReport.objects.filter(period=current).count()
    assert 0 < present <= expected * 0.8, "a good share of this year's reports should be late"


def test_this_years_period_is_open_also_early_in_the_year(time_machine):
    time_machine.move_to(dt.datetime(2027, 3, 10, 9, 0, tzinfo=STOCKHOLM), tick=True)
    seed()
    today = timezone.localdate()
    current = ReportingPeriod.objects.get(year=2027)
    assert current.opens_on <= today <= current.due_on <= current.closes_on
    assert ProgressReport.objects.filter(period=current).exists()


def assert_no_two_periods_overlap():
    periods = list(ReportingPeriod.objects.order_by("opens_on"))
    for earlier, later in zip(periods, periods[1:], strict=False):
        assert earlier.closes_on < later.opens_on, (earlier, later)


@pytest.mark.parametrize(
    "day", [dt.date(2027, 1, 1), dt.date(2027, 1, 10), dt.date(2027, 2, 10), dt.date(2027, 4, 30)]
)
def test_no_two_periods_overlap_while_last_years_round_would_still_run(time_machine, day):
    time_machine.move_to(dt.datetime.combine(day, dt.time(9), tzinfo=STOCKHOLM), tick=True)

    seed()

    assert_no_two_periods_overlap()
    current = ReportingPeriod.objects.current()
    assert current is not None and current.year == day.year
    assert ProgressReport.objects.filter(period=current).exists()


def test_a_rerun_in_the_new_year_adds_a_period_that_overlaps_none(time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 1, 9, 0, tzinfo=STOCKHOLM), tick=True)
    seed()
    time_machine.move_to(dt.datetime(2027, 1, 20, 9, 0, tzinfo=STOCKHOLM), tick=True)

    seed()

    assert ReportingPeriod.objects.filter(year=2027).exists()
    assert_no_two_periods_overlap()


def test_the_demo_coordinators_have_reports_to_write_in_the_open_period(seeded):
    today = timezone.localdate()
    for slug in ("polisen", "huddinge"):
        organisation = Organisation.objects.get(slug=slug)
        due = sum(
            1
            for commitment in Commitment.objects.filter(
                start_year__lte=today.year, end_year__gte=today.year
            )
            if commitment.lead_organisation == organisation
            or organisation in commitment.participating_organisations.all()
        )
        written = ProgressReport.objects.filter(
            organisation=organisation, period__year=today.year
        ).count()
        assert written < due, slug


def test_demo_coordinators_may_report_on_exactly_their_organisations_commitments(seeded):
    for slug in ("polisen", "huddinge"):
        organisation = Organisation.objects.get(slug=slug)
        responsible = set(
            Commitment.objects.filter(
                Q(lead_organisation=organisation) | Q(participating_organisations=organisation)
            ).values_list("pk", flat=True)
        )
        user = User.objects.get(username=f"samordnare.{slug}")
        tasks = reporting.reporting_tasks(user)
        assert {task.organisation for task in tasks} == {organisation}
        assert {task.commitment.pk for task in tasks} == responsible


def test_indicators_have_county_municipality_and_sex_breakdown_values(seeded):
    indicators = Indicator.objects.all()
    assert set(indicators.values_list("goals__number", flat=True)) == set(range(1, 9))
    for indicator in indicators.exclude(slug="valj-att-sluta"):
        assert indicator.is_demo
        assert indicator.name.startswith("Demo: ")
        assert indicator.unit and indicator.source
    # The helpline's figures are real public facts, so they are not marked as demo data.
    valj_att_sluta = Indicator.objects.get(slug="valj-att-sluta")
    assert not valj_att_sluta.is_demo
    assert dict(valj_att_sluta.values.values_list("year", "value")) == {2022: 82, 2023: 119}
    sources = set(indicators.values_list("source", flat=True))
    assert {"Socialstyrelsen, Öppna jämförelser", "Brå, NTU", "Kolada"} <= sources
    assert set(indicators.values_list("desired_direction", flat=True)) == set(
        Indicator.Direction.values
    )

    values = IndicatorValue.objects.all()
    assert values.filter(area__kind=Area.Kind.COUNTY).exists()
    assert values.filter(area__kind=Area.Kind.MUNICIPALITY).exists()
    assert set(values.values_list("sex", flat=True)) == set(IndicatorValue.Sex.values)
    assert values.filter(area__kind=Area.Kind.MUNICIPALITY, sex=IndicatorValue.Sex.WOMEN).exists()
    years = set(values.values_list("year", flat=True))
    assert set(range(2020, timezone.localdate().year)) <= years

    yes_no = Indicator.objects.get(kind=Indicator.Kind.YES_NO_SHARE)
    answers = SurveyAnswer.objects.filter(indicator=yes_no)
    assert answers.filter(area__kind=Area.Kind.CITY_DISTRICT).exists()
    assert set(range(2020, timezone.localdate().year)) <= set(
        answers.values_list("year", flat=True)
    )
    assert Indicator.objects.filter(pk=yes_no.pk).county_series()[yes_no.pk]


def log_in(client, username: str) -> bool:
    # django-axes checks every sign-in against its request, so the test client passes one.
    return client.login(request=HttpRequest(), username=username, password=DEMO_PASSWORD)


def test_output_lists_each_demo_login_with_its_password_and_they_can_log_in(seeded, client):
    assert DEMO_PASSWORD in seeded
    for username in DEMO_USERNAMES:
        assert username in seeded
        assert log_in(client, username), username
        client.logout()


def test_each_demo_login_has_its_role(seeded):
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert not admin.memberships.exists()

    kansli = Membership.objects.get(user__username="kansli")
    assert (kansli.organisation.slug, kansli.role) == ("storsthlm", Membership.Role.COUNTY_STAFF)
    for slug in ("polisen", "huddinge"):
        membership = Membership.objects.get(user__username=f"samordnare.{slug}")
        assert (membership.organisation.slug, membership.role) == (
            slug,
            Membership.Role.COORDINATOR,
        )
    for username in DEMO_USERNAMES:
        user = User.objects.get(username=username)
        assert user.email == f"{username}@demo.kvinnofrid.example"
        assert user.get_full_name().startswith("Demo ")
        assert user.is_superuser == (username == "admin")


def demo_totp(username: str) -> str:
    out = io.StringIO()
    call_command("demo_totp", username, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def test_the_demo_administrator_and_county_staff_sign_in_with_the_published_app_secret(
    seeded, client
):
    assert DEMO_TOTP_SECRET in seeded.replace(" ", "")
    assert "manage.py demo_totp admin" in seeded
    for username, page in [("admin", "admin:index"), ("kansli", "followup:period-list")]:
        code = demo_totp(username)
        client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
        assert client.get(reverse(page)).status_code == 302  # the code first

        response = client.post(reverse("two-factor-verify"), {"code": code})

        assert re.fullmatch(r"\d{6}", code)
        assert response.status_code == 302, username
        assert client.get(reverse(page)).status_code == 200, username
        client.logout()
    assert not TOTPDevice.objects.filter(user__username__startswith="samordnare.").exists()


def test_demo_totp_tells_no_code_of_an_app_with_a_secret_of_its_own(seeded):
    app_device(UserFactory(username="verklig", is_staff=True))

    with pytest.raises(CommandError, match="no app with the demo secret"):
        demo_totp("verklig")


def test_demo_totp_refuses_to_run_in_production(seeded, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        demo_totp("admin")


def test_second_run_changes_no_row(seeded):
    before = snapshot()
    output = seed()
    assert snapshot() == before
    assert "Nothing changed" in output
    assert DEMO_PASSWORD in output


def test_second_run_restores_a_changed_demo_password(seeded, client):
    user = User.objects.get(username="kansli")
    user.set_password("something else")
    user.save()
    seed()
    assert log_in(client, "kansli")


def test_real_user_with_a_demo_username_is_left_alone():
    real = UserFactory(username="admin", is_staff=True, is_superuser=True)
    password_hash = real.password
    output = seed()
    real.refresh_from_db()
    assert real.password == password_hash
    assert real.email == "admin@example.org"
    assert "'admin' exists and is not a demo user" in output


def test_larger_scale_adds_organisations_and_commitments_and_keeps_the_smaller_ones(seeded):
    commitments_before = list(Commitment.objects.order_by("pk").values())
    reports_before = list(ProgressReport.objects.order_by("pk").values())
    organisations_before = Organisation.objects.count()

    seed("--scale", "2")

    assert Commitment.objects.count() > len(commitments_before)
    assert Organisation.objects.count() > organisations_before
    assert list(Commitment.objects.order_by("pk").values())[: len(commitments_before)] == (
        commitments_before
    )
    assert list(ProgressReport.objects.order_by("pk").values())[: len(reports_before)] == (
        reports_before
    )


@pytest.mark.parametrize("value", ["0", "-3", "abc", "1.5", "100000"])
def test_bad_scale_is_a_command_error(value):
    with pytest.raises(CommandError, match="scale"):
        seed("--scale", value)
    assert not Commitment.objects.exists()


@pytest.mark.parametrize("value", [0, 1001])
def test_bad_scale_from_code_is_a_command_error(value):
    with pytest.raises(CommandError, match="scale"):
        call_command("seed_demo", scale=value, stdout=io.StringIO())


# Committed rows, as on a developer's or the benchmark's database; the shipped rows are put
# back for the tests after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_planner_has_statistics_of_the_seeded_tables():
    def analyzed() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_user_tables WHERE relname = "
                "'followup_progressreport' AND (last_analyze IS NOT NULL "
                "OR last_autoanalyze IS NOT NULL)"
            )
            return cursor.fetchone()[0]

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_reset()")
    assert analyzed() == 0

    call_command("seed_demo", stdout=io.StringIO())

    assert analyzed() == 1


# indicators: the samples the project wrote import into the quick start's demo without an error.
@pytest.mark.parametrize("sample", ["indikatorvarden.csv", "kolada.json"])
def test_the_indicator_samples_import_into_the_demo(seeded, sample):
    path = Path(indicators.__file__).parent / "samples" / sample
    output = io.StringIO()

    call_command("import_indicators", str(path), stdout=output)

    assert "Importen är sparad." in output.getvalue()


# --- The demo makes sense (issue 10) ------------------------------------------------------------


def test_no_approved_report_says_not_started_or_zero_percent(seeded):
    approved = ProgressReport.objects.filter(state=ProgressReport.State.APPROVED)

    assert approved.exists()
    assert not approved.filter(status=ProgressReport.Status.NOT_STARTED).exists()
    assert not approved.filter(percent_done=0).exists()
    assert not approved.filter(work_done__in=content.NOT_STARTED_WORK).exists()


def test_a_not_started_report_says_why_instead_of_describing_work_done(seeded):
    not_started = ProgressReport.objects.filter(status=ProgressReport.Status.NOT_STARTED)

    assert not_started.exists()
    for work_done, results, percent in not_started.values_list(
        "work_done", "results", "percent_done"
    ):
        assert work_done in content.NOT_STARTED_WORK
        assert (results, percent) == ("", 0)


def test_every_report_of_the_closed_rounds_is_reviewed_so_the_queue_holds_only_the_open_one(
    seeded,
):
    today = timezone.localdate()
    waiting = ProgressReport.objects.filter(
        state__in=[ProgressReport.State.SUBMITTED, ProgressReport.State.RETURNED]
    )

    assert not waiting.filter(period__year__lt=today.year).exists()
    assert waiting.filter(period__year=today.year, state=ProgressReport.State.SUBMITTED).exists()
    closed = ProgressReport.objects.filter(period__year__lt=today.year)
    assert set(closed.values_list("state", flat=True)) == {ProgressReport.State.APPROVED}


def test_a_few_closed_round_reports_were_returned_once_and_then_approved(seeded):
    today = timezone.localdate()
    closed = ProgressReport.objects.filter(period__year__lt=today.year)
    returned_ids = ProgressReport.history.filter(history_change_reason="returned").values("id")
    reworked = closed.filter(pk__in=returned_ids)

    assert 0 < reworked.count() < closed.count() / 5
    report = reworked.first()
    steps = list(report.history.order_by("history_date", "history_id"))
    assert [step.history_change_reason for step in steps] == [
        "submit",
        "returned",
        "submit",
        "approved",
    ]
    assert [step.state for step in steps] == ["submitted", "returned", "submitted", "approved"]
    # Returned for missing results, sent in again with them.
    assert (steps[0].results, steps[1].review_comment) == (
        "",
        content.RETURN_COMMENT_ASKING_FOR_RESULTS,
    )
    assert report.results in content.RESULTS_WITH_FIGURES
    assert report.review_comment == content.APPROVE_AFTER_RETURN_COMMENT
    assert steps[-1].history_date == report.reviewed_at
    assert steps[0].history_date < steps[1].history_date <= steps[2].history_date
    assert steps[2].history_date == report.submitted_at <= report.reviewed_at


def test_a_demo_title_carries_the_prefix_and_the_pages_no_second_demo_tag(seeded, client):
    commitment = Commitment.objects.filter(is_demo=True).order_by("pk").first()

    pages = [
        client.get(reverse("actionplan:commitment-list")).content.decode(),
        client.get(reverse("followup:commitment-detail", args=[commitment.pk])).content.decode(),
    ]

    assert commitment.title.startswith("Demo: ")
    for page in pages:
        assert "Demo: " in page
        assert re.search(r">\s*Demo\s*<", page) is None


def test_the_demo_indicators_have_english_names_and_keep_their_swedish_ones(seeded):
    demo = list(Indicator.objects.filter(is_demo=True))

    assert demo
    with translation.override("en"):
        english = {indicator.name for indicator in demo}
    with translation.override("sv"):
        swedish = {indicator.name for indicator in demo}
    assert all(name.startswith("Demo: ") for name in english | swedish)
    assert not english & swedish
    assert "Demo: Share of the population aged 16–84 exposed to assault" in english
