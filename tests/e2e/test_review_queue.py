"""Issue 10: county staff work through a filtered review queue with "Godkänn och nästa" and
"Återsänd och nästa", on a laptop and on a phone, and the focus is never lost on the way.

Every page the tests load is checked with axe for WCAG 2.1 A/AA violations (see conftest).
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from followup.models import ProgressReport, ReportState
from tests.factories import (
    CommitmentFactory,
    OrganisationFactory,
    ProgressReportFactory,
    ReportingPeriodFactory,
)

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed rows; each test starts from the migrated data.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}


def submitted(organisation, period, title, minutes_ago) -> ProgressReport:
    year = period.year
    return ProgressReportFactory(
        commitment=CommitmentFactory(
            lead_organisation=organisation, title=title, start_year=year - 1, end_year=year + 1
        ),
        organisation=organisation,
        period=period,
        state=ReportState.SUBMITTED,
        submitted_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
    )


@pytest.fixture
def queue_world(reporting_world):
    """Two reports of Testkommunen and one of another municipality in the open period, sent in
    in this order, and one of Testkommunen's from last year (not in the default queue)."""
    period = reporting_world["period"]
    organisation = reporting_world["organisation"]
    other = OrganisationFactory(name="Grannkommunen", short_name="Grannkommunen")
    last_year = ReportingPeriodFactory(
        year=period.year - 1,
        opens_on=datetime.date(period.year - 1, 1, 1),
        due_on=datetime.date(period.year - 1, 2, 1),
        closes_on=datetime.date(period.year - 1, 3, 1),
    )
    return reporting_world | {
        "first": submitted(organisation, period, "Stödsamtal för unga", 30),
        "neighbour": submitted(other, period, "Skyddat boende i samverkan", 20),
        "second": submitted(organisation, period, "Utbildning för förskolan", 10),
        "last_year": submitted(organisation, last_year, "Fjolårets uppdrag", 60 * 24 * 300),
    }


# The elements that reach past the window's right edge, to say what scrolls.
BEYOND_THE_EDGE = """
[...document.querySelectorAll("body *")]
  .filter((element) => element.getBoundingClientRect().right > window.innerWidth)
  .map((element) => element.tagName + "." + element.className + " " +
       Math.round(element.getBoundingClientRect().right))
  .slice(0, 8)
"""


def assert_no_sideways_scroll(page) -> None:
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth, location.pathname]"
    )
    assert widths[0] <= widths[1], (
        f"{widths[2]} scrolls sideways at {widths[1]} px: {widths[0]}, "
        f"{page.evaluate(BEYOND_THE_EDGE)}"
    )


def focused(page) -> str:
    """What has the focus: its tag and text, or BODY when the focus is lost."""
    return page.evaluate(
        "document.activeElement.tagName + ': ' + (document.activeElement.textContent || '').trim()"
    )


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_county_staff_approve_and_return_their_way_through_a_filtered_queue(
    visit, queue_world, viewport
):
    world = queue_world
    staff = visit()
    staff.page.set_viewport_size(viewport)
    staff.login("kansli")

    # --- The queue: the open period by default, counted, then filtered by organisation ------
    page = staff.goto("/granskning/")
    assert_no_sideways_scroll(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapporter som väntar på granskning")
    expect(page.get_by_text("3 rapporter väntar på granskning")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Fjolårets uppdrag")).to_have_count(0)
    expect(page.get_by_label("Period")).to_have_value(str(world["period"].year))
    page.get_by_label("Organisation").select_option(label="Testkommunen")
    with staff.navigates():
        page.get_by_role("button", name="Visa").click()
    staff.check()
    expect(page.get_by_text("2 rapporter väntar på granskning")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Grannkommunen")).to_have_count(0)

    # --- Approve and next: on to the next report of the same filtered queue -------------------
    with staff.navigates():
        page.get_by_role("link", name=re.compile("Stödsamtal för unga")).click()
    staff.check()
    assert_no_sideways_scroll(page)
    expect(page.get_by_role("link", name="Tillbaka till granskningskön")).to_be_visible()
    with staff.navigates():
        page.get_by_role("button", name="Godkänn och nästa").click()
    staff.check()
    assert_no_sideways_scroll(page)
    # Testkommunen's second report, not the neighbour's that was sent in between.
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Utbildning för förskolan")
    expect(page.get_by_text("Rapporten är godkänd. Här är nästa rapport i kön.")).to_be_visible()
    # The focus is on the new report's heading, not lost at the top of the document.
    assert not focused(page).startswith("BODY"), focused(page)
    assert "Utbildning för förskolan" in focused(page) or "godkänd" in focused(page)
    world["first"].refresh_from_db()
    assert world["first"].state == ReportState.APPROVED

    # --- Return and next: a comment is still required -----------------------------------------
    with staff.navigates():
        page.get_by_role("button", name="Återsänd och nästa").click()
    staff.check()
    expect(page.get_by_label("Vad behöver kompletteras?")).to_have_accessible_description(
        re.compile("Skriv vad organisationen behöver komplettera.")
    )
    assert not focused(page).startswith("BODY"), focused(page)
    page.get_by_label("Vad behöver kompletteras?").fill("Hur många barn nåddes?")
    with staff.navigates():
        page.get_by_role("button", name="Återsänd och nästa").click()
    staff.check()
    assert_no_sideways_scroll(page)

    # --- None left in the filtered queue: back to it, saying so, with the focus kept ----------
    expect(page).to_have_url(re.compile(r"/granskning/\?"))
    expect(page.get_by_text("Inga fler rapporter att granska.")).to_be_visible()
    expect(page.get_by_text("0 rapporter väntar på granskning")).to_be_visible()
    assert not focused(page).startswith("BODY"), focused(page)
    world["second"].refresh_from_db()
    assert world["second"].state == ReportState.RETURNED
    assert world["second"].review_comment == "Hur många barn nåddes?"
    world["neighbour"].refresh_from_db()
    assert world["neighbour"].state == ReportState.SUBMITTED
