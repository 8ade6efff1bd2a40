"""An administrator invites a person, who opens the e-mail's link in their own browser.

Every page the test loads is checked with axe for WCAG 2.1 A/AA violations (see conftest).
"""

import re

import pytest
from playwright.sync_api import expect

from actors.models import Membership
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed rows; each test starts from the migrated data.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NEW_PASSWORD = "ett-eget-langt-losenord-2026"
PASSWORD_LABEL = re.compile(r"^Lösenord:?$")  # not "Lösenordet igen"


def test_an_administrator_invites_a_person_who_sets_a_password_and_lands_on_my_tasks(
    visit, reporting_world, mailoutbox
):
    world = reporting_world
    UserFactory(
        username="admin", first_name="Ada", last_name="Admin", is_staff=True, is_superuser=True
    )
    administrator = visit()
    administrator.login("admin")

    # --- The administration page leads to the invitations --------------------------------------
    page = administrator.goto("/administration/")
    with administrator.navigates():
        page.get_by_role("link", name="Inbjudningar").click()
    administrator.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inbjudningar")
    with administrator.navigates():
        page.get_by_role("link", name="Bjud in en person").click()
    administrator.check()

    # A coordinator without an organisation is refused next to the field, the address kept.
    page.get_by_label("E-postadress").fill("nora@testkommunen.example")
    page.get_by_label("Roll").select_option(label="Samordnare")
    with administrator.navigates():
        page.get_by_role("button", name="Skicka inbjudan").click()
    administrator.check()
    expect(page.get_by_role("alert")).to_contain_text("Det finns fel i formuläret")
    expect(
        page.locator(".errorlist").get_by_text("Välj organisationen som personen bjuds in till.")
    ).to_be_visible()
    expect(page.get_by_label("E-postadress")).to_have_value("nora@testkommunen.example")

    page.get_by_label("Organisation").select_option(label="Testkommunen")
    with administrator.navigates():
        page.get_by_role("button", name="Skicka inbjudan").click()
    administrator.check()
    expect(page.get_by_role("status")).to_contain_text(
        "En inbjudan skickas till nora@testkommunen.example."
    )
    row = page.get_by_role("row").filter(has_text="nora@testkommunen.example")
    expect(row).to_contain_text("Väntar på svar")
    expect(row).to_contain_text("Samordnare")

    # --- The invited person, in a browser of their own ------------------------------------------
    [message] = mailoutbox
    link = re.search(r"http://\S+/konto/inbjudan/[^/\s]+/", message.body).group(0)
    path = link[link.index("/konto/") :]
    invitee = visit()
    page = invitee.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Välkommen till Operation Kvinnofrids uppföljningsportal"
    )
    expect(page.get_by_text("för Testkommunen, med rollen Samordnare")).to_be_visible()
    expect(page.get_by_label("Användarnamn")).to_have_value("nora")

    # Too short a password first: refused in Swedish next to it, the names kept.
    page.get_by_label("Förnamn").fill("Nora")
    page.get_by_label("Efternamn").fill("Nyström")
    page.get_by_label(PASSWORD_LABEL).fill("kort-2026")
    page.get_by_label("Lösenordet igen").fill("kort-2026")
    with invitee.navigates():
        page.get_by_role("button", name="Skapa kontot").click()
    invitee.check()
    expect(page.locator("#id_password1_error")).to_contain_text("minst 12 tecken")
    expect(page.get_by_label("Efternamn")).to_have_value("Nyström")

    page.get_by_label(PASSWORD_LABEL).fill(NEW_PASSWORD)
    page.get_by_label("Lösenordet igen").fill(NEW_PASSWORD)
    with invitee.navigates():
        page.get_by_role("button", name="Skapa kontot").click()
    invitee.check()
    expect(page).to_have_url(re.compile(r"/mina-uppgifter/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina uppgifter")
    expect(page.get_by_role("status")).to_contain_text("Välkommen! Inbjudan är mottagen.")
    expect(page.get_by_role("link", name=re.compile(world["commitment"].title))).to_be_visible()
    membership = Membership.objects.get(user__username="nora")
    assert (membership.organisation, membership.role) == (world["organisation"], "coordinator")

    # The link is spent: opened again, by anyone else, it says so in Swedish.
    stranger = visit()
    page = stranger.page
    response = page.goto(stranger.base_url + path)
    assert response.status == 410
    stranger.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inbjudan är redan använd")
