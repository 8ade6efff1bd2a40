"""One log line per request and one per task, each carrying the request id.

django-guid gives every request its id (from a valid incoming `X-Request-ID`, else a new one),
returns it in the response header, and carries it into the Celery tasks the request queues; its
log filter puts it on every line. This module writes the two lines the operators read: what
was asked and answered, and which job ran how long. Neither holds personal data: no user, no
address, no query string (searches and e-mail addresses travel there), and secret tokens in a
path are masked.
"""

import logging
import time

from celery import signals
from django.http import HttpRequest, HttpResponse

request_logger = logging.getLogger("kvinnofrid.request")
task_logger = logging.getLogger("kvinnofrid.task")

# URL parameters that carry a secret (password reset links): logged as their name, not value.
SECRET_URL_PARAMETERS = ("uidb64", "token")

# The header django-guid reads on a task (its CeleryIntegration puts the request's id there).
TASK_REQUEST_ID_HEADER = "X-Request-ID"


def loggable_path(request: HttpRequest) -> str:
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name in SECRET_URL_PARAMETERS:
            value = match.kwargs.get(name)
            if value:
                path = path.replace(str(value), f"<{name}>")
    return path


class RequestLogMiddleware:
    """Logs each request once, after the response is made (placed right after django-guid's)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.monotonic()
        request_id = getattr(request, "correlation_id", None)
        response = self.get_response(request)
        if request_id:
            # A task run in-process (the quick start, the unit tests) ends by clearing the id
            # django-guid keeps for the thread: put the request's back for its header and line.
            from django_guid import set_guid

            set_guid(request_id)
        duration_ms = round((time.monotonic() - started) * 1000, 1)
        path = loggable_path(request)
        request_logger.info(
            "%s %s %s %s ms",
            request.method,
            path,
            response.status_code,
            duration_ms,
            extra={
                "method": request.method,
                "path": path,
                "status": response.status_code,
                "duration_ms": duration_ms,
            },
        )
        return response


_task_started: dict[str, float] = {}


@signals.task_prerun.connect
def _task_prerun(task_id=None, task=None, **kwargs) -> None:
    _task_started[task_id] = time.monotonic()
    if task is not None and task.request.is_eager and not task.request.get(TASK_REQUEST_ID_HEADER):
        # Run in-process, a task is never published, so django-guid's publish hook cannot hand
        # it the caller's id: hand it over here (this receiver is connected before django-guid's).
        from django_guid import get_guid

        setattr(task.request, TASK_REQUEST_ID_HEADER, get_guid())


@signals.task_postrun.connect
def _task_postrun(task_id=None, task=None, state=None, **kwargs) -> None:
    # Connected before django-guid's own receiver, which clears the id after the task.
    started = _task_started.pop(task_id, None)
    duration_ms = round((time.monotonic() - started) * 1000, 1) if started is not None else None
    name = getattr(task, "name", None)
    task_logger.info(
        "task %s %s %s ms",
        name,
        state,
        duration_ms,
        extra={"task": name, "task_id": task_id, "state": state, "duration_ms": duration_ms},
    )


def axes_client_str(username, ip_address, user_agent, path_info, request) -> str:
    """How django-axes names a sign-in attempt in its log lines: a pseudonym of the account,
    not its username, address or browser. The same account always gets the same pseudonym, so
    repeated failures and a lock-out can be followed; `salted_hmac` makes it useless without the
    secret key."""
    from django.utils.crypto import salted_hmac

    pseudonym = salted_hmac("kvinnofrid.logs.account", str(username or "")).hexdigest()[:12]
    return f"account {pseudonym}"
