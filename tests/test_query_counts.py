"""Pages run a fixed number of SQL queries, whatever the amount of data."""

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplan.models import Commitment, ViolenceArea
from actors.models import Organisation
from countyreport.services import county_report_for_year, goal_analysis_save
from followup.models import Reminder, ReportState
from indicators.models import Indicator, IndicatorValue
from practices.models import Practice
from tests.factories import (
    CommitmentFactory,
    CountyReportFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    OrganisationFactory,
    PracticeFactory,
    ProgressReportFactory,
    ReportBuildFactory,
    ReportingPeriodFactory,
    SurveyAnswerFactory,
    area,
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
    # Its filters (issue 10): the open period, the chosen period, the three lists' options.
    ("county_staff", "followup:review-queue", None, 10),
    # With the commitment's line across the plans (one query, however long).
    # practices: plus one for the published methods the commitment builds on.
    ("coordinator_a", "followup:commitment-detail", lambda w: [w.commitment.pk], 16),
    ("county_staff", "followup:report-detail", lambda w: [w.a_submitted.pk], 6),
    ("county_staff", "followup:period-list", None, 4),
    # Two for the page of late organisations: their contacts, and their last reminders.
    ("county_staff", "followup:period-overview", lambda w: [w.period.year], 10),
    # followup: one organisation's commitments in the period, with its reports' states.
    ("county_staff", "followup:period-organisation", lambda w: [w.period.year, "a"], 11),
    ("county_staff", "followup:reminder-log", lambda w: [w.period.year], 6),
    # countyreport
    ("county_staff", "countyreport:report-list", None, 5),
    ("county_staff", "countyreport:report-detail", lambda w: [w.period.year], 11),
    ("visitor", "countyreport:published-list", None, 2),
]


# --- indicators: goal pages ---
def add_goal_content(world, count):
    """`count` indicators of goal 1 with values for the county, two municipalities and women
    and men over three years, and `count` commitments of goal 1 with an approved report."""
    for _number in range(count):
        indicator = IndicatorFactory(
            kind=Indicator.Kind.COUNT, goals=[shipped_goal(1)], by_sex=True
        )
        for year in (2022, 2023, 2024):
            for place in ("01", "0126", "0127"):
                IndicatorValueFactory(indicator=indicator, year=year, area=area(place), value=9)
            IndicatorValueFactory(
                indicator=indicator, year=year, sex=IndicatorValue.Sex.WOMEN, value=5
            )
        SurveyAnswerFactory(indicator__goals=[shipped_goal(1)])
        ProgressReportFactory(
            commitment=CommitmentFactory(goals=[shipped_goal(1)]),
            period=world.period,
            state=ReportState.APPROVED,
        )


GOAL_PAGES = [
    ("visitor", "indicators:goal-list", None, 2),
    ("visitor", "indicators:goal-detail", [1], 7),
    ("coordinator_a", "indicators:goal-detail", [1], 10),
]


@pytest.mark.parametrize("persona,url_name,arguments,queries", GOAL_PAGES)
@pytest.mark.parametrize("size", [1, 50])
def test_goal_pages_run_a_constant_number_of_queries(
    client, django_assert_num_queries, persona, url_name, arguments, queries, size
):
    world = build_world()
    add_goal_content(world, size)
    if world.users[persona]:
        client.force_login(world.users[persona])

    with django_assert_num_queries(queries):
        response = client.get(reverse(url_name, args=arguments))

    assert response.status_code == 200


# --- end of indicators: goal pages ---


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


def add_county_reports(world, count):
    """countyreport: `count` earlier years with a published build, and `count` builds and
    saved analyses (history rows) in the world's year."""
    staff = world.users["county_staff"]
    for number in range(count):
        earlier = ReportingPeriodFactory(year=world.period.year - 1 - number)
        ReportBuildFactory(report=CountyReportFactory(period=earlier), published_at=timezone.now())
    report = county_report_for_year(world.period.year)
    for number in range(count):
        ReportBuildFactory(report=report)
        goal_analysis_save(
            report=report, goal=shipped_goal(1 + number % 8), text=f"Analys {number}", user=staff
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
    add_county_reports(world, size)
    if world.users[persona]:
        client.force_login(world.users[persona])
    url = reverse(url_name, args=arguments(world) if arguments else None)

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200


# --- indicators -------------------------------------------------------------------------------


def add_indicators(count):
    """`count` indicators, each following two goals, with values and survey answers."""
    from indicators.models import Indicator
    from tests.factories import (
        IndicatorFactory,
        IndicatorValueFactory,
        SurveyAnswerFactory,
        area,
    )

    for number in range(count):
        indicator = IndicatorFactory(goals=[shipped_goal(1), shipped_goal(1 + number % 8)])
        IndicatorValueFactory(indicator=indicator, area=area("01"))
        IndicatorValueFactory(indicator=indicator, area=area("0126"))
        question = IndicatorFactory(kind=Indicator.Kind.YES_NO_SHARE, goals=[shipped_goal(2)])
        SurveyAnswerFactory(indicator=question, area=area("0126"))


@pytest.mark.parametrize("size", [1, 50])
@pytest.mark.parametrize("query", [{}, {"goal": "goal-1"}], ids=["all", "by-goal"])
def test_the_indicator_list_runs_a_constant_number_of_queries(
    client, django_assert_num_queries, size, query
):
    world = build_world()
    add_indicators(size)
    client.force_login(world.users["county_staff"])
    if query:
        query = {"goal": shipped_goal(1).pk}

    # A chosen goal is one more: the filter form looks it up.
    with django_assert_num_queries(9 if query else 8):
        response = client.get(reverse("indicators:manage-list"), query)

    assert response.status_code == 200
    assert len(response.context["object_list"]) == min(50, 2 * size if not query else size)


# --- prize ---------------------------------------------------------------------------------------
PRIZE_PAGES = [
    ("county_staff", "prize:manage-call-list", None, 5),
    ("county_staff", "prize:manage-nomination-list", lambda w: [2026], 6),
    ("coordinator_a", "prize:my-nominations", None, 5),
]


def add_prize_nominations(world, count):
    from tests.factories import AttachmentFactory, NominationFactory, PrizeCallFactory

    call = PrizeCallFactory(year=2026)
    PrizeCallFactory(year=2025)
    for number in range(count):
        nomination = NominationFactory(
            call=call,
            nominator=world.users["coordinator_a"],
            organisation=world.a_draft.organisation,
            hidden_reason="x" if number % 2 else "",
        )
        AttachmentFactory(nomination=nomination)


@pytest.mark.parametrize("persona,url_name,arguments,queries", PRIZE_PAGES)
@pytest.mark.parametrize("size", [1, 50])
def test_prize_pages_run_a_constant_number_of_queries(
    client, django_assert_num_queries, persona, url_name, arguments, queries, size
):
    world = build_world()
    add_prize_nominations(world, size)
    client.force_login(world.users[persona])


# practices: the library's pages, with 1 and with 50 entries in each state (each linked to
# organisations, municipalities, goals, violence areas and a commitment).
PRACTICE_PAGES = [
    # The page's keys and total, its rows, four prefetches and the filter's three lists.
    ("visitor", "practices:practice-list", None, 9),
    ("coordinator_a", "practices:practice-list", None, 13),
    ("county_staff", "practices:proposal-list", None, 5),
    ("coordinator_a", "practices:proposal-list", None, 5),
    ("visitor", "practices:practice-detail", lambda w: ["mentors-in-violence-prevention-mvp"], 6),
]


def add_practices(world, count):
    a = world.commitment.lead_organisation
    municipalities = list(Organisation.objects.municipalities()[:3])
    areas = list(ViolenceArea.objects.all()[:2])
    for state in (Practice.State.APPROVED, Practice.State.PROPOSED, Practice.State.DRAFT):
        for number in range(count):
            PracticeFactory(
                proposing_organisation=a,
                organisations=[a, world.b_commitment.lead_organisation],
                municipalities=municipalities,
                goals=[shipped_goal(1 + number % 8), shipped_goal(1 + (number + 3) % 8)],
                violence_areas=areas,
                commitments=[world.commitment],
                state=state,
            )


@pytest.mark.parametrize("persona,url_name,arguments,queries", PRACTICE_PAGES)
@pytest.mark.parametrize("size", [1, 50])
def test_library_pages_run_a_constant_number_of_queries(
    client, django_assert_num_queries, persona, url_name, arguments, queries, size
):
    world = build_world()
    add_practices(world, size)
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


# --- prize (jury): the ranking, the juror's list and the public winners' pages ------------------
PRIZE_JURY_PAGES = [
    ("county_staff", "prize:ranking", [2030], 11),
    ("coordinator_a", "prize:juror-home", [2030], 9),
    ("visitor", "prize:winners", None, 5),
    ("coordinator_a", "prize:winners", None, 9),
    ("visitor", "prize:winners-year", [2030], 3),
]


def add_prize_jury(world, count):
    """A 2030 call with `count` nominations, each scored by two of three jurors (coordinator A,
    a juror of the nominated organisation, is conflicted on half), and `count` published years
    with a winner each."""
    from prize.models import Award, JuryMember, Score
    from tests.factories import NominationFactory, PrizeCallFactory, UserFactory

    call = PrizeCallFactory(year=2030)
    criteria = list(call.criteria.all())
    jurors = [
        JuryMember.objects.create(call=call, user=world.users["coordinator_a"], is_chair=True),
        JuryMember.objects.create(call=call, user=UserFactory()),
        JuryMember.objects.create(call=call, user=UserFactory()),
    ]
    organisations = [world.a_draft.organisation, world.b_submitted.organisation]
    nominations = [
        NominationFactory(call=call, organisation=organisations[number % 2])
        for number in range(count)
    ]
    Score.objects.bulk_create(
        Score(juror=juror, nomination=nomination, criterion=criterion, value=3)
        for nomination in nominations
        for juror in jurors[1:]
        for criterion in criteria
    )
    Award.objects.create(
        call=call,
        nomination=nominations[0],
        organisation=nominations[0].organisation,
        unit_name="Vinnarenheten",
        motivation="Juryns motivering.",
        published_at="2030-06-01T00:00Z",
    )
    call.decided_at = call.published_at = "2030-06-01T00:00Z"
    call.save()
    for year in range(2000, 2000 + count - 1):
        past = PrizeCallFactory(
            year=year, decided_at="2001-01-01T00:00Z", published_at="2001-01-01T00:00Z"
        )
        Award.objects.create(
            call=past,
            organisation=organisations[year % 2],
            unit_name=f"Enhet {year}",
            motivation="Motivering.",
            published_at="2001-01-01T00:00Z",
        )


@pytest.mark.parametrize("persona,url_name,arguments,queries", PRIZE_JURY_PAGES)
@pytest.mark.parametrize("size", [1, 50])
def test_prize_jury_pages_run_a_constant_number_of_queries(
    client, django_assert_num_queries, persona, url_name, arguments, queries, size
):
    world = build_world()
    add_prize_jury(world, size)
    if world.users[persona] is not None:
        client.force_login(world.users[persona])
    url = reverse(url_name, args=arguments)

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200


# dashboard, issue 10: county staff's landing page, with 1 and with 50 commitments (each with a
# report waiting for review) and reminders. The session, the user and their roles; the open
# period; the overview's three counts of the coverage (the cache is empty here: 0 once warm);
# the waiting reports' count and oldest five; the latest reminders and the undelivered count.
DASHBOARD_QUERIES = 11


@pytest.mark.parametrize("size", [1, 50])
def test_the_dashboard_runs_a_constant_number_of_queries(client, django_assert_num_queries, size):
    world = build_world()
    add_commitments(world, size)
    add_history_and_reminders(world, size)
    client.force_login(world.users["county_staff"])

    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(reverse("followup:dashboard"))

    assert response.status_code == 200
    assert response.context["dashboard"].waiting_count == size + 2
    assert len(response.context["dashboard"].latest_reminders) == min(size, 5)


# --- followup: the review queue, filtered ---------------------------------------------------


@pytest.mark.parametrize("size", [1, 50])
@pytest.mark.parametrize("filtered", [False, True], ids=["open-period", "all-filters"])
def test_the_review_queue_runs_a_constant_number_of_queries(
    client, django_assert_num_queries, size, filtered
):
    """Without a chosen period, the open one is looked up; each chosen filter's object is read
    once; the three lists' options are one query each; then the page's keys with the total,
    and the page's rows."""
    world = build_world()
    add_commitments(world, size)
    client.force_login(world.users["county_staff"])
    query = {}
    if filtered:
        query = {
            "period": world.period.year,
            "organisation": world.a_draft.organisation.pk,
            "goal": shipped_goal(1).pk,
        }

    with django_assert_num_queries(11 if filtered else 10):
        response = client.get(reverse("followup:review-queue"), query)

    assert response.status_code == 200
    shown = response.context["object_list"]
    if filtered:  # A's reports on commitments with goal 1
        assert shown and {report.organisation for report in shown} == {world.a_draft.organisation}
    else:  # A's and B's
        assert len(shown) == min(50, size + 2)


# --- end of followup: the review queue ---
