"""Real workers on the real Redis, killed with SIGKILL in the middle of a build: the build is
delivered again and completes exactly once (acks_late, reject_on_worker_lost, the claimed row)."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from auditlog.models import LogEntry

from audit.events import Event
from countyreport import services
from countyreport.models import ReportBuild
from kvinnofrid.celery import app as celery_app
from tests.conftest import ROOT, _test_database_url
from tests.personas import build_world

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PAUSE_STEP = ReportBuild.Step.XLSX
# A worker started with this pauses its first attempt at a build at PAUSE_STEP.
PAUSING = {
    "TEST_COUNTYREPORT_PAUSE_AT_STEP": PAUSE_STEP,
    "TEST_COUNTYREPORT_PAUSE_SECONDS": "120",
}


def wait_until(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.2)


def children_of(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in children]


@pytest.fixture
def start_worker(django_db_setup, tmp_path):
    """Starts real worker processes on the test database; stops those still alive at the end."""
    workers = []
    previous_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False

    def start(pool: str, **extra_env) -> subprocess.Popen:
        hostname = f"test-report-{uuid.uuid4().hex[:8]}@localhost"
        env = os.environ | {
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": _test_database_url(),
            "TEST_CELERY_WORKER": "1",
            **extra_env,
        }
        log_path = tmp_path / f"{hostname}.log"
        with open(log_path, "w") as log:
            worker = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "kvinnofrid",
                    "worker",
                    f"--pool={pool}",
                    "--concurrency=1",
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
        worker.log_path = log_path
        workers.append(worker)
        deadline = time.monotonic() + 60
        while not celery_app.control.ping(destination=[hostname], timeout=0.5):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("The worker did not start:\n" + log_path.read_text()[-3000:])
        return worker

    yield start
    celery_app.conf.task_always_eager = previous_eager
    for worker in workers:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()


def state_of(build):
    build.refresh_from_db()
    return build


def request_build_and_wait_for_the_pause():
    world = build_world()
    report = services.county_report_for_year(world.period.year)
    build = services.build_request(report=report, user=world.users["county_staff"])
    wait_until(lambda: state_of(build).step == PAUSE_STEP)
    assert (build.state, build.attempts) == (ReportBuild.State.RUNNING, 1)
    return build


def assert_completed_exactly_once(build):
    wait_until(lambda: state_of(build).state == ReportBuild.State.DONE)
    assert build.attempts == 2  # delivered again after the kill, once
    assert build.percent == 100 and len(build.input_checksum) == 64
    for kind in ("pdf", "xlsx", "docx"):
        assert getattr(build, kind).storage.exists(getattr(build, kind).name)
    assert LogEntry.objects.filter(additional_data__event=Event.REPORT_BUILD).count() == 1
    time.sleep(3)  # nothing else arrives later: a third attempt would show here
    assert state_of(build).attempts == 2


def test_a_pool_process_killed_in_the_middle_of_a_build_completes_it_exactly_once(start_worker):
    worker = start_worker("prefork", **PAUSING)
    build = request_build_and_wait_for_the_pause()
    [pool_process] = children_of(worker.pid)

    os.kill(pool_process, signal.SIGKILL)

    # reject_on_worker_lost: the worker puts the message back, a new pool process takes it.
    assert_completed_exactly_once(build)
    assert "WorkerLostError" in worker.log_path.read_text()


def test_a_whole_worker_killed_in_the_middle_of_a_build_leaves_it_to_the_next_worker(
    start_worker,
):
    worker = start_worker("solo", **PAUSING)
    build = request_build_and_wait_for_the_pause()

    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)
    # acks_late: the message was never acknowledged, so Redis hands it to the next worker once
    # the visibility timeout has passed (seconds here, CELERY_BROKER_TRANSPORT_OPTIONS in
    # production).
    start_worker("solo", TEST_BROKER_VISIBILITY_TIMEOUT="3")

    assert_completed_exactly_once(build)
