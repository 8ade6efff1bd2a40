"""Signing in with two factors in tests: apps, codes computed from their secret, and sessions.

`client.force_login(user)` and `client.login(...)` mean a fully signed-in person everywhere in
the suite (see tests/conftest.py): for someone who signs in with two factors they also give the
person an app and mark the session verified, as entering a code would. The tests of two-factor
sign-in itself start from the password step with `password_only_login`, or the login form.
"""

import time

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import hotp, totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from actors import two_factor
from actors.permissions import Access

# Django's own sign-in of the test client (behind force_login and login), taken before
# tests/conftest.py wraps it.
DJANGO_CLIENT_LOGIN = Client._login
PASSWORD_ONLY = "_kvinnofrid_password_only"


def password_only_login(client: Client, user, backend: str | None = None) -> None:
    """Signed in with the password only: the session still has its code to enter (or app to set
    up), as after the login form."""
    setattr(client, PASSWORD_ONLY, True)
    try:
        client.force_login(user, backend)
    finally:
        delattr(client, PASSWORD_ONLY)


def signs_in_with_two_factors(user) -> bool:
    return two_factor.is_required(Access(user)) or two_factor.has_app_device(user)


def app_device(user) -> TOTPDevice:
    """The person's confirmed app; one (with recovery codes) if they have none."""
    device = two_factor.app_device(user)
    if device is None:
        device, _codes = two_factor.two_factor_enable(
            user=user, key=two_factor.new_secret(), matched_step=-1
        )
    return device


def code_for(device: TOTPDevice) -> str:
    """A code the device accepts now, computed from its secret as the app does.

    The current one (django_otp.oath.totp); if that was used already (a code works once), the
    next time step's, which the device accepts a step early; if that was used too, wait.
    """
    while True:
        device.refresh_from_db()
        step = (int(time.time()) - device.t0) // device.step + device.drift
        if device.last_t < step:
            token = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
        elif device.last_t < step + 1:
            token = hotp(device.bin_key, step + 1, device.digits)
        else:
            time.sleep(1)
            continue
        return f"{token:0{device.digits}d}"


def mark_session_verified(client: Client, user) -> TOTPDevice:
    """What entering a right code does to the session (actors.two_factor.mark_verified)."""
    device = app_device(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[two_factor.STATE] = two_factor.VERIFY
    session.save()
    return device
