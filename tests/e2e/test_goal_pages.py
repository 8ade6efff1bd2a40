"""The public goal pages in a real browser: axe finds nothing, the policy refuses nothing (the
charts' SVG carries no style element or attribute), and a visitor finds their way by links."""

import pytest
from playwright.sync_api import expect

from followup.models import ProgressReport, ReportState
from indicators.models import Indicator, IndicatorValue
from tests.factories import (
    CommitmentFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    ProgressReportFactory,
    SurveyAnswerFactory,
    area,
    shipped_goal,
)

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed rows; each test starts from the migrated data.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_visitor_reads_a_goal_with_its_charts_tables_and_commitments(visit, reporting_world):
    indicator = IndicatorFactory(
        name="Anmälda misshandelsbrott mot kvinnor",
        kind=Indicator.Kind.RATE,
        unit="per 100 000 invånare",
        desired_direction=Indicator.Direction.INCREASE,
        goals=[shipped_goal(2)],
        by_sex=True,
        base_year=2020,
        target=150,
        target_year=2026,
    )
    for year, value in ((2020, 82), (2021, 90), (2022, 104), (2023, 119)):
        IndicatorValueFactory(indicator=indicator, year=year, value=value)
        IndicatorValueFactory(
            indicator=indicator, year=year, sex=IndicatorValue.Sex.WOMEN, value=value + 20
        )
        IndicatorValueFactory(
            indicator=indicator, year=year, sex=IndicatorValue.Sex.MEN, value=value - 20
        )
    for code, value in (("0126", 101), ("0127", 140), ("0180", 125), ("018001", 99)):
        IndicatorValueFactory(indicator=indicator, year=2023, area=area(code), value=value)
    question = SurveyAnswerFactory(
        indicator__name="Rutin för att upptäcka våld",
        indicator__goals=[shipped_goal(2)],
        indicator__desired_direction=Indicator.Direction.INCREASE,
        area=area("0126"),
    ).indicator
    SurveyAnswerFactory(indicator=question, area=area("0127"), answer=False)
    commitment = CommitmentFactory(goals=[shipped_goal(2)], title="Behandling för våldsutövare")
    ProgressReportFactory(
        commitment=commitment,
        period=reporting_world["period"],
        state=ReportState.APPROVED,
        status=ProgressReport.Status.ON_TRACK,
        percent_done=60,
    )

    visitor = visit()
    page = visitor.goto("/")
    with visitor.navigates():
        page.get_by_role("navigation", name="Huvudmeny").get_by_role(
            "link", name="Mål och indikatorer"
        ).click()
    visitor.check()
    with visitor.navigates():
        page.get_by_role("link", name="Förebygga återfall").click()
    visitor.check()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mål 2: Förebygga återfall")
    trend = page.get_by_role("img", name="Anmälda misshandelsbrott mot kvinnor: länet per år")
    expect(trend).to_be_visible()
    expect(
        page.get_by_role(
            "img", name="Anmälda misshandelsbrott mot kvinnor: länet och kommunerna 2023"
        )
    ).to_be_visible()
    expect(page.locator("p.assessment").first).to_contain_text(
        "Ökade från 82 (2020) till 119 (2023), +45 %"
    )
    expect(page.get_by_role("table", name="länets värden per år").first).to_be_visible()
    expect(page.get_by_role("heading", name="Så bedöms indikatorerna")).to_be_visible()
    expect(page.get_by_role("row", name="Behandling för våldsutövare")).to_contain_text(
        "Enligt plan"
    )

    with visitor.navigates():
        page.get_by_role("link", name="efter namn").click()
    visitor.check()
    first_area = page.locator("table.figures").nth(1).locator("tbody th").first
    expect(first_area).to_have_text("Stockholms län")


def test_a_goal_without_indicators_says_so_in_the_browser(visit, reporting_world):
    visitor = visit()
    page = visitor.goto("/mal/7/")
    expect(page.get_by_text("Målet har inga indikatorer ännu.")).to_be_visible()
