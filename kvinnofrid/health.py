"""The operators' health endpoints.

`/health/live/` answers "ok" as long as a web process serves requests: no database, no broker,
nothing that a load balancer's frequent probe could slow down or that an outage elsewhere could
turn into a restart of healthy web processes.

`/health/` is the deep check: database, cache, broker and a Celery round-trip. It answers only
requests carrying `HEALTH_CHECK_TOKEN` (404 to everyone else, and to everyone when no token is
configured), keeps its result for a few seconds so that repeated calls run nothing, and never
holds a web worker for much more than a second.
"""

import asyncio
import contextlib
import dataclasses
import datetime
import hmac
import logging
from concurrent.futures import ThreadPoolExecutor

from celery.exceptions import CeleryError
from celery.exceptions import TimeoutError as CeleryTimeoutError
from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from health_check.base import HealthCheck, HealthCheckResult
from health_check.checks import Cache, Database
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView as BaseHealthCheckView
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What a probe may cost a web worker: each check's own client gives up before this, and the
# view stops waiting for any check at this point whatever it is doing.
DEADLINE_SECONDS = 1.0
CLIENT_TIMEOUT = datetime.timedelta(seconds=0.8)
# How long one run's result answers every call.
RESULT_SECONDS = 15
RESULT_CACHE_KEY = "kvinnofrid:health:results"


@require_safe
@never_cache
def live(request):
    """Liveness: this process answers. Deliberately checks nothing else."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@dataclasses.dataclass
class CeleryRoundTrip(HealthCheck):
    """Sends a task through the broker and waits for a worker's answer.

    A ping of the workers only proves they are alive; this proves that a task put on the
    queue is taken, run, and its result comes back. The task expires when nobody waits for
    it any more, so a stopped worker does not come back to a queue of stale pings, and its
    answer is deleted once read.
    """

    timeout = CLIENT_TIMEOUT

    def run(self):
        from kvinnofrid.tasks import ping

        seconds = self.timeout.total_seconds()
        result = None
        try:
            result = ping.apply_async(expires=seconds)
            answer = result.get(timeout=seconds)
        except CeleryTimeoutError as error:
            raise ServiceUnavailable("No Celery worker answered in time") from error
        except (CeleryError, OperationalError, RedisError, OSError) as error:
            raise ServiceUnavailable(f"Broker unavailable: {error.__class__.__name__}") from error
        finally:
            if result is not None:
                # With the result backend down there is nothing kept to forget.
                with contextlib.suppress(OperationalError, RedisError, OSError):
                    result.forget()
        if answer != "pong":
            raise ServiceUnavailable("Unexpected answer from the Celery worker")


@dataclasses.dataclass
class Broker(HealthCheck):
    """Opens a connection to the Celery broker."""

    timeout = CLIENT_TIMEOUT

    def run(self):
        from kvinnofrid.celery import app

        if not settings.CELERY_BROKER_URL:
            return  # the quick start runs tasks in-process and has no broker
        seconds = self.timeout.total_seconds()
        try:
            with app.connection_for_write(connect_timeout=seconds) as connection:
                connection.ensure_connection(max_retries=0, timeout=seconds)
        except (OperationalError, RedisError, OSError) as error:
            raise ServiceUnavailable(f"Broker unavailable: {error.__class__.__name__}") from error


class _WithinDeadline:
    """Runs a check, but answers "unavailable" once the deadline has passed, whatever the
    check's own client is still waiting for (its thread ends on that client's timeout)."""

    def __init__(self, check: HealthCheck):
        self.check = check

    async def get_result(self, executor) -> HealthCheckResult:
        try:
            return await asyncio.wait_for(self.check.get_result(executor), DEADLINE_SECONDS)
        except TimeoutError:
            logger.warning("Health check %r did not answer in time", self.check)
            return HealthCheckResult(
                check=self.check,
                error=ServiceUnavailable(f"No answer within {DEADLINE_SECONDS:g} s"),
                time_taken=DEADLINE_SECONDS,
            )


class _Kept:
    """A result of a run a few seconds ago, answered again."""

    def __init__(self, result: HealthCheckResult):
        self.result = result

    async def get_result(self, executor) -> HealthCheckResult:
        return self.result


def has_token(request) -> bool:
    expected = settings.HEALTH_CHECK_TOKEN
    if not expected:
        return False
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        given = request.GET.get("token", "")
    return hmac.compare_digest(given.strip().encode(), expected.encode())


class HealthCheckView(BaseHealthCheckView):
    checks = (
        (Database, {}),
        (Cache, {}),
        (Broker, {}),
        (CeleryRoundTrip, {}),
    )

    async def dispatch(self, request, *args, **kwargs):
        if not has_token(request):
            raise Http404
        return await super().dispatch(request, *args, **kwargs)

    async def get(self, request, *args, **kwargs):
        self.kept = await _read_kept()
        response = await super().get(request, *args, **kwargs)
        if self.kept is None:
            await _keep(self.results)
        return response

    @contextlib.contextmanager
    def get_executor(self):
        # The checks' threads are our own, and the request does not wait for them to end: the
        # event loop's default executor would be waited for when the loop closes (under WSGI
        # after every request), so a hung check would hold the request after all.
        executor = ThreadPoolExecutor(max_workers=len(self.checks), thread_name_prefix="health")
        try:
            yield executor
        finally:
            executor.shutdown(wait=False, cancel_futures=True)

    def get_checks(self):
        if self.kept is not None:
            return [_Kept(result) for result in self.kept]
        return [_WithinDeadline(check) for check in super().get_checks()]


async def _read_kept() -> list[HealthCheckResult] | None:
    try:
        return await cache.aget(RESULT_CACHE_KEY)
    except (RedisError, OSError):
        return None  # the cache check reports it


async def _keep(results: list[HealthCheckResult]) -> None:
    with contextlib.suppress(RedisError, OSError):
        await cache.aset(RESULT_CACHE_KEY, results, RESULT_SECONDS)
