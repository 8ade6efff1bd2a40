"""The public goal pages: what a visitor reads, and what never shows."""

from decimal import Decimal

import pytest
from django.urls import reverse

from followup.models import ProgressReport, ReportState
from indicators.models import Indicator, IndicatorValue
from tests.factories import (
    CommitmentFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    ProgressReportFactory,
    ReportingPeriodFactory,
    SurveyAnswerFactory,
    area,
    shipped_goal,
)

pytestmark = pytest.mark.django_db


def goal_url(number):
    return reverse("indicators:goal-detail", args=[number])


def crime_indicator(goal_number=2):
    indicator = IndicatorFactory(
        name="Anmälda misshandelsbrott mot kvinnor",
        kind=Indicator.Kind.COUNT,
        unit="antal",
        desired_direction=Indicator.Direction.INCREASE,
        goals=[shipped_goal(goal_number)],
        by_sex=True,
    )
    for year, value in ((2022, 82), (2023, 119)):
        IndicatorValueFactory(indicator=indicator, year=year, value=value)
    for sex, value in ((IndicatorValue.Sex.WOMEN, 100), (IndicatorValue.Sex.MEN, 19)):
        IndicatorValueFactory(indicator=indicator, year=2023, sex=sex, value=value)
    IndicatorValueFactory(indicator=indicator, year=2023, area=area("0126"), value=30)
    IndicatorValueFactory(indicator=indicator, year=2023, area=area("0127"), value="40.5")
    return indicator


def test_a_visitor_reads_the_list_of_goals_with_their_counts(client):
    crime_indicator(goal_number=2)
    CommitmentFactory(goals=[shipped_goal(2)])

    response = client.get(reverse("indicators:goal-list"))

    assert response.status_code == 200
    goals = {goal.number: goal for goal in response.context["goals"]}
    assert len(goals) == 8
    assert (goals[2].indicator_count, goals[2].commitment_count) == (1, 1)
    assert goals[3].indicator_count == 0
    assert goal_url(2) in response.content.decode()


def test_a_visitor_reads_a_goals_indicator_as_chart_table_and_assessment(client):
    crime_indicator()

    response = client.get(goal_url(2))

    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Mål 2: Förebygga återfall</h1>" in page
    assert 'role="img"' in page and "<svg" in page
    assert "Anmälda misshandelsbrott mot kvinnor: länets värden per år</caption>" in page
    assert "Ökade från 82 (2022) till 119 (2023), +45 %: åt önskat håll." in page
    assert "<strong>Går åt önskat håll.</strong>" in page
    # The method is written out on the page.
    assert "Så bedöms indikatorerna" in page
    assert "minst 5 procent" in page
    # Women and men in the table.
    assert '<th scope="col">Kvinnor</th>' in page


def test_the_county_and_the_municipalities_are_ordered_by_value_or_by_name(client):
    crime_indicator()

    by_value = client.get(goal_url(2)).context["figures"][0]
    assert [a.name for a in by_value.areas] == ["Stockholms län", "Botkyrka", "Huddinge"]
    page = client.get(goal_url(2), {"ordning": "namn"}).content.decode()
    table = page[page.index("kommunerna och stadsdelsområdena 2023") :]
    assert table.index("Stockholms län") < table.index("Botkyrka") < table.index("Huddinge")
    assert "40,5" in table


def test_an_indicator_with_county_figures_only_has_no_comparison(client):
    indicator = IndicatorFactory(goals=[shipped_goal(7)], name="Forskningsprojekt")
    IndicatorValueFactory(indicator=indicator, year=2023, value=4)

    item = client.get(goal_url(7)).context["figures"][0]

    assert (item.areas, item.area_year, item.area_svg) == ((), None, None)


def test_an_unknown_order_is_ignored(client):
    crime_indicator()

    response = client.get(goal_url(2), {"ordning": "<script>"})

    assert response.status_code == 200
    assert response.context["area_order"] == "varde"


def test_a_yes_no_question_shows_each_units_answer_and_no_bar_chart(client):
    question = SurveyAnswerFactory(
        indicator__name="Rutin för våld i nära relationer",
        indicator__goals=[shipped_goal(3)],
        indicator__desired_direction=Indicator.Direction.INCREASE,
        area=area("0126"),
        answer=True,
    ).indicator
    SurveyAnswerFactory(indicator=question, area=area("0127"), answer=False)

    response = client.get(goal_url(3))

    item = response.context["figures"][0]
    assert item.area_svg is None
    assert item.years[0].county == Decimal("50.0")
    page = response.content.decode()
    assert "<td>Ja</td>" in page and "<td>Nej</td>" in page


def test_a_goal_without_indicators_says_so(client):
    response = client.get(goal_url(5))

    assert response.status_code == 200
    assert "Målet har inga indikatorer ännu." in response.content.decode()


def test_only_an_approved_reports_status_is_public(client):
    commitment = CommitmentFactory(goals=[shipped_goal(4)], title="Skyddat boende")
    old, new = ReportingPeriodFactory(year=2024), ReportingPeriodFactory(year=2025)
    ProgressReportFactory(
        commitment=commitment,
        period=old,
        state=ReportState.APPROVED,
        status=ProgressReport.Status.ON_TRACK,
        percent_done=30,
    )
    ProgressReportFactory(
        commitment=commitment,
        period=new,
        state=ReportState.SUBMITTED,
        status=ProgressReport.Status.MAJOR_DEVIATION,
        percent_done=35,
    )
    drafting = CommitmentFactory(goals=[shipped_goal(4)], title="Utkastet")
    ProgressReportFactory(
        commitment=drafting, period=new, status=ProgressReport.Status.CANCELLED, percent_done=90
    )

    page = client.get(goal_url(4)).content.decode()

    assert "Enligt plan" in page and "30 %" in page
    assert "Större avvikelse" not in page and "35 %" not in page
    assert "Avbrutet" not in page and "90 %" not in page
    assert "Ingen godkänd rapport" in page


def test_the_latest_approved_report_is_the_one_shown(client):
    commitment = CommitmentFactory(goals=[shipped_goal(4)])
    for year, status, percent in (
        (2024, ProgressReport.Status.ON_TRACK, 30),
        (2025, ProgressReport.Status.COMPLETED, 100),
    ):
        ProgressReportFactory(
            commitment=commitment,
            period=ReportingPeriodFactory(year=year),
            state=ReportState.APPROVED,
            status=status,
            percent_done=percent,
        )

    [row] = client.get(goal_url(4)).context["commitments"]

    assert (row.public_status_label, row.public_percent_done, row.public_year) == (
        "Genomfört",
        100,
        2025,
    )


def test_commitments_come_fifty_a_page(client):
    for _number in range(51):
        CommitmentFactory(goals=[shipped_goal(6)])

    first = client.get(goal_url(6))
    second = client.get(goal_url(6), {"page": 2})

    assert len(first.context["commitments"]) == 50
    assert len(second.context["commitments"]) == 1
    assert 'href="?page=2#atagande"' in first.content.decode()


@pytest.mark.parametrize("number", [0, 9, 99999999999])
def test_an_unknown_goal_is_404(client, number):
    assert client.get(goal_url(number)).status_code == 404


@pytest.mark.parametrize("page", ["abc", "0", "99"])
def test_a_bad_page_number_is_404_not_500(client, page):
    CommitmentFactory(goals=[shipped_goal(6)])
    assert client.get(goal_url(6), {"page": page}).status_code == 404


def test_the_home_page_and_the_menu_link_to_the_goals(client):
    page = client.get(reverse("home")).content.decode()
    assert page.count(f'href="{reverse("indicators:goal-list")}"') == 2
