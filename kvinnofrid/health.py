"""The operators' health endpoint: database, cache, broker and a Celery round-trip."""

import dataclasses
import datetime

from celery.exceptions import CeleryError
from celery.exceptions import TimeoutError as CeleryTimeoutError
from django.conf import settings
from health_check.base import HealthCheck
from health_check.checks import Cache, Database
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView as BaseHealthCheckView
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError


@dataclasses.dataclass
class CeleryRoundTrip(HealthCheck):
    """Sends a task through the broker and waits for a worker's answer.

    A ping of the workers only proves they are alive; this proves that a task put on the
    queue is taken, run, and its result comes back.
    """

    timeout = datetime.timedelta(seconds=5)

    def run(self):
        from kvinnofrid.tasks import ping

        try:
            answer = ping.delay().get(timeout=self.timeout.total_seconds())
        except CeleryTimeoutError as error:
            raise ServiceUnavailable("No Celery worker answered in time") from error
        except (CeleryError, OperationalError, RedisError, OSError) as error:
            raise ServiceUnavailable(f"Broker unavailable: {error.__class__.__name__}") from error
        if answer != "pong":
            raise ServiceUnavailable("Unexpected answer from the Celery worker")


@dataclasses.dataclass
class Broker(HealthCheck):
    """Opens a connection to the Celery broker."""

    def run(self):
        from kvinnofrid.celery import app

        if not settings.CELERY_BROKER_URL:
            return  # the quick start runs tasks in-process and has no broker
        try:
            with app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, timeout=2)
        except (OperationalError, RedisError, OSError) as error:
            raise ServiceUnavailable(f"Broker unavailable: {error.__class__.__name__}") from error


class HealthCheckView(BaseHealthCheckView):
    checks = (Database, Cache, Broker, CeleryRoundTrip)
