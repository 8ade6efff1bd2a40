"""Two-factor authentication: a code from an authenticator app (TOTP) after the password.

Administrators (active superusers), county staff and staff (`is_staff`, who use the admin) must
use it; coordinators and everyone else may turn it on. The devices are django-otp's: one
confirmed `TOTPDevice` per person for the app, and one `StaticDevice` holding ten single-use
recovery codes (reservkoder) for when the phone is lost.

A sign-in goes: password (the portal's login or the admin's, guarded by django-axes) → the code
(`two-factor-verify`) → the page asked for. A person who must use two factors but has no device
sets one up first (`two-factor-setup`). Until then the session reaches only those pages, logging
out and the pages that show nothing about anyone (TwoFactorMiddleware).

The session counts as verified once `django_otp.login` has put the device's id in it. The
portal reads that id from the session and nothing else, so a verified request costs no query:
django-otp's own OTPMiddleware would load the device on every request. Only
`django_otp.login` (after a code was accepted) and the test helper write the id. The admin checks
the device itself (`kvinnofrid.admin.PortalAdminSite`). Removing a device in the admin does not
end the sessions it verified; they end with their idle or absolute limit.

Wrong codes are throttled by django-otp per device, in the database, so across processes: after
n wrong codes in a row the next is not even checked for 2^(n-1) seconds
(OTP_TOTP_THROTTLE_FACTOR, OTP_STATIC_THROTTLE_FACTOR).
"""

import datetime
import re
import time
from base64 import b32encode
from binascii import unhexlify
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import django_otp
from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode as django_urlencode
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from actors.models import User
from actors.permissions import Access, access_for

# What is left to do before the session counts as verified: enter a code, or first set up the
# app. Worked out at sign-in (and again if the person's role changes), kept in the session.
STATE = "_kvinnofrid_two_factor"
VERIFY = "verify"
SETUP = "setup"
OPTIONAL = "optional"
# The secret of an app being set up: in the session until a code proves the app has it.
SETUP_KEY = "_kvinnofrid_two_factor_setup_key"

APP_DEVICE_NAME = "Autentiseringsapp"
RECOVERY_DEVICE_NAME = "Reservkoder"
RECOVERY_CODE_COUNT = 10
TOTP_DIGITS = 6

# The pages a person with a code still to enter (or an app to set up) may open: these, logging
# out, the language switch, the session's status, and the pages that show nothing about anyone.
ALLOWED_BEFORE_VERIFIED = {
    "login",
    "logout",
    "admin:logout",
    "session-status",
    "set_language",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "privacy:personal-data",
    "privacy:accessibility",
    "health",
    "health-live",
}


def is_required(access: Access) -> bool:
    """County staff and administrators see every organisation's reports; staff use the admin."""
    user = access.user
    if not (user.is_authenticated and user.is_active):
        return False
    return access.sees_all_reports or user.is_staff


def app_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_app_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_verified(session) -> bool:
    return bool(session.get(DEVICE_ID_SESSION_KEY))


def _state_for(access: Access) -> str:
    if has_app_device(access.user):
        return VERIFY
    return SETUP if is_required(access) else OPTIONAL


def session_start(request, user) -> None:
    """At sign-in (auth's user_logged_in): what the person must do before the session counts."""
    request.session[STATE] = _state_for(Access(user))


def pending_step(request) -> str | None:
    """VERIFY or SETUP while the signed-in person still has that to do, else None."""
    session = request.session
    if is_verified(session):
        return None
    state = session.get(STATE)
    if state in (VERIFY, SETUP):
        return state
    # Optional at sign-in (or signed in before two factors existed): a person made county staff,
    # administrator or staff since must set it up now. access_for is the request's, which the
    # page's menu reads anyway, so this costs no query of its own on a page.
    if state is None or is_required(access_for(request)):
        state = _state_for(access_for(request))
        session[STATE] = state
    return state if state in (VERIFY, SETUP) else None


def mark_verified(request, device) -> None:
    """The code was right: the session counts as signed in with two factors (django-otp).

    A new session key, as at any change of what the session may do."""
    request.session.cycle_key()
    django_otp.login(request, device)
    request.session[STATE] = VERIFY
    request.session.pop(SETUP_KEY, None)


class TwoFactorMiddleware:
    """Sends a signed-in person who still has a code to enter, or an app to set up, there first.

    Runs after authentication and the session limits; the page asked for is kept as `next`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        step = pending_step(request)
        if step is None:
            return None
        view_name = request.resolver_match.view_name
        target = "two-factor-verify" if step == VERIFY else "two-factor-setup"
        if view_name == target or view_name in ALLOWED_BEFORE_VERIFIED:
            return None
        next_path = request.get_full_path() if request.method in ("GET", "HEAD") else None
        url = reverse(target)
        if next_path:
            url += "?" + django_urlencode({"next": next_path})
        return redirect(url)


# --- Codes --------------------------------------------------------------------------------------


def new_secret() -> str:
    """A new app secret, hex-encoded as django-otp keeps it (20 random bytes)."""
    return random_hex(20)


def secret_as_text(key: str) -> str:
    """The secret as the apps take it when typed: base32, in groups of four."""
    encoded = b32encode(unhexlify(key)).decode()
    return " ".join(encoded[i : i + 4] for i in range(0, len(encoded), 4))


def config_url(*, key: str, username: str) -> str:
    """The otpauth:// address the QR code holds (Google Authenticator's key URI format)."""
    issuer = settings.OTP_TOTP_ISSUER.replace(":", "")
    params = urlencode(
        {
            "secret": b32encode(unhexlify(key)).decode(),
            "algorithm": "SHA1",
            "digits": TOTP_DIGITS,
            "period": 30,
        }
    )
    return f"otpauth://totp/{quote(f'{issuer}:{username}')}?{params}&issuer={quote(issuer)}"


def qr_code_svg(data: str) -> bytes:
    """The QR code as an SVG image (one path, no style attribute), for an <img> data: URI."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathFillImage, border=2)
    return image.to_string(encoding="UTF-8")


def normalise_app_code(raw: str) -> str | None:
    """Six digits, whatever spaces the person typed between them; None if it is not that."""
    code = re.sub(r"\s", "", raw or "")
    return code if re.fullmatch(rf"\d{{{TOTP_DIGITS}}}", code) else None


def normalise_recovery_code(raw: str) -> str | None:
    code = re.sub(r"[\s-]", "", raw or "").lower()
    return code if re.fullmatch(r"[a-z2-7]{8}", code) else None


def code_for_secret_matches(key: str, code: str) -> int | None:
    """The time step at which `code` is right for `key` (now, a step before or after), or None."""
    totp = TOTP(unhexlify(key), step=30, digits=TOTP_DIGITS)
    totp.time = time.time()
    if totp.verify(int(code), tolerance=1):
        return totp.t()
    return None


@dataclass(frozen=True)
class CodeResult:
    device: object | None = None
    # When wrong codes have been tried too often: the time the next one will be checked.
    locked_until: datetime.datetime | None = None


def code_check(*, user: User, code: str, recovery: bool) -> CodeResult:
    """Check an app code or a recovery code against the person's devices, with django-otp's
    throttling (a device that failed too often checks nothing until its wait is over). A
    recovery code that matches is used up."""
    model = StaticDevice if recovery else TOTPDevice
    with transaction.atomic():
        locked_until = None
        for device in model.objects.filter(user=user, confirmed=True).select_for_update():
            allowed, details = device.verify_is_allowed()
            if not allowed:
                locked_until = details["locked_until"]
                continue
            if device.verify_token(code):
                return CodeResult(device=device)
        return CodeResult(locked_until=locked_until)


# --- Services -----------------------------------------------------------------------------------


def _new_recovery_codes(device: StaticDevice) -> list[str]:
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def two_factor_enable(*, user: User, key: str, matched_step: int) -> tuple[TOTPDevice, list[str]]:
    """Keep the app proven by a code at `matched_step`, and make new recovery codes.

    The code that proved it cannot be used again (last_t), as with every code after.
    """
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user, name=APP_DEVICE_NAME, key=key, confirmed=True, last_t=matched_step
    )
    return device, recovery_codes_regenerate(user=user)


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    """New recovery codes; the old ones stop working. Shown once, to the person only."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    return _new_recovery_codes(device)


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def two_factor_disable(*, user: User) -> None:
    """Turn two factors off (only for people who may): the app and the recovery codes go."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def forget_verification(request) -> None:
    """After turning two factors off: the session no longer names a device."""
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    request.session[STATE] = OPTIONAL


def verified_device(request):
    """The device that verified this session, checked in the database: still there, confirmed
    and the signed-in person's. For the admin, which may afford the query."""
    from django_otp.models import Device

    persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
    if not persistent_id or not request.user.is_authenticated:
        return None
    device = Device.from_persistent_id(persistent_id)
    if device is None or device.user_id != request.user.pk or not device.confirmed:
        return None
    return device
