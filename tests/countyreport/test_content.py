"""What collect(year) puts in the county report, and that it does so in constant queries."""

import pytest

from countyreport.content import EXCERPT_LENGTH, collect
from countyreport.services import content_checksum
from followup.models import ReportState
from indicators.models import Indicator
from tests.factories import (
    CommitmentFactory,
    CountyReportFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    OrganisationFactory,
    ProgressReportFactory,
    SurveyAnswerFactory,
    area,
    shipped_goal,
)
from tests.personas import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def goal_section(content, number):
    return next(goal for goal in content.goals if goal.number == number)


def test_coverage_counts_what_was_owed_and_sent_in_per_organisation_and_goal(world):
    content = collect(world.period.year)

    # A owes two (one draft, one submitted), B owes one (submitted); all on goal 1.
    assert (content.coverage.owed, content.coverage.reported) == (3, 2)
    by_organisation = {
        row.label: (row.owed, row.reported) for row in content.coverage.by_organisation
    }
    assert by_organisation == {"Myndighet A": (2, 1), "Myndighet B": (1, 1)}
    assert goal_section(content, 1).title
    goal_one = content.coverage.by_goal[0]
    assert (goal_one.owed, goal_one.reported, goal_one.share) == (3, 2, 67)
    assert {row.status: row.count for row in content.coverage.statuses}["Enligt plan"] == 2


def test_each_goal_lists_its_commitments_with_the_latest_reports_status_and_an_excerpt(world):
    world.a_submitted.work_done = "Ord " * 200
    world.a_submitted.percent_done = 70
    world.a_submitted.save()

    content = collect(world.period.year)

    lines = {line.code: line for line in goal_section(content, 1).commitments}
    line = lines[world.commitment.code]
    assert (line.status, line.percent_done) == ("Enligt plan", 70)
    assert len(line.excerpt) <= EXCERPT_LENGTH and line.excerpt.endswith("…")
    assert line.organisations == "Myndighet A"
    # A's draft is A's own: the report says no report came in.
    draft_line = lines[world.other_commitment.code]
    assert (draft_line.status, draft_line.percent_done, draft_line.excerpt) == (
        "Ingen rapport",
        None,
        "",
    )


def test_the_missing_reports_and_the_annex_per_organisation(world):
    content = collect(world.period.year)

    assert [(row.organisation, row.code) for row in content.missing] == [
        ("Myndighet A", world.other_commitment.code)
    ]
    assert [annex.name for annex in content.annexes] == ["Myndighet A", "Myndighet B"]
    assert len(content.annexes[0].commitments) == 2
    assert content.method and all(paragraph for paragraph in content.method)
    assert len(content.progress_reports) == 2  # sent in; the draft stays A's own


def test_the_summary_and_a_goals_analysis_come_from_county_staffs_texts(world):
    report = CountyReportFactory(period=world.period, summary="Ett bra år.")
    report.analyses.create(goal=shipped_goal(1), text="Mål 1 går framåt.")

    content = collect(world.period.year)

    assert content.summary == "Ett bra år."
    assert goal_section(content, 1).analysis == "Mål 1 går framåt."
    assert goal_section(content, 2).analysis == ""
    assert all(goal.indicators == () for goal in content.goals)


def test_codes_sort_as_numbers(world):
    for code in ["1.10", "1.9", "1.2"]:
        CommitmentFactory(
            code=code,
            lead_organisation=world.commitment.lead_organisation,
            start_year=world.period.year,
            end_year=world.period.year,
        )

    codes = [line.code for line in goal_section(collect(world.period.year), 1).commitments]

    assert codes.index("1.2") < codes.index("1.9") < codes.index("1.10")


def test_the_same_data_gives_the_same_content_and_checksum_and_a_change_another(world):
    first = collect(world.period.year)

    assert collect(world.period.year) == first
    assert content_checksum(collect(world.period.year)) == content_checksum(first)
    world.b_submitted.percent_done = 90
    world.b_submitted.save()
    assert content_checksum(collect(world.period.year)) != content_checksum(first)


def add_joint_commitments(world, count):
    partner = OrganisationFactory()
    for number in range(count):
        commitment = CommitmentFactory(
            lead_organisation=world.commitment.lead_organisation,
            participating_organisations=[partner, OrganisationFactory()],
            goals=[shipped_goal(1 + number % 8), shipped_goal(1 + (number + 3) % 8)],
            start_year=world.period.year,
            end_year=world.period.year,
        )
        ProgressReportFactory(
            commitment=commitment,
            organisation=partner,
            period=world.period,
            state=ReportState.SUBMITTED,
        )


def add_indicators(world, count):
    """`count` indicators with county and municipal values, and as many yes/no questions."""
    for number in range(count):
        goal = shipped_goal(1 + number % 8)
        indicator = IndicatorFactory(goals=[goal])
        for year in (world.period.year - 1, world.period.year):
            IndicatorValueFactory(indicator=indicator, year=year, area=area("01"))
            IndicatorValueFactory(indicator=indicator, year=year, area=area("0126"))
        question = IndicatorFactory(kind=Indicator.Kind.YES_NO_SHARE, goals=[goal])
        SurveyAnswerFactory(indicator=question, year=world.period.year, area=area("0126"))


COLLECT_QUERIES = 17


@pytest.mark.parametrize("more", [0, 25])
def test_collect_runs_a_constant_number_of_queries(world, more, django_assert_num_queries):
    add_joint_commitments(world, more)
    add_indicators(world, 1 + more)
    CountyReportFactory(period=world.period)

    with django_assert_num_queries(COLLECT_QUERIES):
        content = collect(world.period.year)

    assert len(content.annexes) == 2 + (1 + more if more else 0)
    assert sum(len(goal.indicators) for goal in content.goals) == 2 * (1 + more)
    assert len(content.indicator_values) == 4 * (1 + more)
