"""The yearly follow-up in a real browser: report, return for completion, report again.

Every page the tests load is checked with axe for WCAG 2.1 A/AA violations (see conftest).
"""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from followup import services
from followup.models import ProgressReport, ReportState
from tests.factories import ProgressReportFactory, ReportingPeriodFactory
from tests.two_factor import app_device

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed rows; each test starts from the migrated data.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def the_report(world) -> ProgressReport:
    return ProgressReport.objects.get(
        commitment=world["commitment"], organisation=world["organisation"], period=world["period"]
    )


def report_form_path(world) -> str:
    return reverse(
        "followup:report-edit",
        args=[world["commitment"].pk, world["organisation"].slug],
    )


def test_a_report_is_drafted_submitted_returned_and_submitted_again(visit, reporting_world):
    world = reporting_world
    commitment = world["commitment"]
    first_text = "Två utbildningsdagar för socialtjänsten har genomförts."
    comment = "Hur många deltog? Ange antalet deltagare."
    second_text = "Två utbildningsdagar med 48 deltagare från socialtjänsten."

    # --- The coordinator signs in and finds the report form with the keyboard only ----------
    coordinator = visit()
    page = coordinator.goto("/konto/logga-in/")
    # The login page puts the focus in its first field.
    expect(page.get_by_label("Användarnamn")).to_be_focused()
    page.keyboard.type("samordnare")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Lösenord")).to_be_focused()
    page.keyboard.type("correct-horse-battery")
    with coordinator.navigates():
        page.keyboard.press("Enter")
    coordinator.check()

    # --- Mina uppgifter: one commitment to report on, nothing reported yet --------------------
    expect(page).to_have_url(re.compile(r"/mina-uppgifter/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina uppgifter")
    expect(page.get_by_text("0 av 1 rapporter inskickade.")).to_be_visible()
    row = page.get_by_role("listitem").filter(has_text=commitment.title)
    expect(row).to_contain_text("Ej påbörjad")
    # As a task list: the commitment's name leads to its report form.
    report_link = row.get_by_role("link", name=f"{commitment.code} {commitment.title}")
    # The first Tab stop is the skip link; it shows when focused and moves focus to the content.
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Hoppa till innehållet")
    expect(skip_link).to_be_focused()
    box = skip_link.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, box
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    # In the content: the filter on what is left, then the report form.
    for name in ("Alla (1)", "Kvar att skicka in (1)", "Inskickade (0)"):
        page.keyboard.press("Tab")
        expect(page.get_by_role("link", name=name)).to_be_focused()
    page.keyboard.press("Tab")
    expect(report_link).to_be_focused()
    with coordinator.navigates():
        page.keyboard.press("Enter")
    coordinator.check()

    # --- The report form: save a draft first ---------------------------------------------------
    expect(page.get_by_role("heading", level=1)).to_contain_text(commitment.title)
    page.get_by_label("Enligt plan").check()
    page.get_by_label("Andel genomfört (procent)").fill("40")
    page.get_by_label("Vad har gjorts?").fill(first_text)
    page.get_by_label("Resultat").fill("Fler ärenden upptäcks tidigt.")
    page.get_by_label("Nästa steg").fill("Utbildning för förskolan.")
    with coordinator.navigates():
        page.get_by_role("button", name="Spara utkast").click()
    coordinator.check()
    # The draft is saved and the coordinator stays on the form.
    expect(page.locator(".messages")).to_contain_text(
        re.compile(r"Utkast sparat kl\. \d\d\.\d\d\.")
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text(commitment.title)
    report = the_report(world)
    assert report.state == ReportState.DRAFT
    assert (report.status, report.percent_done, report.work_done) == ("on_track", 40, first_text)
    assert report.submitted_at is None

    # --- The draft is still in the form: submit it -------------------------------------------
    expect(page.get_by_label("Enligt plan")).to_be_checked()
    expect(page.get_by_label("Andel genomfört (procent)")).to_have_value("40")
    expect(page.get_by_label("Vad har gjorts?")).to_have_value(first_text)
    with coordinator.navigates():
        page.get_by_role("button", name="Skicka in", exact=True).click()
    coordinator.check()
    expect(page.get_by_role("status")).to_contain_text("Rapporten är inskickad. Tack!")
    expect(page.locator(".report-card")).to_contain_text("Inskickad")
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert report.submitted_by == world["coordinator"]
    assert report.submitted_at is not None

    # --- County staff find it in the review queue and return it -------------------------------
    staff = visit()
    staff_page = staff.goto("/")
    with staff.navigates():
        staff_page.get_by_role("navigation", name="Huvudmeny").get_by_role(
            "link", name="Logga in"
        ).click()
    staff.check()
    device = app_device(world["staff"])  # county staff sign in with two factors
    staff_page.get_by_label("Användarnamn").fill("kansli")
    staff_page.get_by_label("Lösenord").fill("correct-horse-battery")
    with staff.navigates():
        staff_page.get_by_role("button", name="Logga in").click()
    staff.check()
    staff.enter_app_code(device)  # the code from their app, after the password
    expect(staff_page).to_have_url(re.compile(r"/oversikt/$"))  # county staff's landing page
    with staff.navigates():
        staff_page.get_by_role("navigation", name="Huvudmeny").get_by_role(
            "link", name="Granskning"
        ).click()
    staff.check()
    expect(staff_page.get_by_role("heading", level=1)).to_have_text(
        "Rapporter som väntar på granskning"
    )
    queue_row = staff_page.get_by_role("row").filter(has_text=commitment.title)
    expect(queue_row).to_contain_text("Testkommunen")
    expect(queue_row).to_contain_text("Sara Samordnare")
    with staff.navigates():
        queue_row.get_by_role("link", name=commitment.title).click()
    staff.check()
    # Reached from the queue, the page carries it, for "Godkänn och nästa".
    expect(staff_page).to_have_url(re.compile(rf"/rapporter/{report.pk}/\?queue=%2Fgranskning%2F"))
    expect(staff_page.get_by_role("definition").filter(has_text=first_text)).to_be_visible()
    expect(staff_page.locator("main .badge")).to_have_text("Inskickad")

    # Returning without saying what is missing is refused, next to the field.
    with staff.navigates():
        staff_page.get_by_role("button", name="Återsänd för komplettering").click()
    staff.check()
    comment_field = staff_page.get_by_label("Vad behöver kompletteras?")
    expect(comment_field).to_have_accessible_description(
        re.compile("Skriv vad organisationen behöver komplettera.")
    )
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED

    comment_field.fill(comment)
    with staff.navigates():
        staff_page.get_by_role("button", name="Återsänd för komplettering").click()
    staff.check()
    expect(staff_page.get_by_role("status")).to_contain_text(
        "Rapporten är återsänd för komplettering."
    )
    expect(staff_page.get_by_role("definition").filter(has_text=comment)).to_be_visible()
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED
    assert report.review_comment == comment
    assert report.reviewed_by == world["staff"]

    # --- The coordinator signs in again, reads the comment and completes the report -----------
    coordinator = visit()
    coordinator.login("samordnare")
    page = coordinator.page
    expect(page).to_have_url(re.compile(r"/mina-uppgifter/$"))
    row = page.get_by_role("listitem").filter(has_text=commitment.title)
    expect(row).to_contain_text("Återsänd för komplettering")
    expect(row).to_contain_text(comment)
    with coordinator.navigates():
        row.get_by_role("link", name=f"{commitment.code} {commitment.title}").click()
    coordinator.check()
    note = page.get_by_role("region", name="Kansliet har bett om komplettering")
    expect(note).to_contain_text("Kansliet har bett om komplettering")
    expect(note).to_contain_text(comment)
    expect(note).to_contain_text("Karin Kansli")
    work_done = page.get_by_label("Vad har gjorts?")
    expect(work_done).to_have_value(first_text)
    work_done.fill(second_text)
    page.get_by_label("Andel genomfört (procent)").fill("45")
    with coordinator.navigates():
        page.get_by_role("button", name="Skicka in", exact=True).click()
    coordinator.check()
    expect(page.get_by_role("status")).to_contain_text("Rapporten är inskickad. Tack!")
    expect(page.locator(".report-card")).to_contain_text(second_text)

    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert (report.work_done, report.percent_done) == (second_text, 45)
    states = list(
        report.history.order_by("history_date", "history_id").values_list("state", flat=True)
    )
    assert states == ["draft", "submitted", "returned", "submitted"]

    # The report's own page shows the latest text to its author.
    coordinator.goto(reverse("followup:report-detail", args=[report.pk]))
    expect(page.get_by_role("definition").filter(has_text=second_text)).to_be_visible()
    expect(page.get_by_role("definition").filter(has_text=first_text)).to_have_count(0)


def test_an_invalid_percent_is_explained_next_to_the_field_and_the_text_is_kept(
    visit, reporting_world
):
    world = reporting_world
    typed = "Vi har utbildat all personal på kvinnojouren.\nNästa år fortsätter vi."
    coordinator = visit()
    coordinator.login("samordnare")
    page = coordinator.goto(report_form_path(world))

    page.get_by_label("Mindre avvikelse").check()
    percent = page.get_by_label("Andel genomfört (procent)")
    percent.fill("140")
    page.get_by_label("Vad har gjorts?").fill(typed)
    page.get_by_label("Hinder").fill("Personalbrist under våren.")
    # Submit with the keyboard: focus the submit button and press Enter.
    page.get_by_role("button", name="Skicka in", exact=True).focus()
    with coordinator.navigates():
        page.keyboard.press("Enter")
    coordinator.check()

    message = "Andelen kan inte vara mer än 100 procent."
    expect(page.get_by_role("alert")).to_contain_text("Det finns fel i formuläret")
    expect(page.get_by_role("alert")).to_be_focused()
    expect(page.locator(".field").get_by_text(message)).to_be_visible()
    expect(percent).to_have_attribute("aria-invalid", "true")
    expect(percent).to_have_accessible_description(re.compile(re.escape(message)))
    expect(percent).to_have_value("140")
    expect(page.get_by_label("Vad har gjorts?")).to_have_value(typed)
    expect(page.get_by_label("Hinder")).to_have_value("Personalbrist under våren.")
    expect(page.get_by_label("Mindre avvikelse")).to_be_checked()
    assert not ProgressReport.objects.filter(commitment=world["commitment"]).exists()

    # Correcting the one field is enough to submit.
    percent.fill("100")
    with coordinator.navigates():
        page.get_by_role("button", name="Skicka in", exact=True).click()
    coordinator.check()
    expect(page.get_by_role("status")).to_contain_text("Rapporten är inskickad. Tack!")
    report = the_report(world)
    assert report.state == ReportState.SUBMITTED
    # Browsers send the line breaks of a textarea as CRLF.
    assert (report.percent_done, report.work_done.replace("\r\n", "\n")) == (100, typed)


def test_public_and_account_pages_have_no_axe_violations(visit, reporting_world):
    commitment = reporting_world["commitment"]
    reader = visit()
    page = reader.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page = reader.goto("/ataganden/")
    expect(page.get_by_role("link", name=commitment.title)).to_be_visible()
    page = reader.goto(f"/ataganden/{commitment.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(commitment.title)
    page = reader.goto("/personuppgifter/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Personuppgifter i uppföljningsportalen"
    )
    page = reader.goto("/tillganglighet/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Tillgänglighet för Operation Kvinnofrids uppföljningsportal"
    )
    reader.goto("/konto/logga-in/")
    page = reader.goto("/konto/losenord/aterstall/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Återställ lösenordet")

    # The login form with an error.
    page = reader.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn").fill("samordnare")
    page.get_by_label("Lösenord").fill("fel-lösenord")
    with reader.navigates():
        page.get_by_role("button", name="Logga in").click()
    reader.check()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/konto/logga-in/$"))


def test_a_coordinator_drafts_copies_last_year_fixes_an_error_and_hears_of_the_return(
    visit, reporting_world, mailoutbox
):
    """Issue 10: a draft without a status, last year's figures in one click, the error summary,
    and the e-mail with county staff's comment that leads back to the form."""
    world = reporting_world
    commitment, organisation = world["commitment"], world["organisation"]
    ProgressReportFactory(
        commitment=commitment,
        organisation=organisation,
        period=ReportingPeriodFactory(year=world["period"].year - 1),
        state=ReportState.APPROVED,
        status="minor_deviation",
        percent_done=30,
        work_done="Förra året: en utbildningsdag.",
        results="Förra årets resultat: 20 deltagare.",
        obstacles="",
        next_steps="",
    )
    typed = "I år: två utbildningsdagar."
    comment = "Hur många deltog i år?"

    coordinator = visit()
    coordinator.login("samordnare")
    page = coordinator.goto(report_form_path(world))
    expect(page.get_by_role("region", name="Om åtagandet")).to_contain_text(
        "Förra årets resultat: 20 deltagare."
    )

    # --- A draft without a status is saved, and the coordinator stays on the form ------------
    page.get_by_label("Vad har gjorts?").fill(typed)
    with coordinator.navigates():
        page.get_by_role("button", name="Spara utkast").click()
    coordinator.check()
    expect(page.get_by_role("status").first).to_contain_text(
        re.compile(r"Utkast sparat kl\. \d\d\.\d\d\.")
    )
    expect(page.get_by_label("Vad har gjorts?")).to_have_value(typed)
    report = the_report(world)
    assert (report.state, report.status, report.percent_done) == (ReportState.DRAFT, "", None)

    # --- Last year's figures fill the empty fields; what was typed stays ----------------------
    page.get_by_role("link", name="Kopiera förra årets uppgifter").click()
    expect(page.get_by_label("Mindre avvikelse")).to_be_checked()
    expect(page.get_by_label("Andel genomfört (procent)")).to_have_value("30")
    expect(page.get_by_label("Resultat")).to_have_value("Förra årets resultat: 20 deltagare.")
    expect(page.get_by_label("Vad har gjorts?")).to_have_value(typed)
    coordinator.check()

    # --- Submitting a deviation without obstacles: the summary takes the focus ---------------
    with coordinator.navigates():
        page.get_by_role("button", name="Skicka in", exact=True).click()
    coordinator.check()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Det finns fel i formuläret")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Beskriv hindren när arbetet avviker från planen.").click()
    obstacles = page.get_by_label("Hinder")
    expect(obstacles).to_be_focused()
    obstacles.fill("Personalbrist under hösten.")
    with coordinator.navigates():
        page.get_by_role("button", name="Skicka in", exact=True).click()
    coordinator.check()
    expect(page.get_by_role("status")).to_contain_text("Rapporten är inskickad. Tack!")
    report.refresh_from_db()
    assert (report.state, report.status, report.percent_done) == (
        ReportState.SUBMITTED,
        "minor_deviation",
        30,
    )

    # --- County staff return it: the coordinator gets the comment and a link -------------------
    services.progress_report_return(
        report=report, user=world["staff"], expected_version=report.version, comment=comment
    )
    [message] = mailoutbox
    assert message.to == [world["coordinator"].email]
    assert comment in message.body
    link = re.search(r"https?://\S+/rapport/\S+/", message.body).group(0)
    page = coordinator.goto(urlsplit(link).path)
    callout = page.get_by_role("region", name="Kansliet har bett om komplettering")
    expect(callout).to_contain_text(comment)
    expect(page.get_by_label("Hinder")).to_have_value("Personalbrist under hösten.")

    # --- Mina uppgifter puts it first and marks it -------------------------------------------
    page = coordinator.goto(reverse("followup:my-tasks"))
    row = page.get_by_role("listitem").filter(has_text=commitment.title)
    expect(row).to_contain_text("Återsänd")
    expect(row).to_contain_text(comment)


def test_the_draft_saves_itself_while_the_coordinator_types(visit, reporting_world):
    world = reporting_world
    typed = "Skrivet utan att trycka på någon knapp."
    coordinator = visit()
    coordinator.login("samordnare")
    page = coordinator.goto(report_form_path(world))
    # Every second instead of every 30, so that the test need not wait.
    page.locator("#report-form").evaluate("form => form.dataset.autosaveSeconds = '1'")

    page.get_by_label("Vad har gjorts?").fill(typed)

    expect(page.locator("#draft-status")).to_have_text(
        re.compile(r"Utkast sparat kl\. \d\d\.\d\d\."), timeout=5000
    )
    report = the_report(world)
    assert (report.state, report.work_done, report.version) == (ReportState.DRAFT, typed, 1)
    # The server has the text: this tab no longer keeps a copy of it.
    assert page.evaluate("Object.keys(sessionStorage)") == []
    # The next save by hand starts from the version the autosave made: no conflict.
    page.get_by_label("Resultat").fill("Tio deltagare.")
    with coordinator.navigates():
        page.get_by_role("button", name="Spara utkast").click()
    coordinator.check()
    expect(page.locator(".messages")).to_contain_text("Utkast sparat kl.")
    report.refresh_from_db()
    assert (report.results, report.version) == ("Tio deltagare.", 2)
