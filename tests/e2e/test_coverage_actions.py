"""County staff act on the coverage: from the overview to what is missing, remind all late
organisations after a preview, and lock the period after a confirmation; on a desktop and on a
390 px wide phone, without the page scrolling sideways.

Every page the tests load is checked with axe for WCAG 2.1 A/AA violations (see conftest).
"""

import re

import pytest
from playwright.sync_api import expect

from actors.services import membership_grant
from followup.models import Reminder, ReportingPeriod
from tests.factories import CommitmentFactory, OrganisationFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed rows; each test starts from the migrated data.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}


# The elements that reach beyond the window, outside a scroll container: what makes it scroll.
TOO_WIDE = """
[...document.querySelectorAll("body *")]
  .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter((e) => !e.closest(".table-scroll"))
  .slice(0, 8)
  .map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)
"""


def assert_no_sideways_scrolling(page):
    scroll_width, window_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= window_width, (
        f"{page.url} scrolls sideways: {scroll_width} px in {window_width} px; too wide: "
        f"{page.evaluate(TOO_WIDE)}"
    )


@pytest.fixture
def late_world(reporting_world):
    """The reporting world (Testkommunen late with one commitment) and a second late
    organisation, Andra kommunen, with a coordinator of its own."""
    world = reporting_world
    other = OrganisationFactory(name="Andra kommunen", short_name="Andra kommunen")
    CommitmentFactory(
        lead_organisation=other,
        title="Skyddat boende för unga",
        start_year=world["commitment"].start_year,
        end_year=world["commitment"].end_year,
    )
    coordinator = UserFactory(username="andra", first_name="Alva", last_name="Andersson")
    membership_grant(user=coordinator, organisation=other, role="coordinator")
    world["other"] = other
    return world


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_county_staff_follow_the_coverage_to_what_is_missing_remind_all_and_lock(
    visit, late_world, mailoutbox, viewport
):
    world = late_world
    period = world["period"]
    staff = visit()
    if viewport:
        staff.page.set_viewport_size(viewport)
    staff.login("kansli")

    # --- The overview: who is late, who to call, never reminded yet ----------------------------
    page = staff.goto(f"/uppfoljning/{period.year}/")
    assert_no_sideways_scrolling(page)
    late = page.get_by_role("region", name="Organisationer som inte har rapporterat allt")
    row = late.get_by_role("row").filter(has_text="Testkommunen")
    expect(row.get_by_role("link", name="Sara Samordnare")).to_have_attribute(
        "href", "mailto:samordnare@example.org"
    )
    expect(row).to_contain_text("Inte påmind")

    # --- The organisation's name leads to its missing commitments -------------------------------
    with staff.navigates():
        row.get_by_role("link", name="Testkommunen").click()
    staff.check()
    assert_no_sideways_scrolling(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Testkommunen")
    commitment_row = page.get_by_role("row").filter(has_text=world["commitment"].title)
    expect(commitment_row).to_contain_text("Inte påbörjad")

    # --- Remind all late: a preview with the deadline, then one click ---------------------------
    page = staff.goto(f"/uppfoljning/{period.year}/")
    with staff.navigates():
        page.get_by_role("link", name="Påminn alla sena").click()
    staff.check()
    assert_no_sideways_scrolling(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Påminn alla sena")
    expect(page.locator(".email-preview")).to_contain_text("Det är 14 dagar kvar.")
    expect(page.get_by_text("2 organisationer saknar rapporter och påminns nu.")).to_be_visible()
    assert not Reminder.objects.exists()
    with staff.navigates():
        page.get_by_role("button", name="Skicka påminnelser till 2 organisationer").click()
    staff.check()
    expect(page.get_by_role("status")).to_contain_text(
        "Påminnelser skickade till 2 personer på 2 organisationer."
    )
    assert sorted(message.to[0] for message in mailoutbox) == [
        "andra@example.org",
        "samordnare@example.org",
    ]
    assert "Det är 14 dagar kvar." in mailoutbox[0].body
    late = page.get_by_role("region", name="Organisationer som inte har rapporterat allt")
    expect(late.get_by_role("row").filter(has_text="Testkommunen")).not_to_contain_text(
        "Inte påmind"
    )
    assert_no_sideways_scrolling(page)

    # --- Locking asks first -----------------------------------------------------------------
    with staff.navigates():
        page.get_by_role("link", name="Lås perioden").click()
    staff.check()
    assert_no_sideways_scrolling(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Lås Uppföljning {period.year}?")
    expect(page.get_by_text("2 rapporter har inte skickats in")).to_be_visible()
    assert ReportingPeriod.objects.get(pk=period.pk).locked_at is None
    with staff.navigates():
        page.get_by_role("button", name="Ja, lås perioden").click()
    staff.check()
    expect(page).to_have_url(re.compile(rf"/uppfoljning/{period.year}/$"))
    expect(page.get_by_role("status")).to_contain_text(f"Uppföljning {period.year} är låst.")
    assert ReportingPeriod.objects.get(pk=period.pk).locked_at is not None
