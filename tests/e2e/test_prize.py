"""County staff open this year's call for Kvinnofridspriset; a coordinator nominates with an
attachment; county staff read it and hide it from the jury. Every page is checked with axe."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from prize.models import Attachment, Nomination

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_county_staff_open_a_call_and_a_coordinator_nominates_with_an_attachment(
    visit, reporting_world, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate()
    year = today.year

    # --- County staff open the call --------------------------------------------------------------
    staff = visit()
    staff.login("kansli")
    page = staff.goto("/kvinnofridspriset/hantera/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kvinnofridspriset")
    with staff.navigates():
        page.get_by_role("link", name="Öppna en ny nomineringsomgång").click()
    staff.check()
    expect(page.get_by_label("Kriterium:").first).to_have_value("Samverkan mellan organisationer")
    page.get_by_label("År").fill(str(year))
    page.get_by_label("Öppnar").fill((today - datetime.timedelta(days=1)).isoformat())
    page.get_by_label("Sista dag att nominera").fill(
        (today + datetime.timedelta(days=30)).isoformat()
    )
    with staff.navigates():
        page.get_by_role("button", name="Spara omgången").click()
    staff.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Nomineringar till Kvinnofridspriset {year}"
    )
    expect(page.get_by_text("Inga nomineringar ännu.")).to_be_visible()

    # --- A coordinator nominates, a renamed program first ----------------------------------
    coordinator = visit()
    coordinator.login("samordnare")
    page = coordinator.goto(f"/kvinnofridspriset/{year}/nominera/")
    expect(page.get_by_text("Nämn inga privatpersoner i nomineringen")).to_be_visible()
    page.get_by_label("Organisation:", exact=True).select_option(label="Testkommunen")
    page.get_by_label("Enhet eller verksamhet").fill("Relationsvåldsteamet")
    page.get_by_label("Rubrik för nomineringen").fill("Ett team för hela kedjan")
    page.get_by_label("Sammanfattning").fill("Socialtjänst och polis arbetar i samma team.")
    for title in (
        "Samverkan mellan organisationer",
        "Långsiktigt och en del av det ordinarie arbetet",
        "Visade resultat",
        "Möjligt för andra att använda",
    ):
        page.get_by_label(title).fill(f"Så uppfyller teamet: {title.lower()}.")
    program = tmp_path / "rapport.pdf"
    program.write_bytes(b"MZ\x90\x00" + b"\x00" * 100)
    page.get_by_label("Bilagor:", exact=True).set_input_files(program)
    with coordinator.navigates():
        page.get_by_role("button", name="Skicka in nomineringen").click()
    coordinator.check()
    expect(
        page.get_by_role("alert").get_by_text("rapport.pdf är inte en PDF eller en bild")
    ).to_be_visible()
    expect(page.get_by_label("Rubrik för nomineringen")).to_have_value("Ett team för hela kedjan")
    assert not Nomination.objects.exists()

    report = tmp_path / "utvardering.pdf"
    report.write_bytes(PDF)
    page.get_by_label("Bilagor:", exact=True).set_input_files(report)
    with coordinator.navigates():
        page.get_by_role("button", name="Skicka in nomineringen").click()
    coordinator.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ett team för hela kedjan")
    expect(page.get_by_role("link", name="utvardering.pdf")).to_be_visible()
    nomination = Nomination.objects.get()
    assert nomination.state == Nomination.State.SUBMITTED
    assert Attachment.objects.get().content_type == "application/pdf"

    # --- County staff read it and hide it from the jury ----------------------------------------
    page = staff.goto(f"/kvinnofridspriset/hantera/{year}/nomineringar/")
    with staff.navigates():
        page.get_by_role("link", name="Ett team för hela kedjan").click()
    staff.check()
    with page.expect_download() as download:
        page.get_by_role("link", name="utvardering.pdf").click()
    assert download.value.path().read_bytes() == PDF
    page.get_by_label("Skäl att dölja nomineringen för juryn").fill("Namnger en privatperson.")
    with staff.navigates():
        page.get_by_role("button", name="Dölj för juryn").click()
    staff.check()
    expect(page.get_by_role("heading", name="Dold för juryn")).to_be_visible()
    assert not Nomination.objects.for_jury().exists()

    # --- A visitor finds nothing of it ------------------------------------------------------
    visitor = visit()
    page = visitor.goto(f"/kvinnofridspriset/nomineringar/{nomination.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")
