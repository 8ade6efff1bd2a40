"""The administrators' audit log in a real browser, checked with axe (see conftest)."""

import pytest
from playwright.sync_api import expect

from actors.services import organisation_set_active
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_administrator_reads_and_filters_the_audit_log(visit, reporting_world):
    UserFactory(username="admin", first_name="Ada", last_name="Admin", is_superuser=True)
    organisation_set_active(organisation=reporting_world["organisation"], is_active=False)
    administrator = visit()
    administrator.login("admin")

    page = administrator.goto("/administration/")
    with administrator.navigates():
        page.get_by_role("link", name="Händelselogg").click()
    administrator.check()
    log = page.get_by_role("table")
    expect(log).to_contain_text("Ändrad: Organisation")
    expect(log).to_contain_text("Testkommunen")
    expect(log).to_contain_text("Inloggning")

    page.get_by_label("Typ av händelse").select_option(label="Inloggning")
    with administrator.navigates():
        page.get_by_role("button", name="Visa").click()
    administrator.check()
    expect(page.get_by_role("status")).to_have_text("1 händelse")
    expect(page.get_by_role("table")).to_contain_text("Ada Admin")
