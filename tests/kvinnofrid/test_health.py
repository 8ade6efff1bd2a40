import datetime

import pytest

from kvinnofrid.health import CeleryRoundTrip

pytestmark = pytest.mark.django_db


def test_health_reports_the_round_trip_unavailable_when_no_worker_answers(
    client, settings, monkeypatch
):
    # No worker runs in this test (the worker fixture below is module-scoped and starts later).
    from kvinnofrid.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setattr(CeleryRoundTrip, "timeout", datetime.timedelta(seconds=1))

    response = client.get("/health/", {"format": "json"})

    assert response.status_code == 500
    results = response.json()
    assert results["Database(alias='default')"] == "OK"
    assert results["Broker()"] == "OK"
    assert results["CeleryRoundTrip()"] != "OK"


@pytest.mark.worker
def test_health_checks_database_cache_broker_and_a_round_trip_through_a_real_worker(
    client, celery_worker
):
    response = client.get("/health/", {"format": "json"})

    assert response.status_code == 200, response.content
    assert set(response.json().values()) == {"OK"}
    assert len(response.json()) == 4


@pytest.mark.worker
def test_a_task_sent_through_redis_is_run_by_the_worker_process(celery_worker):
    from kvinnofrid.tasks import ping

    result = ping.delay()

    assert result.get(timeout=10) == "pong"
    assert result.successful()
