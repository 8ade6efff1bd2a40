"""The report form in a real browser when the sign-in is about to end for idleness.

Every page the tests load is checked with axe for WCAG 2.1 A/AA violations (see conftest).
"""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_report_form_warns_before_the_idle_end_and_keeps_what_was_typed(
    visit, reporting_world, settings
):
    # Seconds instead of hours, so that the test can wait for them.
    settings.SESSION_IDLE_LIMIT = datetime.timedelta(seconds=20)
    settings.SESSION_WARNING_BEFORE = datetime.timedelta(seconds=15)
    world = reporting_world
    form_path = reverse(
        "followup:report-edit", args=[world["commitment"].pk, world["organisation"].slug]
    )
    text = "Två utbildningsdagar, texten hann aldrig sparas."

    coordinator = visit()
    coordinator.login("samordnare")
    page = coordinator.goto(form_path)

    # The warning comes, as a modal dialog with the focus on its button; the button keeps the
    # sign-in alive.
    warning = page.get_by_role("dialog", name="Du loggas snart ut")
    expect(warning).to_be_visible(timeout=15_000)
    keep_working = warning.get_by_role("button", name="Fortsätt arbeta")
    expect(keep_working).to_be_focused()
    coordinator.check()
    keep_working.click()
    expect(warning).to_be_hidden()

    # Typed, never saved; the person walks away, and the page goes to the login page by itself.
    page.get_by_label("Vad har gjorts?").fill(text)
    page.wait_for_url(re.compile(r"/konto/logga-in/\?next="), timeout=40_000)
    coordinator.check()
    expect(page.get_by_role("status")).to_contain_text("Du har loggats ut eftersom")

    page.get_by_label("Användarnamn").fill("samordnare")
    page.get_by_label("Lösenord").fill("correct-horse-battery")
    with coordinator.navigates():
        page.get_by_role("button", name="Logga in").click()
    coordinator.check()

    # Back on the form, which offers the text back.
    expect(page).to_have_url(re.compile(re.escape(form_path) + "$"))
    expect(page.get_by_label("Vad har gjorts?")).to_have_value("")
    offer = page.get_by_role("region", name="Du har text som inte är sparad")
    expect(offer).to_be_visible()
    offer.get_by_role("button", name="Ta tillbaka texten").click()
    expect(page.get_by_label("Vad har gjorts?")).to_have_value(text)
    expect(page.get_by_label("Vad har gjorts?")).to_be_focused()
    expect(offer).to_be_hidden()
