"""The portal's audit log (händelselogg): who did what, when and from which address.

There is one log, django-auditlog's `LogEntry` table, with two kinds of entries:

- **Changes** of the models registered in `settings.AUDITLOG_INCLUDE_TRACKING_MODELS`
  (memberships, organisations, people's role fields, plans, commitments, delegations, reporting
  periods): created, changed (the fields, old → new) or deleted. django-auditlog's signal
  receivers write them; `audit.middleware.AuditMiddleware` gives them the person signed in and
  their address. A change made by a command or a background job has no person: "system".
- **Events** that change no registered row: signing in, a failed sign-in, signing out, a refused
  access, a report built or published. `record_event` writes them, with action ACCESS and the
  kind in `additional_data["event"]`.

Unlike the log lines (kvinnofrid.logs), which deliberately name nobody, the audit log is for the
administrators: it names the person and the address. It never holds a password, a token or a
link with a secret in it: the registrations exclude such fields (a system check refuses one
that does not), details with such names are masked, and paths are stored with their secret
parts replaced.
"""

import ipaddress
from typing import Any

from auditlog.cid import get_cid
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

# What a field, a URL parameter or a detail is called when its value is a secret. Such values
# never enter the log; should one be there (an old entry), the page shows MASK instead.
SECRET_NAME_PARTS = ("password", "token", "secret", "uidb64", "link", "key")
MASK = "••••••"


class Event(models.TextChoices):
    LOGIN = "login", _("Inloggning")
    LOGIN_FAILED = "login_failed", _("Misslyckad inloggning")
    LOGOUT = "logout", _("Utloggning")
    ACCESS_REFUSED = "access_refused", _("Nekad åtkomst")
    # Commitments made in bulk from a file: one entry for the import, not one per row.
    COMMITMENT_IMPORT = "commitment_import", _("Import av åtaganden")
    # indicators: a file of indicator values, one entry for the whole import.
    INDICATOR_IMPORT = "indicator_import", _("Import av indikatorvärden")
    # For the county report's build and publication, when they exist (see record_event).
    REPORT_BUILD = "report_build", _("Rapport byggd")
    REPORT_PUBLISH = "report_publish", _("Rapport publicerad")


def is_secret(name: str) -> bool:
    name = name.lower()
    return any(part in name for part in SECRET_NAME_PARTS)


def client_address(request: HttpRequest | None) -> str | None:
    """The visitor's address: from the header that only the proxy sets, when one is configured
    (`DJANGO_CLIENT_IP_HEADER`, e.g. X-Real-IP), else the connection's.

    Never X-Forwarded-For's first entry, as django-auditlog would take: nginx appends to what the
    client sent, so that entry is whatever the client chose to write.
    """
    if request is None:
        return None
    header = settings.RATELIMIT_IP_META_KEY
    value = (request.META.get(header) if header else None) or request.META.get("REMOTE_ADDR")
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def safe_path(request: HttpRequest) -> str:
    """The request's path (never its query string), with secret URL parameters replaced."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name, value in match.kwargs.items():
            if value and is_secret(name):
                path = path.replace(str(value), f"<{name}>")
    return path[:500]


def account_pseudonym(username: str) -> str:
    """The same pseudonym of a typed username as the log lines use (kvinnofrid.logs)."""
    return salted_hmac("kvinnofrid.logs.account", str(username or "")).hexdigest()[:12]


def _clean(details: dict[str, Any] | None) -> dict[str, Any]:
    cleaned = {}
    for name, value in (details or {}).items():
        if is_secret(str(name)):
            value = MASK
        elif not isinstance(value, (str, int, float, bool, type(None))):
            value = str(value)
        cleaned[str(name)] = value
    return cleaned


def record_event(
    kind: str,
    actor=None,
    request: HttpRequest | None = None,
    target: models.Model | None = None,
    details: dict[str, Any] | None = None,
) -> LogEntry:
    """Write one event to the audit log and return its entry.

    - `kind`: an `Event` value (anything else raises ValueError).
    - `actor`: who did it; by default the person signed in on `request`; None is "system"
      (a command or a background job) or, for events from a request, "not signed in".
    - `request`: gives the address and the person; None outside a request.
    - `target`: the object it concerns (a report, an account), if any.
    - `details`: a few plain values to show with it; names that sound secret are masked.

    For the county report, when it exists: call
    `record_event(Event.REPORT_BUILD, actor=requested_by, target=county_report)` from the build
    service when a build finishes (from the task: no request, the person who asked as actor),
    and `record_event(Event.REPORT_PUBLISH, request=request, target=county_report)` from the
    publication service, in the same transaction as the change.
    """
    kind = Event(kind)
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    if target is None:
        # An entry needs a content type: an event about no object is filed under the user model
        # with an empty key (the page shows no object for it).
        content_type = ContentType.objects.get_for_model(get_user_model())
        object_pk, object_id, object_repr = "", None, ""
    else:
        content_type = ContentType.objects.get_for_model(target)
        object_pk = str(target.pk)
        object_id = target.pk if isinstance(target.pk, int) else None
        object_repr = str(target)
    return LogEntry.objects.create(
        content_type=content_type,
        object_pk=object_pk,
        object_id=object_id,
        object_repr=object_repr,
        action=LogEntry.Action.ACCESS,
        actor=actor,
        remote_addr=client_address(request),
        cid=get_cid(),
        additional_data={"event": kind.value, **_clean(details)},
    )


# --- Signing in and out (connected in audit.apps) -----------------------------------------------


def on_user_logged_in(sender, request, user, **kwargs) -> None:
    record_event(Event.LOGIN, actor=user, request=request, target=user)


def on_user_logged_out(sender, request, user, **kwargs) -> None:
    if user is None:  # nobody was signed in
        return
    record_event(Event.LOGOUT, actor=user, request=request, target=user)


def on_user_login_failed(sender, credentials, request=None, **kwargs) -> None:
    """A wrong password, or an account locked out (django-axes refuses through the same signal).

    The typed username may be someone else's, or a password typed into the wrong box: the entry
    names the account when one has that username, else only a pseudonym of what was typed.
    Django has already replaced the password in `credentials`; it is not read here anyway.
    """
    user_model = get_user_model()
    username = credentials.get(user_model.USERNAME_FIELD) or credentials.get("username") or ""
    account = (
        user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).first()
        if username
        else None
    )
    details = {} if account is not None else {"account": account_pseudonym(username)}
    record_event(Event.LOGIN_FAILED, request=request, target=account, details=details)
