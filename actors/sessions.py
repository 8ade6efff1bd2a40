"""How long a sign-in lasts: an idle limit by role, and an absolute limit for everyone.

County staff, administrators and staff (who see every organisation's reports, or the admin)
are signed out after 30 minutes without a request, everyone else (coordinators, delegates)
after 2 hours, and everybody 12 hours after signing in, however active (settings
SESSION_IDLE_LIMIT_STAFF, SESSION_IDLE_LIMIT and SESSION_ABSOLUTE_LIMIT).

The person's idle limit is worked out once, at sign-in, and kept in the session with the time
of signing in and of the last request; so a request costs no query, and the session is written
at most once a minute (ACTIVITY_RESOLUTION) to record activity.
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from actors.permissions import Access

SIGNED_IN_AT = "_kvinnofrid_signed_in_at"
LAST_SEEN = "_kvinnofrid_last_seen"
STRICT = "_kvinnofrid_strict_idle_limit"
# Activity is recorded to the minute: a page loaded within a minute of the last writes nothing.
ACTIVITY_RESOLUTION = 60


def _now() -> int:
    return int(timezone.now().timestamp())


def has_strict_idle_limit(access: Access) -> bool:
    """County staff, administrators and staff see much more than one organisation's reports."""
    return access.sees_all_reports or access.user.is_staff


def landing_url(user) -> str:
    """Where a person lands after signing in without asking for a page (issue 10).

    County staff on their overview of the open period, administrators on the administration,
    everyone else on Mina uppgifter (LOGIN_REDIRECT_URL). By URL name: actors imports no app
    above it.
    """
    access = Access(user)
    if access.is_county_staff:
        return reverse("followup:dashboard")
    if access.is_administrator:
        return reverse("actors:administration")
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def idle_limit(session) -> datetime.timedelta:
    return settings.SESSION_IDLE_LIMIT_STAFF if session[STRICT] else settings.SESSION_IDLE_LIMIT


def session_start(request, user) -> None:
    """At sign-in (auth's user_logged_in, which every way of signing in sends)."""
    now = _now()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now
    request.session[STRICT] = has_strict_idle_limit(Access(user))


def seconds_left(session, now: int) -> int:
    """Until the session ends, by the idle or the absolute limit (negative: it has ended)."""
    idle = session[LAST_SEEN] + int(idle_limit(session).total_seconds()) - now
    absolute = session[SIGNED_IN_AT] + int(settings.SESSION_ABSOLUTE_LIMIT.total_seconds()) - now
    return min(idle, absolute)


class SessionLimitsMiddleware:
    """Ends a signed-in session that has been idle too long or has lasted too long.

    The person lands on the login page with a message saying why, and returns to the page
    they asked for after signing in again. Every request counts as activity except a GET of
    the session status (the report form asks it how long is left; see static/js/report-form.js).
    Sets `request.session_seconds_left` and `request.session_warning_seconds` (how long before
    the end to warn) for signed-in requests.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            ended = self._check(request)
            if ended is not None:
                return ended
        return self.get_response(request)

    def _check(self, request):
        session = request.session
        now = _now()
        if SIGNED_IN_AT not in session or STRICT not in session:
            # Signed in before these limits existed: they start now.
            session_start(request, request.user)
        left = seconds_left(session, now)
        if left <= 0:
            absolute_end = (
                session[SIGNED_IN_AT] + settings.SESSION_ABSOLUTE_LIMIT.total_seconds() <= now
            )
            return self._end(request, absolute_end=absolute_end)
        status_path = reverse("session-status")
        keep_alive = request.method == "POST" and request.path == status_path
        status_check = request.method == "GET" and request.path == status_path
        if keep_alive or (not status_check and now - session[LAST_SEEN] >= ACTIVITY_RESOLUTION):
            session[LAST_SEEN] = now
            left = seconds_left(session, now)
        request.session_seconds_left = left
        request.session_warning_seconds = int(settings.SESSION_WARNING_BEFORE.total_seconds())
        return None

    def _end(self, request, *, absolute_end: bool):
        hours = int(settings.SESSION_ABSOLUTE_LIMIT.total_seconds() // 3600)
        minutes = int(idle_limit(request.session).total_seconds() // 60)
        auth.logout(request)
        if absolute_end:
            message = _(
                "Du har varit inloggad i %(hours)s timmar och har loggats ut. Logga in igen "
                "för att fortsätta."
            ) % {"hours": hours}
        else:
            message = _(
                "Du har loggats ut eftersom du inte har använt portalen på %(minutes)s minuter. "
                "Logga in igen för att fortsätta där du var."
            ) % {"minutes": minutes}
        messages.info(request, message)
        if request.path == reverse("session-status"):
            return HttpResponse(status=401)
        return redirect_to_login(_return_path(request))


def _return_path(request) -> str:
    """Where to go after signing in again: the page asked for, or, for a form sent (which
    may answer no GET, like logging out), the page of this site it was sent from."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.headers.get("referer", "")
    if url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return resolve_url(settings.LOGIN_REDIRECT_URL)
