"""The good-practice library in a real browser: a coordinator proposes a way of working, county
staff approve it, and a visitor finds it with the library's filters. Every page is checked with
axe (see conftest)."""

import re

import pytest
from playwright.sync_api import expect

from practices.models import Practice

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed rows; each test starts from the migrated data.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Samtalsgrupper om gränser för unga"


def test_a_proposed_practice_is_approved_and_found_by_a_visitor(visit, reporting_world):
    world = reporting_world
    commitment = world["commitment"]

    # --- The coordinator proposes an entry for their organisation -----------------------------
    coordinator = visit()
    coordinator.login("samordnare")
    page = coordinator.goto("/goda-exempel/")
    with coordinator.navigates():
        page.get_by_role("link", name="Föreslå ett exempel").click()
    coordinator.check()
    # A coordinator can only choose their own organisation.
    assert page.locator("#id_proposing_organisation option").all_inner_texts() == [
        "Välj organisation",
        "Testkommunen",
    ]
    page.locator("#id_proposing_organisation").select_option(label="Testkommunen")
    page.locator("#id_title").fill(TITLE)
    with coordinator.navigates():
        page.get_by_role("button", name="Spara utkastet").click()
    coordinator.check()
    # Plain Swedish about what is missing, and what was typed is kept.
    expect(
        page.get_by_role("alert").get_by_role("link", name="Beskriv vad som görs.")
    ).to_be_visible()
    expect(page.get_by_text("Beskriv vad som görs.")).to_have_count(2)
    expect(page.locator("#id_title")).to_have_value(TITLE)

    page.locator("#id_summary").fill("Unga samtalar i grupp om våld, gränser och samtycke.")
    page.locator("#id_target_group").select_option(label="Unga")
    page.locator("#id_what_is_done").fill("Tio träffar i grupp under en termin.")
    page.locator("#id_organisation_of_work").fill("Skolan och fritidsgården leder grupperna.")
    page.get_by_label("Uppföljd").check()
    page.get_by_label("1. Förebygga våld").check()
    page.get_by_label("Våld i nära relation").check()
    page.locator("#id_commitments").select_option(value=str(commitment.pk))
    with coordinator.navigates():
        page.get_by_role("button", name="Spara utkastet").click()
    coordinator.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("Inte publicerat.")).to_be_visible()
    with coordinator.navigates():
        page.get_by_role("button", name="Skicka till kansliet för granskning").click()
    coordinator.check()
    expect(page.get_by_text("Exemplet är skickat till kansliet för granskning.")).to_be_visible()
    practice = Practice.objects.get(title=TITLE)
    assert practice.state == Practice.State.PROPOSED

    # --- Not public yet -----------------------------------------------------------------------
    visitor = visit()
    page = visitor.goto("/goda-exempel/")
    expect(page.get_by_role("link", name=TITLE)).to_have_count(0)

    # --- County staff approve it from the list of proposals -----------------------------------
    staff = visit()
    staff.login("kansli")
    page = staff.goto("/goda-exempel/forslag/")
    with staff.navigates():
        page.get_by_role("link", name=TITLE).click()
    staff.check()
    with staff.navigates():
        page.get_by_role("button", name="Godkänn och publicera").click()
    staff.check()
    expect(page.get_by_text("Exemplet är godkänt och publicerat i biblioteket.")).to_be_visible()

    # --- A visitor finds it by filter, at its stable address -----------------------------------
    page = visitor.goto("/")
    with visitor.navigates():
        page.get_by_role("navigation", name="Huvudmeny").get_by_role(
            "link", name="Goda exempel"
        ).click()
    visitor.check()
    page.get_by_label("Målgrupp").select_option(label="Unga")
    page.get_by_label("Kunskap om effekt").select_option(label="Uppföljd")
    with visitor.navigates():
        page.get_by_role("button", name="Visa").click()
    visitor.check()
    expect(page.get_by_text("1 exempel", exact=True)).to_be_visible()
    with visitor.navigates():
        page.get_by_role("link", name=TITLE).click()
    visitor.check()
    expect(page).to_have_url(re.compile(rf"/goda-exempel/{practice.slug}/$"))
    expect(page.locator("main")).to_contain_text("Uppföljd. Arbetet följs upp")

    # --- The commitment's page shows the method it builds on ------------------------------------
    page = visitor.goto(f"/ataganden/{commitment.pk}/")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()

    # --- The shipped example is found by municipality, marked as an example -------------------
    page = visitor.goto("/goda-exempel/")
    page.locator("#id_municipality").select_option(label="Botkyrka kommun")
    with visitor.navigates():
        page.get_by_role("button", name="Visa").click()
    visitor.check()
    with visitor.navigates():
        page.get_by_role("link", name="Mentors in Violence Prevention (MVP)").click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Exempel")
