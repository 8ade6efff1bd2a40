"""The county's overview of a period: counted in the database, kept in the cache, a page at a time.

The figures are cached until something they count changes; every kind of change must show on
the very next request. The writes here run their after-commit callbacks, as in production.
"""

import random
from collections import Counter, defaultdict

import pytest
from django.core.cache import cache
from django.db.models import F
from django.test import Client
from django.urls import reverse
from redis.exceptions import ConnectionError as RedisConnectionError

from actionplan.models import Commitment
from actionplan.services import commitment_responsibility_set
from actors.models import Organisation
from actors.services import organisation_set_active
from followup import services
from followup.models import ReportState
from followup.overview import PeriodObligations, counted_reports, period_figures_read
from followup.views import LATE_PAGE_SIZE, MATRIX_PAGE_SIZE
from tests.factories import (
    CommitmentFactory,
    OrganisationFactory,
    ProgressReportFactory,
    ReportingPeriodFactory,
    shipped_goal,
)
from tests.personas import build_world
from tests.test_admin import _admin_form_data

pytestmark = pytest.mark.django_db

REPORT = {
    "status": "on_track",
    "percent_done": 60,
    "work_done": "Tre utbildningar för socialtjänsten.",
    "results": "120 deltagare.",
    "obstacles": "",
    "next_steps": "Fler utbildningar i norra länet.",
}


@pytest.fixture
def world(client):
    world = build_world()
    client.force_login(world.users["county_staff"])
    return world


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a write's after-commit callbacks (the cache bumps) as its commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def administrator(world):
    client = Client()
    client.force_login(world.users["administrator"])
    return client


def overview(client, year, **query):
    response = client.get(reverse("followup:period-overview", args=[year]), query)
    assert response.status_code == 200
    return response


def shown(client, world):
    return overview(client, world.period.year).context["overview"]


def figures(client, world) -> tuple[int, int]:
    """Reports sent in, and reports owed, as the overview shows them."""
    period_figures = shown(client, world)
    return period_figures.reported, period_figures.expected


# --- One definition of what a period owes ---------------------------------------------------


def test_the_overview_counts_exactly_the_reports_the_period_owes():
    """On a random-ish county: the SQL counts and the sweep's sets of pairs agree."""
    rng = random.Random(2027)
    period = ReportingPeriodFactory(year=2026)
    other_period = ReportingPeriodFactory(year=2025)
    organisations = [OrganisationFactory(is_active=rng.random() > 0.25) for _ in range(10)]
    goals = [shipped_goal(number) for number in range(1, 9)]
    for _ in range(40):
        lead = rng.choice(organisations)
        start = rng.choice([2023, 2024, 2025, 2026, 2027])
        commitment = CommitmentFactory(
            lead_organisation=lead,
            # Sometimes the lead is among the participants too: it still owes one report.
            participating_organisations=rng.sample(organisations, rng.choice([0, 1, 2, 3])),
            goals=rng.sample(goals, rng.choice([0, 1, 2, 3])),
            start_year=start,
            end_year=start + rng.choice([0, 1, 2]),
            state=rng.choice(Commitment.State.values),
        )
        # Reports from organisations that owe one, and from some that do not.
        others = [
            organisation for organisation in rng.sample(organisations, 3) if organisation != lead
        ]
        for organisation in [lead, *others]:
            for reporting_period in (period, other_period):
                if rng.random() < 0.6:
                    ProgressReportFactory(
                        commitment=commitment,
                        organisation=organisation,
                        period=reporting_period,
                        state=rng.choice(ReportState.values),
                    )

    owed = PeriodObligations.load(period)
    counted = period_figures_read(period)

    goals_of = defaultdict(set)
    for commitment_id, goal_id in Commitment.goals.through.objects.values_list(
        "commitment", "goal"
    ):
        goals_of[commitment_id].add(goal_id)
    column = {goal.pk: index for index, goal in enumerate(counted.goals)}
    expected, reported = Counter(), Counter()
    cells = defaultdict(lambda: [0] * len(column))
    for commitment_id, organisation_id in owed.obligations:
        expected[organisation_id] += 1
        if (commitment_id, organisation_id) in owed.reported:
            reported[organisation_id] += 1
        else:
            for goal_id in goals_of[commitment_id]:
                cells[organisation_id][column[goal_id]] += 1
    # The data set has what makes the rules matter.
    assert owed.missing and owed.reported
    assert any(not organisation.is_active for organisation in organisations)
    assert Commitment.objects.filter(participating_organisations=F("lead_organisation")).exists()
    assert set(counted_reports(period)) - owed.obligations  # reports nobody owed: not counted
    assert Commitment.objects.filter(
        state=Commitment.State.CANCELLED, start_year__lte=2026, end_year__gte=2026
    ).exists()

    assert {row.pk: (row.expected, row.reported, list(row.cells)) for row in counted.rows} == {
        pk: (expected[pk], reported[pk], cells[pk]) for pk in expected
    }
    assert (counted.expected, counted.reported) == (len(owed.obligations), len(owed.reported))
    assert counted.commitments_in_scope == len(owed.commitments)
    assert counted.commitments_fully_reported == len(owed.commitments) - len(
        {commitment_id for commitment_id, _organisation in owed.missing}
    )
    assert list(counted.goal_totals) == [
        sum(column) for column in zip(*cells.values(), strict=True)
    ]
    assert [row.missing for row in counted.rows] == sorted(
        (row.missing for row in counted.rows), reverse=True
    )


# --- The cache ------------------------------------------------------------------------------


def test_a_second_request_reads_the_figures_from_the_cache(
    client, world, django_assert_num_queries
):
    url = reverse("followup:period-overview", args=[world.period.year])
    # Session, person, roles, period; goals, the counts, organisations; undelivered reminders;
    # the late organisations' contacts and last reminders.
    with django_assert_num_queries(10):
        first = client.get(url)
    with django_assert_num_queries(7):
        second = client.get(url)

    assert first.context["overview"] == second.context["overview"]
    assert first.context["overview"].expected == 3


def test_the_overview_works_while_the_cache_is_down(client, world, monkeypatch):
    def down(*args, **kwargs):
        raise RedisConnectionError("Connection refused")

    monkeypatch.setattr(cache, "get_many", down)

    assert (
        "2 av 3 rapporter inskickade (67 %)" in overview(client, world.period.year).content.decode()
    )


def test_a_submitted_report_shows_at_once(client, world, committed):
    assert figures(client, world) == (2, 3)
    with committed():
        services.progress_report_save(
            commitment=world.other_commitment,
            organisation=world.a_draft.organisation,
            period=world.period,
            user=world.users["coordinator_a"],
            data=REPORT,
            expected_version=world.a_draft.version,
            submit=True,
        )

    assert figures(client, world) == (3, 3)


def test_a_returned_report_shows_at_once(client, world, committed):
    assert figures(client, world) == (2, 3)
    with committed():
        services.progress_report_return(
            report=world.b_submitted,
            user=world.users["county_staff"],
            expected_version=world.b_submitted.version,
            comment="Komplettera med resultaten.",
        )

    assert figures(client, world) == (1, 3)
    assert "B" in [row.short_name for row in shown(client, world).late]


def test_an_approved_report_still_counts(client, world, committed):
    assert figures(client, world) == (2, 3)
    with committed():
        services.progress_report_approve(
            report=world.b_submitted,
            user=world.users["county_staff"],
            expected_version=world.b_submitted.version,
        )

    assert figures(client, world) == (2, 3)


def test_deactivating_and_reactivating_an_organisation_shows_at_once(client, world, committed):
    b = world.b_commitment.lead_organisation
    assert figures(client, world) == (2, 3)
    with committed():
        organisation_set_active(organisation=b, is_active=False)
    assert figures(client, world) == (1, 2)
    with committed():
        organisation_set_active(organisation=b, is_active=True)
    assert figures(client, world) == (2, 3)


def test_a_change_of_who_carries_a_commitment_shows_at_once(client, world, committed):
    a = world.commitment.lead_organisation
    assert figures(client, world) == (2, 3)
    with committed():
        commitment_responsibility_set(
            commitment=world.b_commitment,
            lead_organisation=world.b_commitment.lead_organisation,
            participating_organisations=[a],
        )

    assert figures(client, world) == (2, 4)
    late_a = next(row for row in shown(client, world).late if row.slug == "a")
    assert late_a.missing == 2


def test_a_new_commitment_shows_at_once(client, world, committed):
    assert figures(client, world) == (2, 3)
    with committed():
        CommitmentFactory(
            lead_organisation=world.b_commitment.lead_organisation,
            start_year=world.period.year,
            end_year=world.period.year,
        )

    assert figures(client, world) == (2, 4)


def test_an_organisation_renamed_in_the_admin_shows_at_once(
    client, world, administrator, committed
):
    late = OrganisationFactory(short_name="Sen", name="Den sena myndigheten")
    CommitmentFactory(
        lead_organisation=late, start_year=world.period.year, end_year=world.period.year
    )
    assert "Sen" in [row.short_name for row in shown(client, world).late]
    url = reverse("admin:actors_organisation_change", args=[late.pk])
    page = administrator.get(url)
    assert not late.memberships.exists()  # the inline posts no forms
    inline = {
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }

    with committed():
        response = administrator.post(url, _admin_form_data(page, short_name="Senare") | inline)

    assert response.status_code == 302
    assert "Senare" in [row.short_name for row in shown(client, world).late]


def test_a_report_deleted_in_the_admin_shows_at_once(client, world, administrator, committed):
    assert figures(client, world) == (2, 3)
    url = reverse("admin:followup_progressreport_delete", args=[world.b_submitted.pk])
    with committed():
        response = administrator.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert figures(client, world) == (1, 3)


def test_a_period_moved_to_another_year_in_the_admin_shows_at_once(
    client, world, administrator, committed
):
    assert figures(client, world) == (2, 3)
    url = reverse("admin:followup_reportingperiod_change", args=[world.period.pk])
    page = administrator.get(url)
    later = world.period.year + 5  # the commitments end the year after the period's
    with committed():
        response = administrator.post(url, _admin_form_data(page, year=later))

    assert response.status_code == 302
    shown = overview(client, later).context["overview"]
    assert (shown.reported, shown.expected) == (0, 0)


def test_a_goal_renamed_in_the_admin_shows_at_once(client, world, administrator, committed):
    goal = shipped_goal(1)
    assert goal.title in overview(client, world.period.year).content.decode()
    url = reverse("admin:actionplan_goal_change", args=[goal.pk])
    page = administrator.get(url)
    with committed():
        response = administrator.post(url, _admin_form_data(page, title="Ett nytt första mål"))

    assert response.status_code == 302
    assert 'title="Ett nytt första mål"' in overview(client, world.period.year).content.decode()


def test_a_locked_period_shows_at_once(client, world):
    assert "Skicka påminnelse nu" in overview(client, world.period.year).content.decode()
    client.post(reverse("followup:period-lock", args=[world.period.year]))

    page = overview(client, world.period.year).content.decode()
    assert "Perioden är låst." in page
    assert "Skicka påminnelse nu" not in page


# --- A page at a time -----------------------------------------------------------------------


def late_organisations(world, count):
    """`count` organisations that each owe the period one report on goal 2, and have none."""
    organisations = [OrganisationFactory() for _ in range(count)]
    for organisation in organisations:
        CommitmentFactory(
            lead_organisation=organisation,
            goals=[shipped_goal(2)],
            start_year=world.period.year,
            end_year=world.period.year,
        )
    return organisations


def test_the_matrix_shows_a_page_of_organisations_and_the_totals_of_the_whole_county(client, world):
    late_organisations(world, MATRIX_PAGE_SIZE + 5)

    first = overview(client, world.period.year)
    last = overview(client, world.period.year, page=2)

    assert len(first.context["matrix_page"]) == MATRIX_PAGE_SIZE
    # The rest, with A and B: most missing first, B (nothing missing) last.
    assert len(last.context["matrix_page"]) == 5 + 2
    last_row, _cells = last.context["matrix_page"][-1]
    assert last_row.short_name == "B"
    owed = MATRIX_PAGE_SIZE + 5 + 3
    for page in (first, last):
        # The goals of A's draft and of the organisations' commitments, counted for everyone.
        assert page.context["overview"].goal_totals[:2] == (1, MATRIX_PAGE_SIZE + 5)
        assert f"2 av {owed} rapporter inskickade" in page.content.decode()
    assert 'href="?page=2#matrix-heading" rel="next"' in first.content.decode()


def test_the_matrix_shows_the_organisations_of_a_kind_or_by_name(client, world):
    vaxholm = Organisation.objects.get(municipality_code="0187")  # shipped with the code
    CommitmentFactory(
        lead_organisation=vaxholm, start_year=world.period.year, end_year=world.period.year
    )

    def shown(**query):
        page = overview(client, world.period.year, **query).context["matrix_page"]
        return [row.short_name for row, _cells in page]

    assert shown(kind="municipality") == [vaxholm.short_name]
    assert shown(affiliation="member") == ["A", "B"]
    assert shown(q="vaxholms") == [vaxholm.short_name]
    assert shown(q="myndighet b") == ["B"]
    assert shown(q="ingen sådan") == []
    # A filter that is not one of the choices is explained, and every organisation shown.
    junk = overview(client, world.period.year, kind="planet")
    assert junk.context["filter_form"].errors
    assert len(junk.context["matrix_page"]) == 3


def test_the_late_organisations_come_a_page_at_a_time_and_a_reminder_returns_to_the_page(
    client, world
):
    late_organisations(world, LATE_PAGE_SIZE)
    first = overview(client, world.period.year)
    page = overview(client, world.period.year, late_page=2)
    assert len(first.context["late_page"]) == LATE_PAGE_SIZE
    assert len(page.context["late_page"]) == 1  # the organisations and A: one more than a page
    assert 'href="?late_page=2#late-heading" rel="next"' in first.content.decode()
    assert 'name="late_page" value="2"' in page.content.decode()

    response = client.post(
        reverse("followup:remind-now", args=[world.period.year, "a"]), {"late_page": "2"}
    )

    assert response.status_code == 302
    assert response["Location"].endswith("?late_page=2#late-heading")
    for junk in ("0", "-1", "2x", "²", "9" * 50):
        response = client.post(
            reverse("followup:remind-now", args=[world.period.year, "a"]), {"late_page": junk}
        )
        assert response["Location"] == reverse("followup:period-overview", args=[world.period.year])
