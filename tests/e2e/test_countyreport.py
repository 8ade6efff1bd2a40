"""The county report in a real browser: county staff write, build (a real worker on the real
Redis does it, while the page shows its progress), download and publish; a visitor reads it.

Every page is checked with axe for WCAG 2.1 A/AA violations (see conftest).
"""

import pytest
from playwright.sync_api import expect

from countyreport.models import ReportBuild

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_county_staff_write_build_download_and_publish_and_a_visitor_reads_it(
    visit, reporting_world, celery_worker
):
    year = reporting_world["period"].year
    staff = visit()
    staff.login("kansli")

    page = staff.goto("/lagesrapport/")
    with staff.navigates():
        page.get_by_role("link", name=f"Lägesrapport {year}").click()
    staff.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Lägesrapport {year}")

    # --- The summary and a goal's analysis, saved as drafts ---------------------------------
    page.get_by_role("textbox", name="Sammanfattning").fill(
        "Fler åtaganden följdes upp än året innan."
    )
    with staff.navigates():
        page.locator("#summary").get_by_role("button", name="Spara utkastet").click()
    staff.check()
    expect(page.get_by_role("status")).to_contain_text("Sparat kl.")
    expect(page.get_by_role("textbox", name="Sammanfattning")).to_have_value(
        "Fler åtaganden följdes upp än året innan."
    )
    analysis = page.get_by_role("textbox", name="Analys av mål 1.")
    analysis.fill("Utbildningen av socialtjänsten går enligt plan.")
    with staff.navigates():
        page.locator(".report-text", has=analysis).get_by_role(
            "button", name="Spara utkastet"
        ).click()
    staff.check()
    expect(page.get_by_role("table", name="Vem ändrade vad och när")).to_contain_text("mål 1")

    # --- Build: the worker builds, the page follows its progress without reloading ------------
    with staff.navigates():
        page.get_by_role("button", name="Bygg rapporten").click()
    staff.check()
    build = ReportBuild.objects.get()
    row = page.locator(f"#build-{build.pk}")
    expect(row.locator(".build-state")).to_have_text("Klar", timeout=60_000)
    expect(row.locator("progress")).to_have_count(0)
    staff.check()  # the page as the script left it
    with page.expect_download() as download:
        row.get_by_role("link", name="PDF").click()
    assert download.value.suggested_filename == f"lagesrapport-{year}-{build.pk}.pdf"

    # --- Publish, after confirming ----------------------------------------------------------
    page = staff.goto(f"/lagesrapport/{year}/")
    with staff.navigates():
        page.get_by_role("link", name=f"Publicera bygge {build.pk}").click()
    staff.check()
    with staff.navigates():
        page.get_by_role("button", name="Publicera").click()
    staff.check()
    expect(page.get_by_role("alert")).to_contain_text("Det finns fel i formuläret")
    expect(page.locator(".field-invalid")).to_contain_text("Kryssa i rutan")
    page.get_by_label("Jag har läst bygget och vill publicera det för alla").check()
    with staff.navigates():
        page.get_by_role("button", name="Publicera").click()
    staff.check()
    expect(page.get_by_role("status")).to_contain_text("Rapporten är publicerad")

    # --- A visitor finds it from the home page and downloads it ------------------------------
    visitor = visit()
    page = visitor.goto("/")
    with visitor.navigates():
        page.get_by_role("link", name="Läs de publicerade lägesrapporterna").click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publicerade lägesrapporter")
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Lägesrapport {year} som DOCX").click()
    assert download.value.suggested_filename == f"lagesrapport-{year}-{build.pk}.docx"
