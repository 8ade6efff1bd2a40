"""Two-factor sign-in in a real browser: county staff set up the app, then sign in with a code.

The codes are computed here from the secret the page shows, as an authenticator app would.
Every page is checked with axe (see conftest).
"""

import base64
import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.two_factor import code_for

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_county_staff_set_up_the_app_and_then_sign_in_with_a_code_from_it(visit, reporting_world):
    # --- First sign-in: the password, then the app must be set up before anything else ------
    staff = visit()
    staff.login("kansli", two_factor=False)
    page = staff.page
    expect(page).to_have_url(re.compile(r"/konto/tvastegsverifiering/aktivera/\?next="))
    expect(page.get_by_role("heading", level=1)).to_have_text("Slå på tvåstegsverifiering")
    expect(page.get_by_text("Därför loggar du in i två steg")).to_be_visible()
    expect(
        page.get_by_role("img", name="QR-kod med nyckeln för ditt konto i Operation Kvinnofrid")
    ).to_be_visible()
    page.goto(staff.base_url + "/uppfoljning/")  # not yet
    staff.check()
    expect(page).to_have_url(re.compile(r"/konto/tvastegsverifiering/aktivera/"))

    # The secret is there as text too, for those who cannot scan: the app's code comes from it.
    secret = page.locator(".secret code").inner_text().replace(" ", "")
    code = f"{totp(base64.b32decode(secret)):06d}"
    wrong = "000000" if code != "000000" else "111111"
    page.get_by_label("Kod från appen").fill(wrong)
    with staff.navigates():
        page.get_by_role("button", name="Slå på tvåstegsverifiering").click()
    staff.check()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator(".errorlist").get_by_text("Koden stämmer inte.")).to_be_visible()
    expect(page.get_by_label("Kod från appen")).to_have_value(wrong)

    page.get_by_label("Kod från appen").fill(code)
    with staff.navigates():
        page.get_by_role("button", name="Slå på tvåstegsverifiering").click()
    staff.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dina reservkoder")
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    with staff.navigates():
        page.get_by_role("link", name="Jag har sparat koderna, fortsätt").click()
    staff.check()
    expect(page).to_have_url(re.compile(r"/uppfoljning/$"))  # the page asked for before
    page = staff.goto("/konto/tvastegsverifiering/")
    expect(page.get_by_text("Tvåstegsverifiering är på.")).to_be_visible()

    # --- Next sign-in, in another browser: the password, then a code from the app -------------
    again = visit()
    again.login("kansli", two_factor=False)
    page = again.page
    expect(page).to_have_url(re.compile(r"/konto/tvastegsverifiering/kod/\?next="))
    expect(page.get_by_label("Kod från appen")).to_be_focused()
    page.get_by_text("Har du inte telefonen med dig? Använd en reservkod").click()
    expect(page.get_by_label("Reservkod")).to_be_visible()
    again.check()  # with the recovery code form open

    device = TOTPDevice.objects.get(user=reporting_world["staff"])
    page.get_by_label("Kod från appen").fill(code_for(device))
    with again.navigates():
        page.get_by_role("button", name="Verifiera").click()
    again.check()
    expect(page).to_have_url(re.compile(r"/oversikt/$"))  # county staff land on their overview
    page = again.goto("/uppfoljning/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
