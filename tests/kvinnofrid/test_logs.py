"""The log lines operators read: one per request and one per task, JSON, with the request id."""

import copy
import io
import json
import logging
import re
import time
from logging.config import dictConfig

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_guid import clear_guid, set_guid

from kvinnofrid.tasks import ping
from tests.factories import UserFactory
from tests.personas import PASSWORD

REQUEST_ID = "4f1c2a9be0d34c51a7d8e6f5b4c3a291"


@pytest.fixture
def log_lines():
    """What the portal logs through its production configuration (JSON), as parsed lines."""
    config = copy.deepcopy(settings.LOGGING)
    config["handlers"]["console"]["formatter"] = "json"
    dictConfig(config)
    stream = io.StringIO()
    logging.getLogger().handlers[0].setStream(stream)

    def lines() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    lines.raw = stream.getvalue
    yield lines
    clear_guid()
    dictConfig(settings.LOGGING)


def request_lines(lines: list[dict]) -> list[dict]:
    return [line for line in lines if line["logger"] == "kvinnofrid.request"]


@pytest.mark.django_db
def test_a_request_logs_one_json_line_with_its_id_and_no_personal_data(client, log_lines):
    person = UserFactory(
        username="astrid.lindgren", first_name="Astrid", last_name="Lindgren", email="al@kommun.se"
    )
    client.force_login(person)

    response = client.get(
        reverse("home"), {"q": "al@kommun.se"}, headers={"X-Request-ID": REQUEST_ID}
    )

    assert response.status_code == 200
    assert response["X-Request-ID"] == REQUEST_ID
    [line] = request_lines(log_lines())
    assert line["request_id"] == REQUEST_ID
    assert line["method"] == "GET"
    assert line["path"] == reverse("home")
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float)
    for personal in ("astrid", "Astrid", "Lindgren", "al@kommun.se", "kommun.se", "q="):
        assert personal not in log_lines.raw()


@pytest.mark.django_db
def test_a_request_without_an_id_gets_a_new_one_in_its_answer_and_its_line(client, log_lines):
    response = client.get(reverse("health-live"))

    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    [line] = request_lines(log_lines())
    assert line["request_id"] == request_id


@pytest.mark.django_db
@pytest.mark.parametrize("given", ["not-a-uuid", "<script>", "4f1c2a9b' OR 1=1 --"])
def test_an_invalid_incoming_id_is_replaced(client, log_lines, given):
    response = client.get(reverse("health-live"), headers={"X-Request-ID": given})

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    [line] = request_lines(log_lines())
    assert line["request_id"] == response["X-Request-ID"]


@pytest.mark.django_db
def test_a_password_reset_link_is_logged_without_its_secret(client, log_lines):
    person = UserFactory()
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = default_token_generator.make_token(person)

    client.get(reverse("password_reset_confirm", args=[uid, token]))

    [line] = request_lines(log_lines())
    assert token not in log_lines.raw()
    assert uid not in log_lines.raw()
    assert line["path"] == "/konto/losenord/aterstall/<uidb64>/<token>/"


@pytest.mark.django_db
def test_an_invitation_link_is_logged_without_its_secret(client, log_lines):
    token = "an-invitation-token-that-must-stay-out-of-the-logs"

    client.get(reverse("actors:invitation-accept", args=[token]))

    [line] = request_lines(log_lines())
    assert token not in log_lines.raw()
    assert line["path"] == "/konto/inbjudan/<token>/"


def test_a_task_run_logs_one_line_with_the_id_of_the_request_that_queued_it(log_lines):
    set_guid(REQUEST_ID)  # as django-guid does for a request

    ping.delay()  # run in-process in the unit tests

    [line] = [line for line in log_lines() if line["logger"] == "kvinnofrid.task"]
    assert line["request_id"] == REQUEST_ID
    assert line["task"] == "kvinnofrid.ping"
    assert line["state"] == "SUCCESS"
    assert isinstance(line["duration_ms"], float)


@pytest.mark.worker
def test_a_task_run_by_a_real_worker_logs_one_line_with_the_id_it_was_queued_with(celery_worker):
    set_guid(REQUEST_ID)
    try:
        result = ping.delay()
        assert result.get(timeout=10) == "pong"
    finally:
        clear_guid()
    result.forget()

    def task_lines() -> list[dict]:
        lines = []
        for raw in celery_worker.log_path.read_text().splitlines():
            if raw.startswith("{"):
                line = json.loads(raw)
                if line.get("task_id") == result.id:
                    lines.append(line)
        return lines

    deadline = time.monotonic() + 10
    while not task_lines() and time.monotonic() < deadline:
        time.sleep(0.1)
    [line] = task_lines()
    assert line["logger"] == "kvinnofrid.task"
    assert line["request_id"] == REQUEST_ID
    assert line["state"] == "SUCCESS"


@pytest.mark.django_db
def test_sign_in_attempts_are_logged_by_a_pseudonym_not_by_username_or_address(client, log_lines):
    person = UserFactory(username="astrid.lindgren", email="al@kommun.se")
    for _ in range(2):
        client.post(
            reverse("login"),
            {"username": "astrid.lindgren", "password": "wrong"},
            headers={"User-Agent": "Firefox/140.0"},
            REMOTE_ADDR="192.0.2.17",
        )
    client.post(reverse("login"), {"username": person.username, "password": PASSWORD})

    axes_lines = [line["message"] for line in log_lines() if line["logger"].startswith("axes")]
    assert len(axes_lines) >= 3, axes_lines  # two failures, one success
    pseudonyms = {re.search(r"account [0-9a-f]{12}", line).group() for line in axes_lines}
    assert len(pseudonyms) == 1  # the same account, followed across its attempts
    for personal in ("astrid", "lindgren", "192.0.2.17", "Firefox"):
        assert personal not in log_lines.raw()
