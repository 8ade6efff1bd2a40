"""Writes to one report from several connections at once: serialised, never deadlocked."""

import threading
import time

import pytest
from django.db import connection, transaction

from followup import services
from followup.models import ReportingPeriod, ReportState
from tests.personas import build_world

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

RESUBMITTED = {
    "status": "on_track",
    "percent_done": 70,
    "work_done": "Fyra utbildningar för socialtjänsten.",
    "results": "150 deltagare.",
    "obstacles": "",
    "next_steps": "Utbildningar i södra länet.",
}


def _wait_for_lock_waiters(count: int) -> None:
    """Until `count` connections wait for a lock (pg_locks is live, unlike pg_stat_activity)."""
    deadline = time.monotonic() + 10
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0] >= count:
                return
            time.sleep(0.02)
    raise AssertionError(f"{count} connections never came to wait for a lock")


def _in_thread(outcomes: dict, name: str, call) -> threading.Thread:
    def run():
        try:
            call()
            outcomes[name] = "done"
        except Exception as error:  # noqa: BLE001 - the test inspects what went wrong
            outcomes[name] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run, name=name)
    thread.start()
    return thread


def test_a_return_and_a_resubmit_at_the_same_moment_do_not_deadlock():
    world = build_world()
    report = world.a_submitted
    version = report.version
    outcomes = {}

    def resubmit():
        services.progress_report_save(
            commitment=report.commitment,
            organisation=report.organisation,
            period=report.period,
            user=world.users["coordinator_a"],
            data=RESUBMITTED,
            expected_version=version,
            submit=True,
        )

    def give_back():
        services.progress_report_return(
            report=report,
            user=world.users["county_staff"],
            expected_version=version,
            comment="Beskriv resultaten mer utförligt.",
        )

    # A third connection holds the period (as locking the period would), so that both writes
    # are under way, each holding whatever it locks first, before either can go on.
    with transaction.atomic():
        ReportingPeriod.objects.select_for_update().get(pk=world.period.pk)
        threads = [_in_thread(outcomes, "resubmit", resubmit)]
        _wait_for_lock_waiters(1)
        threads.append(_in_thread(outcomes, "return", give_back))
        _wait_for_lock_waiters(2)
    for thread in threads:
        thread.join(timeout=30)

    assert outcomes["resubmit"] == "done", outcomes
    assert isinstance(outcomes["return"], services.StaleReportError), outcomes
    report.refresh_from_db()
    assert (report.state, report.version) == (ReportState.SUBMITTED, version + 1)
    assert report.percent_done == 70
