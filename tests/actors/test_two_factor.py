"""Two-factor sign-in: a code from an authenticator app (TOTP) after the password.

These tests start from the password step (the login forms, or `password_only_login`), and compute
the codes from the app's secret as the app does (django_otp.oath.totp).
"""

import base64
import datetime
import re
from binascii import unhexlify
from urllib.parse import urlencode
from xml.etree import ElementTree

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from actors import two_factor
from actors.models import Membership
from actors.services import membership_grant
from privacy.services import personal_data_erase
from tests.factories import OrganisationFactory, UserFactory
from tests.personas import PASSWORD
from tests.two_factor import app_device, code_for, password_only_login

pytestmark = pytest.mark.django_db

MY_TASKS = reverse("followup:my-tasks")
PERIODS = reverse("followup:period-list")
VERIFY = reverse("two-factor-verify")
SETUP = reverse("two-factor-setup")
ACCOUNT = reverse("two-factor")


def county_staff(username="karin"):
    user = UserFactory(username=username)
    membership_grant(
        user=user, organisation=OrganisationFactory(), role=Membership.Role.COUNTY_STAFF
    )
    return user


def coordinator(username="sara"):
    user = UserFactory(username=username)
    membership_grant(
        user=user, organisation=OrganisationFactory(), role=Membership.Role.COORDINATOR
    )
    return user


def sign_in_with_password(client, username, url=None, **extra):
    response = client.post(
        url or reverse("login"), {"username": username, "password": PASSWORD, **extra}
    )
    assert response.status_code == 302, response
    return response


def a_wrong_code(device) -> str:
    right = code_for(device)
    return "000000" if right != "000000" else "111111"


def setup_code(client) -> str:
    """The code the app shows for the secret the setup page offered (kept in the session)."""
    key = client.session[two_factor.SETUP_KEY]
    return f"{totp(unhexlify(key)):06d}"


# --- The whole sign-in, with a real code ----------------------------------------------------


def test_county_staff_sign_in_on_the_portal_with_password_and_a_code_from_the_app(client):
    staff = county_staff()
    device = app_device(staff)

    signed_in = sign_in_with_password(client, "karin", next=PERIODS)
    asked = client.get(PERIODS)
    code_page = client.get(asked["Location"])
    verified = client.post(VERIFY, {"code": f"{totp(device.bin_key):06d}", "next": PERIODS})

    assert signed_in["Location"] == PERIODS
    assert asked.status_code == 302
    assert asked["Location"] == f"{VERIFY}?{urlencode({'next': PERIODS})}"
    html = code_page.content.decode()
    assert "Skriv koden från appen" in html
    assert 'autocomplete="one-time-code"' in html and 'inputmode="numeric"' in html
    assert re.search(r'<label for="id_code">Kod från appen', html)
    assert verified.status_code == 302 and verified["Location"] == PERIODS
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(PERIODS).status_code == 200


def test_administrators_sign_in_to_the_admin_with_password_and_a_code_from_the_app(client):
    device = app_device(UserFactory(username="ada", is_staff=True, is_superuser=True))
    admin_index = reverse("admin:index")

    signed_in = sign_in_with_password(client, "ada", url=reverse("admin:login"), next=admin_index)
    asked = client.get(admin_index)
    verified = client.post(VERIFY, {"code": code_for(device), "next": admin_index})

    assert signed_in["Location"] == admin_index
    assert asked["Location"] == f"{VERIFY}?{urlencode({'next': admin_index})}"
    assert verified["Location"] == admin_index
    assert client.get(admin_index).status_code == 200


def test_the_menu_offers_only_signing_out_until_the_code_is_entered(client):
    karin = county_staff()
    app_device(karin)
    password_only_login(client, karin)

    before = client.get(VERIFY).content.decode()

    assert f'href="{PERIODS}"' not in before and f'href="{MY_TASKS}"' not in before
    assert reverse("logout") in before
    client.post(VERIFY, {"code": code_for(app_device(karin))})
    after = client.get(MY_TASKS).content.decode()
    assert f'href="{PERIODS}"' in after and f'href="{MY_TASKS}"' in after


def test_the_admin_refuses_a_session_that_has_not_entered_its_code(client):
    staff = UserFactory(username="tekniker", is_staff=True)
    app_device(staff)
    password_only_login(client, staff)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)


def test_the_admin_refuses_a_session_whose_app_has_since_been_removed(client):
    administrator = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(administrator)  # verified, as after entering the code
    assert client.get(reverse("admin:index")).status_code == 200

    TOTPDevice.objects.filter(user=administrator).delete()
    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_code_signs_in_once_only(client):
    staff = county_staff()
    device = app_device(staff)
    code = code_for(device)
    sign_in_with_password(client, "karin")
    # County staff land on their overview (issue 10).
    assert client.post(VERIFY, {"code": code})["Location"] == reverse("followup:dashboard")
    client.logout()

    sign_in_with_password(client, "karin")
    again = client.post(VERIFY, {"code": code})

    assert again.status_code == 200
    assert "Koden stämmer inte" in again.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_a_wrong_code_is_refused_in_swedish_and_what_was_typed_stays(client):
    device = app_device(county_staff())
    sign_in_with_password(client, "karin")
    wrong = a_wrong_code(device)

    response = client.post(VERIFY, {"code": wrong, "next": PERIODS})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Det finns fel i formuläret" in html
    assert "Koden stämmer inte. Skriv koden som appen visar just nu" in html
    assert f'value="{wrong}"' in html
    assert f'name="next" value="{PERIODS}"' in html
    assert client.get(PERIODS).status_code == 302


def test_a_code_that_is_not_six_digits_is_explained(client):
    app_device(county_staff())
    sign_in_with_password(client, "karin")

    response = client.post(VERIFY, {"code": "12a45"})

    assert "Skriv de sex siffrorna som appen visar." in response.content.decode()


def test_many_wrong_codes_in_a_row_block_even_the_right_one_until_the_wait_is_over(client):
    assert settings.OTP_TOTP_THROTTLE_FACTOR >= 1  # django-otp's throttling is on
    device = app_device(county_staff())
    sign_in_with_password(client, "karin")
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for _attempt in range(6):
            clock.shift(datetime.timedelta(minutes=2))  # past each wait: every guess is checked
            client.post(VERIFY, {"code": a_wrong_code(device)})
        device.refresh_from_db()
        assert device.throttling_failure_count == 6

        blocked = client.post(VERIFY, {"code": code_for(device)})
        clock.shift(datetime.timedelta(seconds=2**5 + 1))
        after_the_wait = client.post(VERIFY, {"code": code_for(device)})

    assert blocked.status_code == 200
    assert re.search(
        r"För många felaktiga koder i rad. Vänta \d+ sekunder och försök igen.",
        blocked.content.decode(),
    )
    assert after_the_wait.status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


# --- Recovery codes ------------------------------------------------------------------------


def test_a_recovery_code_signs_in_once_and_not_twice(client):
    staff = county_staff()
    app_device(staff)
    code = StaticToken.objects.filter(device__user=staff).first().token
    sign_in_with_password(client, "karin")

    first = client.post(VERIFY, {"recovery_code": code.upper(), "next": PERIODS})
    client.logout()
    sign_in_with_password(client, "karin")
    second = client.post(VERIFY, {"recovery_code": code})

    assert first.status_code == 302 and first["Location"] == PERIODS
    assert StaticToken.objects.filter(device__user=staff).count() == 9
    assert second.status_code == 200
    html = second.content.decode()
    assert "Reservkoden stämmer inte eller har redan använts." in html
    assert '<details class="two-factor-recovery" open>' in html
    assert client.get(PERIODS).status_code == 302


def test_signing_in_with_a_recovery_code_says_how_many_are_left(client):
    staff = county_staff()
    app_device(staff)
    code = StaticToken.objects.filter(device__user=staff).first().token
    sign_in_with_password(client, "karin")

    page = client.post(VERIFY, {"recovery_code": code}, follow=True)

    assert "Du har 9 oanvända kvar" in page.content.decode()


def test_new_recovery_codes_replace_the_old_ones_and_are_shown_once(client):
    staff = county_staff()
    client.force_login(staff)
    old = StaticToken.objects.filter(device__user=staff).first().token

    page = client.post(reverse("two-factor-recovery-codes"))

    new_codes = list(StaticToken.objects.filter(device__user=staff).values_list("token", flat=True))
    html = page.content.decode()
    assert page.status_code == 200
    assert len(new_codes) == 10 and old not in new_codes
    assert all(f"<code>{code}</code>" in html for code in new_codes)
    assert "de visas bara den här gången" in html
    client.logout()
    sign_in_with_password(client, "karin")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert client.post(VERIFY, {"recovery_code": old}).status_code == 200
        clock.shift(datetime.timedelta(seconds=2))  # past the wait after one wrong code
        assert client.post(VERIFY, {"recovery_code": new_codes[0]}).status_code == 302


# --- Setting up the app --------------------------------------------------------------------


def test_county_staff_without_an_app_must_set_it_up_before_reaching_the_overview(client):
    county_staff()
    sign_in_with_password(client, "karin")

    overview = client.get(PERIODS)
    code_page = client.get(VERIFY)
    setup = client.get(overview["Location"])
    public = client.get(reverse("privacy:personal-data"))

    assert overview.status_code == 302
    assert overview["Location"] == f"{SETUP}?{urlencode({'next': PERIODS})}"
    assert code_page["Location"].startswith(SETUP)
    assert public.status_code == 200
    html = setup.content.decode()
    assert setup.status_code == 200
    assert "Därför loggar du in i två steg" in html
    assert 'src="data:image/svg+xml;base64,' in html
    assert two_factor.secret_as_text(client.session[two_factor.SETUP_KEY]) in html
    assert not TOTPDevice.objects.exists()


def test_setting_up_with_the_qr_code_and_a_code_from_the_app_opens_the_overview(client):
    staff = county_staff()
    sign_in_with_password(client, "karin")
    client.get(f"{SETUP}?{urlencode({'next': PERIODS})}")
    key = client.session[two_factor.SETUP_KEY]

    done = client.post(SETUP, {"code": setup_code(client), "next": PERIODS})

    device = TOTPDevice.objects.get(user=staff)
    assert device.confirmed and device.key == key
    codes = list(StaticToken.objects.filter(device__user=staff).values_list("token", flat=True))
    assert len(codes) == 10
    html = done.content.decode()
    assert done.status_code == 200
    assert all(f"<code>{code}</code>" in html for code in codes)
    assert f'<a class="button" href="{PERIODS}">' in html
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(PERIODS).status_code == 200


def test_the_qr_code_holds_the_secret_and_carries_no_inline_style(client):
    county_staff()
    sign_in_with_password(client, "karin")
    html = client.get(SETUP).content.decode()
    key = client.session[two_factor.SETUP_KEY]

    data_uri = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', html).group(1)
    svg = ElementTree.fromstring(base64.b64decode(data_uri))
    url = two_factor.config_url(key=key, username="karin")

    assert svg.tag.endswith("svg")
    assert all("style" not in element.attrib for element in svg.iter())
    assert url.startswith("otpauth://totp/Operation%20Kvinnofrid%3Akarin?secret=")
    assert base64.b32encode(unhexlify(key)).decode() in url
    assert two_factor.qr_code_svg(url) == base64.b64decode(data_uri)


def test_a_wrong_code_at_set_up_keeps_the_same_secret_and_turns_nothing_on(client):
    county_staff()
    sign_in_with_password(client, "karin")
    client.get(SETUP)
    key = client.session[two_factor.SETUP_KEY]
    right = setup_code(client)

    response = client.post(SETUP, {"code": "000000" if right != "000000" else "111111"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Koden stämmer inte. Kontrollera att appen har lagt till kontot" in html
    assert client.session[two_factor.SETUP_KEY] == key
    assert two_factor.secret_as_text(key) in html
    assert not TOTPDevice.objects.exists()
    assert client.get(PERIODS).status_code == 302


def test_the_code_that_set_up_the_app_does_not_sign_in_again(client):
    county_staff()
    sign_in_with_password(client, "karin")
    client.get(SETUP)
    code = setup_code(client)
    client.post(SETUP, {"code": code})
    client.logout()

    sign_in_with_password(client, "karin")
    response = client.post(VERIFY, {"code": code})

    assert response.status_code == 200


def test_a_person_made_county_staff_while_signed_in_must_set_up_an_app_at_once(client):
    person = coordinator()
    password_only_login(client, person)
    assert client.get(MY_TASKS).status_code == 200

    membership_grant(
        user=person, organisation=OrganisationFactory(), role=Membership.Role.COUNTY_STAFF
    )
    response = client.get(MY_TASKS)

    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", 302),
        (MY_TASKS, 302),
        (reverse("actionplan:commitment-list"), 302),
        (reverse("admin:index"), 302),
        (ACCOUNT, 302),
        (reverse("privacy:personal-data"), 200),
        (reverse("privacy:accessibility"), 200),
        (reverse("login"), 200),
        (VERIFY, 200),
    ],
)
def test_before_the_code_only_the_code_page_logging_out_and_public_pages_open(
    client, path, expected
):
    staff = county_staff()
    app_device(staff)
    password_only_login(client, staff)

    response = client.get(path)

    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(VERIFY)
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


# --- Coordinators may turn it on and off ---------------------------------------------------


def test_coordinators_sign_in_with_the_password_only_until_they_turn_it_on(client):
    person = coordinator()
    sign_in_with_password(client, "sara")

    page = client.get(ACCOUNT)

    assert client.get(MY_TASKS).status_code == 200
    assert "Tvåstegsverifiering är av." in page.content.decode()
    assert not TOTPDevice.objects.filter(user=person).exists()


def test_a_coordinator_turns_it_on_then_signs_in_with_a_code_then_turns_it_off(client):
    person = coordinator()
    sign_in_with_password(client, "sara")
    assert "Med tvåstegsverifiering loggar du in" in client.get(SETUP).content.decode()
    client.post(SETUP, {"code": setup_code(client)})
    assert "Tvåstegsverifiering är på." in client.get(ACCOUNT).content.decode()
    client.logout()

    sign_in_with_password(client, "sara")
    asked = client.get(MY_TASKS)
    client.post(VERIFY, {"code": code_for(TOTPDevice.objects.get(user=person))})
    turned_off = client.post(reverse("two-factor-disable"))
    client.logout()
    sign_in_with_password(client, "sara")

    assert asked["Location"].startswith(VERIFY)
    assert turned_off.status_code == 302 and turned_off["Location"] == ACCOUNT
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticDevice.objects.filter(user=person).exists()
    assert client.get(MY_TASKS).status_code == 200


@pytest.mark.parametrize("role", ["county_staff", "administrator", "staff"])
def test_those_who_must_use_it_cannot_turn_it_off(client, role):
    if role == "county_staff":
        person = county_staff()
    else:
        person = UserFactory(is_staff=True, is_superuser=role == "administrator")
    client.force_login(person)

    page = client.get(ACCOUNT)
    response = client.post(reverse("two-factor-disable"))

    assert "Stäng av tvåstegsverifiering" not in page.content.decode()
    assert "så du måste använda tvåstegsverifiering" in page.content.decode()
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=person, confirmed=True).exists()


# --- The test suite's own sign-in -----------------------------------------------------------


def test_force_login_signs_administrators_in_fully_and_the_password_only_login_does_not(client):
    administrator = UserFactory(is_staff=True, is_superuser=True)

    client.force_login(administrator)
    fully = client.get(reverse("admin:index")).status_code
    client.logout()
    password_only_login(client, administrator)
    password_only = client.get(reverse("admin:index")).status_code

    assert fully == 200
    assert password_only == 302


def test_erasing_a_person_deletes_their_app_and_recovery_codes():
    staff = county_staff()
    app_device(staff)

    personal_data_erase(user=staff)

    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert not StaticDevice.objects.filter(user=staff).exists()
    assert not StaticToken.objects.filter(device__user=staff).exists()
