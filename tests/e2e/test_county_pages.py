"""County staff's follow-up pages and a coordinator's commitment page, in a real browser.

Every page the tests load is checked with axe for WCAG 2.1 A/AA violations (see conftest).
"""

import re

import pytest
from playwright.sync_api import expect

from actionplan.models import Delegation
from actors.services import membership_grant
from followup.models import CommitmentFollow, Reminder, ReportingPeriod
from tests.e2e.conftest import add_reported_organisation
from tests.factories import (
    UserFactory,
)

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed rows; each test starts from the migrated data.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def county_world(reporting_world):
    """The reporting world, plus a second organisation that has already reported."""
    world = add_reported_organisation(reporting_world)
    return world


def test_county_staff_open_periods_read_the_overview_and_remind_late_organisations(
    visit, county_world, mailoutbox
):
    world = county_world
    period = world["period"]
    organisation = world["organisation"]
    staff = visit()
    staff.login("kansli")

    # --- The reporting periods, with the form to open a new one --------------------------------
    page = staff.goto("/uppfoljning/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapporteringsperioder")
    expect(page.get_by_role("link", name=str(period))).to_be_visible()
    expect(page.get_by_role("heading", name="Öppna en ny period")).to_be_visible()

    # A due date before the opening date is refused next to the due date.
    next_year = period.year + 1
    page.get_by_label("År").fill(str(next_year))
    page.get_by_label("Öppnar").fill(f"{next_year}-11-01")
    page.get_by_label("Sista dag").fill(f"{next_year}-10-01")
    page.get_by_label("Stänger").fill(f"{next_year + 1}-01-31")
    with staff.navigates():
        page.get_by_role("button", name="Skapa perioden").click()
    staff.check()
    message = "Sista dagen kan inte komma före öppningsdagen."
    expect(page.get_by_role("alert")).to_contain_text("Det finns fel i formuläret")
    due_on = page.get_by_label("Sista dag")
    due_field = page.locator(".field").filter(has=due_on)
    expect(due_field.locator(".errorlist")).to_have_text(message)
    expect(due_on).to_have_attribute("aria-invalid", "true")
    expect(due_on).to_have_accessible_description(re.compile(re.escape(message)))
    expect(due_on).to_have_value(f"{next_year}-10-01")
    assert not ReportingPeriod.objects.filter(year=next_year).exists()

    # --- The period's overview: the headline figure and the late organisation ------------------
    with staff.navigates():
        page.get_by_role("link", name=str(period)).click()
    staff.check()
    expect(page).to_have_url(re.compile(rf"/uppfoljning/{period.year}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(str(period))
    expect(page.locator(".headline-figure")).to_have_text("1 av 2 rapporter inskickade (50 %)")
    late = page.get_by_role("region", name="Organisationer som inte har rapporterat allt")
    late_row = late.get_by_role("row").filter(has_text="Testkommunen")
    expect(late_row).to_contain_text("0 / 1")
    expect(late.get_by_role("row").filter(has_text="Rapportkommunen")).to_have_count(0)

    # Send a reminder now; the coordinator of the late organisation gets it.
    with staff.navigates():
        late_row.get_by_role("button", name="Skicka påminnelse nu Testkommunen").click()
    staff.check()
    expect(page.get_by_role("status")).to_contain_text(
        "Påminnelse skickad till 1 person på Testkommunen."
    )
    reminder = Reminder.objects.get(period=period, organisation=organisation)
    assert reminder.kind == Reminder.Kind.MANUAL
    assert reminder.recipient == world["coordinator"]
    assert reminder.triggered_by == world["staff"]
    assert reminder.email == world["coordinator"].email
    # Celery runs the sending task at once in the tests: the e-mail has gone out.
    assert reminder.sent_at is not None
    assert [mail.to for mail in mailoutbox] == [[world["coordinator"].email]]

    # The matrix shows the organisations found by name; the county's totals per goal stay.
    page.get_by_label("Sök organisation").fill("rapport")
    with staff.navigates():
        page.get_by_role("button", name="Visa", exact=True).click()
    staff.check()
    matrix = page.get_by_role("table", name="1 organisation.")
    expect(matrix.get_by_role("row").filter(has_text="Rapportkommunen")).to_have_count(1)
    expect(matrix.get_by_role("row").filter(has_text="Testkommunen")).to_have_count(0)
    expect(page.get_by_role("table", name="Saknade rapporter per mål, hela länet")).to_be_visible()

    # --- The reminder log -----------------------------------------------------------------------
    page = staff.goto(f"/uppfoljning/{period.year}/paminnelser/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Påminnelser, {period}")
    log_row = page.get_by_role("row").filter(has_text="Sara Samordnare")
    expect(log_row).to_contain_text("Testkommunen")
    expect(log_row).to_contain_text("Påminnelse från kansliet, skickad av Karin Kansli")
    expect(log_row).to_contain_text("Levererad till e-postservern")

    # --- The review queue -----------------------------------------------------------------------
    page = staff.goto("/granskning/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapporter som väntar på granskning")
    queue_row = page.get_by_role("row").filter(has_text=world["reported_commitment"].title)
    expect(queue_row).to_contain_text("Rapportkommunen")
    expect(queue_row).to_contain_text("Rut Rapportör")


def test_a_coordinator_follows_a_commitment_and_delegates_it_to_a_colleague(visit, reporting_world):
    world = reporting_world
    commitment = world["commitment"]
    colleague = UserFactory(username="kollega", first_name="Kim", last_name="Kollega")
    membership_grant(user=colleague, organisation=world["organisation"], role="colleague")

    coordinator = visit()
    coordinator.login("samordnare")
    page = coordinator.goto(f"/ataganden/{commitment.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(commitment.title)
    expect(page.get_by_text("Åtagandet är inte delegerat.")).to_be_visible()

    # --- Follow the commitment ------------------------------------------------------------------
    with coordinator.navigates():
        page.get_by_role("button", name="Bevaka åtagandet", exact=True).click()
    coordinator.check()
    expect(page.get_by_role("status")).to_contain_text("Du bevakar nu åtagandet.")
    expect(page.get_by_role("button", name="Sluta bevaka åtagandet")).to_be_visible()
    expect(page.get_by_role("button", name="Bevaka åtagandet", exact=True)).to_have_count(0)
    assert CommitmentFollow.objects.filter(
        user=world["coordinator"], commitment=commitment
    ).exists()

    # --- Delegate it to a colleague -------------------------------------------------------------
    with coordinator.navigates():
        page.get_by_role("link", name="Delegera åtagandet till en kollega").click()
    coordinator.check()
    expect(page).to_have_url(re.compile(rf"/ataganden/{commitment.pk}/delegera/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(commitment.title)
    page.get_by_label("Kollega").select_option(label="Kim Kollega")
    with coordinator.navigates():
        page.get_by_role("button", name="Delegera", exact=True).click()
    coordinator.check()
    expect(page).to_have_url(re.compile(rf"/ataganden/{commitment.pk}/$"))
    expect(page.get_by_role("status")).to_contain_text(
        "Kim Kollega kan nu rapportera om åtagandet."
    )
    expect(
        page.get_by_role("listitem").filter(has_text="Kim Kollega (Testkommunen)")
    ).to_be_visible()
    assert Delegation.objects.filter(
        commitment=commitment,
        membership__user=colleague,
        membership__organisation=world["organisation"],
    ).exists()

    # Reloading the page keeps both: still followed, still delegated.
    page = coordinator.goto(f"/ataganden/{commitment.pk}/")
    expect(page.get_by_role("button", name="Sluta bevaka åtagandet")).to_be_visible()
    expect(
        page.get_by_role("listitem").filter(has_text="Kim Kollega (Testkommunen)")
    ).to_be_visible()
