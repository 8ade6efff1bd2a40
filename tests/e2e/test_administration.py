"""An administrator manages organisations and people in a real browser, axe on every page."""

import re

import pytest
from playwright.sync_api import expect

from actors.models import Membership, Organisation
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed rows; each test starts from the migrated data.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_administrator_adds_an_organisation_and_changes_a_person_s_role(visit, reporting_world):
    world = reporting_world
    UserFactory(
        username="admin", first_name="Ada", last_name="Admin", is_staff=True, is_superuser=True
    )
    administrator = visit()
    administrator.login("admin")

    # --- The start page leads to the organisations ---------------------------------------------
    page = administrator.goto("/administration/")
    with administrator.navigates():
        page.get_by_role("link", name="Organisationer", exact=True).click()
    administrator.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisationer")

    # --- Add an organisation: a mistake first, then right -----------------------------------------
    with administrator.navigates():
        page.get_by_role("link", name="Lägg till en organisation").click()
    administrator.check()
    expect(page.get_by_label("Slug")).to_have_count(0)
    page.get_by_label(re.compile("^Namn")).fill("Jämställdhetsmyndigheten")
    page.get_by_label(re.compile("^Kortnamn")).fill("Jämy")
    page.get_by_label(re.compile("^Typ")).select_option(label="Kommun")
    page.get_by_label("Roll i samverkan").select_option(label="Samverkanspart")
    with administrator.navigates():
        page.get_by_role("button", name="Lägg till organisationen").click()
    administrator.check()
    code = page.get_by_label("Kommunkod")
    expect(code).to_have_accessible_description(re.compile("Ange kommunkoden, fyra siffror."))
    expect(page.get_by_label(re.compile("^Namn"))).to_have_value("Jämställdhetsmyndigheten")

    page.get_by_label(re.compile("^Typ")).select_option(label="Statlig myndighet")
    with administrator.navigates():
        page.get_by_role("button", name="Lägg till organisationen").click()
    administrator.check()
    organisation = Organisation.objects.get(name="Jämställdhetsmyndigheten")
    assert (organisation.slug, organisation.affiliation) == ("jamy", "partner")
    expect(page).to_have_url(re.compile(rf"/administration/organisationer/{organisation.pk}/$"))
    expect(page.get_by_role("status")).to_contain_text("Jämställdhetsmyndigheten är tillagd.")
    expect(page.get_by_role("table", name="Rapporter per rapporteringsperiod")).to_be_visible()

    # --- The people: find the coordinator and change their role -----------------------------------
    page = administrator.goto("/administration/personer/")
    page.get_by_label(re.compile("^Sök")).fill("samordnare")
    with administrator.navigates():
        page.get_by_role("button", name="Visa", exact=True).click()
    administrator.check()
    with administrator.navigates():
        page.get_by_role("link", name="Sara Samordnare").click()
    administrator.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sara Samordnare")
    with administrator.navigates():
        page.get_by_role("link", name="Ändra roll eller flytta (Testkommunen)").click()
    administrator.check()
    page.get_by_role("radio", name=re.compile("^Medarbetare")).check()
    page.get_by_label(re.compile("^Kontaktperson")).check()
    with administrator.navigates():
        page.get_by_role("button", name="Spara rollen").click()
    administrator.check()
    expect(page.get_by_role("status")).to_contain_text(
        "Rollen för Sara Samordnare vid Testkommunen är sparad."
    )
    membership = Membership.objects.get(user=world["coordinator"])
    assert (membership.role, membership.is_contact_person) == ("colleague", True)
    row = page.get_by_role("row").filter(has_text="Testkommunen")
    expect(row).to_contain_text("Medarbetare")
