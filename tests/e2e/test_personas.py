"""Each persona's main job, walked in a real browser at a laptop's and a phone's size (issue 10).

At both sizes every page the walk loads is checked with axe and must fit the window's width (see
conftest: `visit(viewport=...)` makes `Visit.check` assert both). After an action that stays on
the page (an error summary, the autosave, the menu button) the focus must be on a sensible
element, never lost to the page's body.

The design system changes the markup, so the walks find things by role, label and text, and go
from page to page by address where a narrow window may hide the menu behind a button; one walk
opens that menu by its button when the page has one.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from followup.models import ProgressReport, Reminder, ReportState
from tests.e2e.conftest import VIEWPORTS, add_reported_organisation
from tests.factories import (
    ProgressReportFactory,
    ReportingPeriodFactory,
    UserFactory,
    shipped_goal,
)

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed rows; each test starts from the migrated data.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def expect_message(page: Page, text: str) -> None:
    """The portal's message after an action is shown (as a status line, or as the design
    system's notification banner, whichever role it takes)."""
    expect(page.get_by_role("main").get_by_text(text, exact=True).first).to_be_visible()


@pytest.fixture(params=VIEWPORTS, ids=lambda viewport: viewport.name)
def viewport(request):
    return request.param


@pytest.fixture
def persona_world(reporting_world):
    """The reporting world, plus a second organisation whose report waits for review, and an
    administrator."""
    world = add_reported_organisation(
        reporting_world,
        goals=[shipped_goal(4)],
        status=ProgressReport.Status.ON_TRACK,
        percent_done=60,
        work_done="Samtalsstöd för barn i tre kommundelar.",
    )
    # Last year's approved report, which the coordinator copies from.
    ProgressReportFactory(
        commitment=world["commitment"],
        organisation=world["organisation"],
        period=ReportingPeriodFactory(year=world["period"].year - 1),
        state=ReportState.APPROVED,
        status=ProgressReport.Status.ON_TRACK,
        percent_done=30,
        work_done="Förra året: en utbildningsdag.",
        results="Förra året: 20 deltagare.",
    )
    UserFactory(
        username="admin", first_name="Ada", last_name="Admin", is_staff=True, is_superuser=True
    )
    return world


def test_a_coordinator_finds_the_task_saves_a_draft_and_submits_the_report(
    visit, persona_world, viewport
):
    world = persona_world
    commitment = world["commitment"]
    coordinator = visit(viewport=viewport)
    coordinator.login("samordnare")
    page = coordinator.page

    # --- Mina uppgifter: the task leads to the report form -------------------------------------
    expect(page).to_have_url(re.compile(r"/mina-uppgifter/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina uppgifter")
    with coordinator.navigates():
        page.get_by_role("link", name=f"{commitment.code} {commitment.title}").click()
    coordinator.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text(commitment.title)

    # The autosave every second instead of every 30, so that the test need not wait.
    page.locator("form").filter(has=page.get_by_label("Vad har gjorts?")).evaluate(
        "form => form.dataset.autosaveSeconds = '1'"
    )

    # --- Last year's figures in one click: the focus goes to the first field they filled -------
    page.get_by_role("link", name="Kopiera förra årets uppgifter").click()
    expect(page.get_by_label("Enligt plan")).to_be_checked()
    expect(page.get_by_label("Enligt plan")).to_be_focused()
    coordinator.assert_focus_kept()
    expect(page.get_by_label("Resultat")).to_have_value("Förra året: 20 deltagare.")

    # --- The draft saves itself while the coordinator types; the focus stays in the field ------
    work_done = page.get_by_label("Vad har gjorts?")
    work_done.fill("Två utbildningsdagar för socialtjänsten.")
    expect(page.get_by_role("status").filter(has_text="Utkast sparat")).to_have_text(
        re.compile(r"Utkast sparat kl\. \d\d\.\d\d\."), timeout=5000
    )
    expect(work_done).to_be_focused()
    coordinator.assert_focus_kept()
    coordinator.check()  # the status line is part of the page: still no violation

    # --- Saving by hand keeps the coordinator on the form ---------------------------------------
    page.get_by_label("Resultat").fill("48 deltagare.")
    with coordinator.navigates():
        page.get_by_role("button", name="Spara utkast").click()
    coordinator.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text(commitment.title)
    expect(page.get_by_label("Resultat")).to_have_value("48 deltagare.")

    # --- A bad submit: the error summary takes the focus and leads to the field ----------------
    percent = page.get_by_label("Andel genomfört (procent)")
    percent.fill("140")
    with coordinator.navigates():
        page.get_by_role("button", name="Skicka in", exact=True).click()
    coordinator.check()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Det finns fel i formuläret")
    expect(summary).to_be_focused()
    coordinator.assert_focus_kept()
    summary.get_by_role("link", name="Andelen kan inte vara mer än 100 procent.").click()
    expect(percent).to_be_focused()
    coordinator.assert_focus_kept()
    expect(percent).to_be_in_viewport()

    # --- Corrected, the report is sent in -------------------------------------------------------
    percent.fill("40")
    with coordinator.navigates():
        page.get_by_role("button", name="Skicka in", exact=True).click()
    coordinator.check()
    expect_message(page, "Rapporten är inskickad. Tack!")
    report = ProgressReport.objects.get(
        commitment=commitment, organisation=world["organisation"], period=world["period"]
    )
    assert (report.state, report.percent_done, report.results) == (
        ReportState.SUBMITTED,
        40,
        "48 deltagare.",
    )

    # Mina uppgifter now counts it as sent in.
    page = coordinator.goto("/mina-uppgifter/")
    expect(page.get_by_text("1 av 1 rapporter inskickade.")).to_be_visible()


def test_county_staff_read_the_overview_approve_a_report_remind_and_open_the_county_report(
    visit, persona_world, viewport, mailoutbox
):
    world = persona_world
    period = world["period"]
    staff = visit(viewport=viewport)
    staff.login("kansli")
    page = staff.page

    # --- Översikt, where county staff land, leads to the open period's follow-up ---------------
    expect(page).to_have_url(re.compile(r"/oversikt/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Översikt")
    with staff.navigates():
        page.get_by_role("link", name=f"Hela läget i {period}: organisationer och mål").click()
    staff.check()
    expect(page).to_have_url(re.compile(rf"/uppfoljning/{period.year}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(str(period))
    expect(page.get_by_text("1 av 2 rapporter inskickade (50 %)")).to_be_visible()

    # --- The review queue: approve the report that waits -----------------------------------------
    page = staff.goto("/granskning/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapporter som väntar på granskning")
    queue_row = page.get_by_role("row").filter(has_text=world["reported_commitment"].title)
    expect(queue_row).to_contain_text("Rapportkommunen")
    with staff.navigates():
        queue_row.get_by_role("link", name=world["reported_commitment"].title).click()
    staff.check()
    expect(page.get_by_text("Samtalsstöd för barn i tre kommundelar.")).to_be_visible()
    with staff.navigates():
        page.get_by_role("button", name="Godkänn rapporten", exact=True).click()
    staff.check()
    expect_message(page, "Rapporten är godkänd.")
    world["submitted"].refresh_from_db()
    assert world["submitted"].state == ReportState.APPROVED
    assert world["submitted"].reviewed_by == world["staff"]

    # --- Remind the organisation that has not reported -----------------------------------------
    page = staff.goto(f"/uppfoljning/{period.year}/")
    late = page.get_by_role("region", name="Organisationer som inte har rapporterat allt")
    late_row = late.get_by_role("row").filter(has_text="Testkommunen")
    with staff.navigates():
        late_row.get_by_role("button", name=re.compile(r"^Skicka påminnelse")).click()
    staff.check()
    expect_message(page, "Påminnelse skickad till 1 person på Testkommunen.")
    assert Reminder.objects.filter(
        period=period, organisation=world["organisation"], recipient=world["coordinator"]
    ).exists()
    assert [mail.to for mail in mailoutbox] == [[world["coordinator"].email]]

    # --- The county report of the year -----------------------------------------------------------
    page = staff.goto(f"/lagesrapport/{period.year}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Lägesrapport {period.year}")
    expect(page.get_by_role("button", name="Bygg rapporten")).to_be_visible()


def test_an_administrator_looks_through_organisations_and_people_and_invites_a_person(
    visit, persona_world, viewport, mailoutbox
):
    administrator = visit(viewport=viewport)
    administrator.login("admin")

    # --- Organisations ---------------------------------------------------------------------------
    page = administrator.goto("/administration/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    with administrator.navigates():
        page.get_by_role("main").get_by_role("link", name="Organisationer", exact=True).click()
    administrator.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisationer")
    expect(page.get_by_role("link", name=re.compile("Testkommunen"))).to_be_visible()

    # --- People ----------------------------------------------------------------------------------
    page = administrator.goto("/administration/personer/")
    page.get_by_label(re.compile("^Sök")).fill("samordnare")
    with administrator.navigates():
        page.get_by_role("button", name="Visa", exact=True).click()
    administrator.check()
    with administrator.navigates():
        page.get_by_role("link", name="Sara Samordnare").click()
    administrator.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sara Samordnare")

    # --- Invite a person: a mistake first, whose summary takes the focus ------------------------
    page = administrator.goto("/administration/inbjudningar/")
    with administrator.navigates():
        page.get_by_role("link", name="Bjud in en person").click()
    administrator.check()
    page.get_by_label("E-postadress").fill("nora@testkommunen.example")
    page.get_by_label("Roll").select_option(label="Samordnare")
    with administrator.navigates():
        page.get_by_role("button", name="Skicka inbjudan").click()
    administrator.check()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Det finns fel i formuläret")
    expect(summary).to_be_focused()
    administrator.assert_focus_kept()
    expect(page.get_by_label("E-postadress")).to_have_value("nora@testkommunen.example")

    page.get_by_label("Organisation").select_option(label="Testkommunen")
    with administrator.navigates():
        page.get_by_role("button", name="Skicka inbjudan").click()
    administrator.check()
    expect_message(page, "En inbjudan skickas till nora@testkommunen.example.")
    assert [mail.to for mail in mailoutbox] == [["nora@testkommunen.example"]]


def test_a_visitor_reads_the_goals_the_library_and_the_prize(visit, persona_world, viewport):
    visitor = visit(viewport=viewport)
    page = visitor.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    # --- The main menu: behind a "Meny" button where the design collapses it --------------------
    menu_button = page.get_by_role("button", name=re.compile(r"^Meny"))
    if menu_button.count() and menu_button.is_visible():
        menu_button.click()
        expect(menu_button).to_have_attribute("aria-expanded", "true")
        expect(menu_button).to_be_focused()
        visitor.assert_focus_kept()
        visitor.check()  # the open menu, too, is checked (and fits the width)
    menu = page.get_by_role("navigation", name="Huvudmeny")
    goals_link = menu.get_by_role("link", name="Mål och indikatorer")
    expect(goals_link).to_be_visible()
    with visitor.navigates():
        goals_link.click()
    visitor.check()
    expect(page).to_have_url(re.compile(r"/mal/$"))

    # --- A goal ----------------------------------------------------------------------------------
    with visitor.navigates():
        page.get_by_role("main").get_by_role("link", name="Förebygga återfall").click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mål 2: Förebygga återfall")

    # --- The library of good examples, and one of them -------------------------------------------
    page = visitor.goto("/goda-exempel/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    first_example = page.get_by_role("main").get_by_role("heading", level=2).get_by_role("link")
    title = first_example.first.inner_text()
    with visitor.navigates():
        first_example.first.click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)

    # --- The commitments and the prize -----------------------------------------------------------
    page = visitor.goto("/ataganden/")
    expect(page.get_by_role("link", name=persona_world["commitment"].title)).to_be_visible()
    page = visitor.goto("/kvinnofridspriset/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kvinnofridspriset")


def test_the_walks_own_checks_catch_a_page_wider_than_the_window_and_a_lost_focus(
    visit, reporting_world
):
    phone = visit(viewport=VIEWPORTS[1])
    page = phone.goto("/")
    phone.assert_no_horizontal_scroll()

    # Something 600 px wide in a 390 px window makes the page scroll sideways, and says what.
    page.evaluate(
        """() => {
          const wide = document.createElement("div");
          wide.id = "too-wide";
          wide.style.width = "600px";
          wide.textContent = "bred";
          document.querySelector("main").append(wide);
        }"""
    )
    with pytest.raises(
        AssertionError, match=r"scrolls sideways: 6\d\d px wide in a window of 390 px.*div#too-wide"
    ):
        phone.assert_no_horizontal_scroll()

    # The focus on a link is kept; moved back to the page's body it is lost.
    page.get_by_role("link", name="Hoppa till innehållet").focus()
    assert phone.assert_focus_kept()["tag"] == "a"
    page.evaluate("() => document.activeElement.blur()")
    with pytest.raises(AssertionError, match="The focus is lost"):
        phone.assert_focus_kept()
