import os
import socket
import subprocess
import sys
import time
import uuid
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from actionplan import services as actionplan_services
from actors import services as actors_services
from kvinnofrid.celery import app as celery_app
from tests import two_factor

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _access_matches_the_data(request):
    """After every test with a database: the grants are exactly what the domain rows say.

    The same comparison as `manage.py check_access`, run inside the test's transaction, so that
    any change of access that bypassed the services fails the test that made it.
    """
    if request.node.get_closest_marker("django_db") is None:
        yield
        return
    request.getfixturevalue("_django_db_helper")  # torn down after this check, not before
    yield
    assert actors_services.expected_group_members() == actors_services.actual_group_members()
    difference = actionplan_services.commitments_access_difference()
    assert not difference, f"grants differ from the data: {difference}"


@pytest.fixture(autouse=True)
def _test_client_signs_in_fully(monkeypatch):
    """`client.force_login(user)` and `client.login(...)` are a fully signed-in person.

    Administrators, county staff and staff sign in with two factors (actors/two_factor.py):
    for them, and for anyone who has turned it on, the test client's sign-in also gives the
    person an app (if they have none) and marks the session verified, as entering the code
    would. Tests of the two-factor sign-in itself use `tests.two_factor.password_only_login`
    or the login form.
    """

    def sign_in(client, user, backend=None):
        two_factor.DJANGO_CLIENT_LOGIN(client, user, backend)
        if not getattr(client, two_factor.PASSWORD_ONLY, False) and (
            two_factor.signs_in_with_two_factors(user)
        ):
            two_factor.mark_session_verified(client, user)

    monkeypatch.setattr(Client, "_login", sign_in)


@pytest.fixture(autouse=True)
def _empty_cache():
    # The cache is the real Redis: what one test left there must not leak into the next.
    cache.clear()
    yield


def _test_database_url() -> str:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class SmtpServer:
    """A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""

    def __init__(self):
        self.messages = []
        self.port = _free_port()
        self._controller = None

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def start(self):
        if self._controller is None:
            self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
            self._controller.start()

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def recipients(self) -> list[str]:
        return sorted(message["To"] for message in self.messages)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def smtp_server():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp(smtp_server):
    """The module's SMTP server, emptied and running for this test."""
    smtp_server.messages.clear()
    smtp_server.start()  # a test before may have left it stopped
    return smtp_server


class CeleryWorker:
    """The worker process of the integration tests, and a way to know it has nothing left to do."""

    def __init__(self, process: subprocess.Popen, hostname: str, log_path: Path):
        self.process = process
        self.hostname = hostname
        self.log_path = log_path  # what it logged, as production's JSON lines

    def is_idle(self) -> bool:
        """Nothing waits on Redis, and nothing runs, waits for a free slot or for its retry time
        on the worker. A worker busy with a task does not answer, which counts as not idle."""
        with celery_app.connection_for_read() as connection:
            # Declaring the worker's own queue changes nothing and answers how long it is.
            queued = connection.default_channel.queue_declare(
                queue=celery_app.conf.task_default_queue
            ).message_count
        if queued:
            return False
        inspect = celery_app.control.inspect(destination=[self.hostname], timeout=1)
        for tasks in (inspect.active(), inspect.reserved(), inspect.scheduled()):
            if tasks is None or tasks.get(self.hostname):
                return False
        return True


@pytest.fixture(scope="module")
def celery_worker(django_db_setup, tmp_path_factory, smtp_server):
    """A real Celery worker process on the real Redis, using the test database, sending
    e-mail through the real SMTP server on loopback.

    Tests that use it also need `transactional_db`, so that the worker sees their rows.
    """
    hostname = f"test-{uuid.uuid4().hex[:8]}@localhost"
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": _test_database_url(),
        "TEST_EMAIL_URL": f"smtp://127.0.0.1:{smtp_server.port}",
        "TEST_CELERY_WORKER": "1",
        "LOG_FORMAT": "json",
    }
    log = open(tmp_path_factory.mktemp("celery") / "worker.log", "w")  # noqa: SIM115
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "kvinnofrid",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--hostname={hostname}",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    previous_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        deadline = time.monotonic() + 60
        while not celery_app.control.ping(destination=[hostname], timeout=0.5):
            if worker.poll() is not None or time.monotonic() > deadline:
                log.flush()
                raise RuntimeError(
                    "The Celery worker did not start:\n" + Path(log.name).read_text()[-3000:]
                )
        yield CeleryWorker(worker, hostname, Path(log.name))
    finally:
        celery_app.conf.task_always_eager = previous_eager
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        log.close()
