"""County staff's landing page, Översikt (issue 10), in a real browser, wide and on a phone.

Every page the tests load is checked with axe for WCAG 2.1 A/AA violations (see conftest).
"""

import re
import uuid

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from followup.models import Reminder
from tests.e2e.conftest import add_reported_organisation

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed rows; each test starts from the migrated data.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def dashboard_world(reporting_world):
    """The reporting world, plus an organisation whose report waits for review, and a reminder
    that could not be sent."""
    world = add_reported_organisation(reporting_world)
    Reminder.objects.create(
        period=world["period"],
        step="before-14",
        kind=Reminder.Kind.BEFORE_DUE,
        email=world["coordinator"].email,
        recipient=world["coordinator"],
        organisation=world["organisation"],
        claim_token=uuid.uuid4(),
        failed_at=timezone.now(),
        attempts=5,
        last_error="550 mailbox unavailable",
    )
    return world


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_county_staff_land_on_the_overview_and_go_on_to_the_waiting_report(visit, dashboard_world):
    world = dashboard_world
    period = world["period"]
    staff = visit()
    staff.login("kansli")

    # --- Signed in: the overview of the open period -------------------------------------------
    page = staff.page
    expect(page).to_have_url(re.compile(r"/oversikt/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Översikt")
    menu = page.get_by_role("navigation", name="Huvudmeny")
    expect(menu.get_by_role("link", name="Översikt")).to_have_attribute("aria-current", "page")
    figures = page.get_by_role("region", name="Läget just nu", exact=True)
    expect(figures).to_contain_text("50 %")
    expect(figures).to_contain_text("av rapporterna är inskickade (1 av 2)")
    expect(figures).to_contain_text("1 rapport väntar på granskning")
    expect(figures).to_contain_text("14 dagar")
    reminders = page.get_by_role("region", name="Senaste påminnelserna", exact=True)
    expect(reminders).to_contain_text("1 påminnelse har inte kommit fram till e-postservern.")
    expect(reminders.get_by_role("row").filter(has_text="Sara Samordnare")).to_contain_text(
        "Kunde inte skickas"
    )

    # --- On a phone: nothing scrolls sideways ---------------------------------------------------
    page.set_viewport_size(PHONE)
    page = staff.goto("/oversikt/")
    assert fits_the_screen(page)
    page.set_viewport_size({"width": 1366, "height": 900})

    # --- The review queue of the period, then the oldest waiting report -------------------------
    waiting = page.get_by_role("region", name="Väntar på granskning", exact=True)
    with staff.navigates():
        waiting.get_by_role("link", name=f"Granskningskön för {period.year} (1 rapport)").click()
    staff.check()
    expect(page).to_have_url(re.compile(rf"/granskning/\?period={period.year}$"))
    page = staff.goto("/oversikt/")
    commitment = world["submitted"].commitment
    with staff.navigates():
        page.get_by_role("link", name=f"{commitment.code} {commitment.title}").click()
    staff.check()
    expect(page).to_have_url(re.compile(rf"/rapporter/{world['submitted'].pk}/$"))


def test_a_coordinator_lands_on_my_tasks_and_is_not_offered_the_overview(visit, dashboard_world):
    coordinator = visit()
    coordinator.login("samordnare")

    page = coordinator.page
    expect(page).to_have_url(re.compile(r"/mina-uppgifter/$"))
    menu = page.get_by_role("navigation", name="Huvudmeny")
    expect(menu.get_by_role("link", name="Översikt")).to_have_count(0)
