"""Exports in a real browser: the pages that offer them pass axe, and a click downloads a file."""

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed rows; each test starts from the migrated data.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_county_staff_download_the_reports_they_chose(visit, reporting_world):
    staff = visit()
    staff.login("kansli")

    page = staff.goto("/rapporter/export/")
    page.get_by_label("Läge").select_option("submitted")
    with staff.navigates():
        page.get_by_role("button", name="Visa antal").click()
    staff.check()
    expect(page.get_by_text("0 rapporter matchar filtret.")).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("button", name="Ladda ner som Excel").click()
    day = timezone.localdate().isoformat()
    assert download.value.suggested_filename == f"lagesrapporter-{day}.xlsx"


def test_the_commitment_list_and_the_administration_offer_the_downloads(visit, reporting_world):
    visitor = visit()
    page = visitor.goto("/ataganden/?q=socialtj%C3%A4nsten")

    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner som CSV").click()
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Utbilda socialtjänsten om våld i nära relation" in content

    UserFactory(username="admin", is_staff=True, is_superuser=True)
    administrator = visit()
    administrator.login("admin")
    page = administrator.goto("/administration/")
    expect(page.get_by_text("Exporter", exact=True)).to_be_visible()
