import json
import time

import pytest
from django.core.cache import cache
from health_check.checks import Database

from kvinnofrid.celery import app as celery_app

TOKEN = "a-long-random-health-token"
BEARER = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}


@pytest.fixture
def token(settings):
    settings.HEALTH_CHECK_TOKEN = TOKEN
    return TOKEN


@pytest.fixture
def no_worker(monkeypatch):
    """Tasks go to Redis, and no worker takes them (the worker fixture is module-scoped and
    starts later); what this leaves on the queue is emptied afterwards."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    yield
    with celery_app.connection_for_write() as connection:
        connection.default_channel.queue_purge(celery_app.conf.task_default_queue)


def queued_messages() -> list[dict]:
    client = celery_app.backend.client  # the broker's Redis: broker and results share it
    return [json.loads(raw) for raw in client.lrange(celery_app.conf.task_default_queue, 0, -1)]


def result_keys() -> list[bytes]:
    return celery_app.backend.client.keys("celery-task-meta-*")


def test_liveness_answers_ok_without_touching_the_database_or_the_broker(client):
    # No database access is allowed in this test: one query would fail it.
    response = client.get("/health/live/")

    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.django_db
def test_the_deep_check_is_not_there_for_anyone_without_the_token(client, token, no_worker):
    assert client.get("/health/").status_code == 404
    assert client.get("/health/", {"format": "json"}).status_code == 404
    assert client.get("/health/", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert client.get("/health/", {"token": "wrong"}).status_code == 404
    assert queued_messages() == []


@pytest.mark.django_db
def test_without_a_configured_token_the_deep_check_answers_nobody(client, settings, no_worker):
    settings.HEALTH_CHECK_TOKEN = ""

    assert client.get("/health/").status_code == 404
    assert client.get("/health/", HTTP_AUTHORIZATION="Bearer ").status_code == 404
    assert client.get("/health/", {"token": ""}).status_code == 404


@pytest.mark.django_db
def test_without_a_worker_the_deep_check_fails_within_about_a_second(client, token, no_worker):
    started = time.monotonic()
    response = client.get("/health/", {"format": "json"}, **BEARER)
    elapsed = time.monotonic() - started

    assert response.status_code == 500
    results = response.json()
    assert results["Database(alias='default')"] == "OK"
    assert results["Broker()"] == "OK"
    assert results["CeleryRoundTrip()"] != "OK"
    assert elapsed < 1.8, elapsed


@pytest.mark.django_db
def test_a_check_that_hangs_holds_the_request_for_about_a_second_only(
    client, token, no_worker, monkeypatch
):
    # As a database that accepts the connection and then never answers.
    monkeypatch.setattr(Database, "run", lambda self: time.sleep(3))

    started = time.monotonic()
    response = client.get("/health/", {"format": "json"}, **BEARER)
    elapsed = time.monotonic() - started

    assert response.status_code == 500
    assert response.json()["Database(alias='default')"] != "OK"
    assert elapsed < 1.8, elapsed


@pytest.mark.django_db
def test_the_ping_left_on_the_queue_expires_and_its_result_is_not_kept(client, token, no_worker):
    client.get("/health/", {"format": "json"}, **BEARER)

    [message] = queued_messages()
    assert message["headers"]["task"] == "kvinnofrid.ping"
    assert message["headers"]["expires"] is not None
    assert result_keys() == []


@pytest.mark.django_db
def test_the_result_is_kept_for_a_few_seconds_so_repeated_calls_run_nothing(
    client, token, no_worker
):
    first = client.get("/health/", {"format": "json"}, **BEARER)
    started = time.monotonic()
    second = client.get("/health/", {"token": TOKEN, "format": "json"})

    assert time.monotonic() - started < 0.5
    assert second.status_code == first.status_code == 500
    assert second.json() == first.json()
    assert len(queued_messages()) == 1  # one ping for both calls

    cache.clear()  # as if the 15 seconds had passed
    client.get("/health/", {"format": "json"}, **BEARER)

    assert len(queued_messages()) == 2


@pytest.mark.worker
@pytest.mark.django_db
def test_health_checks_database_cache_broker_and_a_round_trip_through_a_real_worker(
    client, token, celery_worker
):
    response = client.get("/health/", {"format": "json"}, **BEARER)

    assert response.status_code == 200, response.content
    assert set(response.json().values()) == {"OK"}
    assert len(response.json()) == 4
    assert result_keys() == []  # the ping's answer is forgotten once read


@pytest.mark.worker
def test_a_task_sent_through_redis_is_run_by_the_worker_process(celery_worker):
    from kvinnofrid.tasks import ping

    result = ping.delay()

    assert result.get(timeout=10) == "pong"
    assert result.successful()
    result.forget()
