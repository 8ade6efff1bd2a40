"""Guessing passwords: an account is locked for a while after a few wrong ones (django-axes)."""

import datetime
import io
import logging
import time

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
LOGIN_PAGES = [reverse("login"), reverse("admin:login")]


def attempt(client, url, username, password, address="10.0.0.1"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, url, username, times, address="10.0.0.1"):
    for _ in range(times):
        response = attempt(client, url, username, "wrong-password", address)
        assert response.status_code in (200, 429), response


@pytest.mark.parametrize("url", LOGIN_PAGES)
def test_after_five_wrong_passwords_even_the_right_one_is_refused_in_swedish(client, url, caplog):
    UserFactory(username="anna", is_staff=True)
    caplog.set_level(logging.WARNING)

    fail(client, url, "anna", 5)
    response = attempt(client, url, "anna", PASSWORD)

    content = response.content.decode()
    assert response.status_code == 429
    assert "För många misslyckade inloggningar" in content
    assert "Försök igen om 15 minuter" in content
    assert "_auth_user_id" not in client.session
    assert "AXES: Locking out" in caplog.text


@pytest.mark.parametrize("url", LOGIN_PAGES)
def test_a_locked_account_is_refused_from_another_address_too(client, url):
    UserFactory(username="anna", is_staff=True)

    fail(client, url, "anna", 5, address="10.0.0.1")
    response = attempt(client, url, "anna", PASSWORD, address="10.9.9.9")

    assert response.status_code == 429


def test_four_wrong_passwords_then_the_right_one_signs_in_and_starts_the_count_again(client):
    UserFactory(username="anna")
    url = reverse("login")

    fail(client, url, "anna", 4)
    assert attempt(client, url, "anna", PASSWORD).status_code == 302
    client.logout()
    fail(client, url, "anna", 4)

    assert attempt(client, url, "anna", PASSWORD).status_code == 302


def test_other_accounts_are_not_locked_out(client):
    UserFactory(username="anna")
    UserFactory(username="bertil")
    url = reverse("login")

    fail(client, url, "anna", 6)
    response = attempt(client, url, "bertil", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("followup:my-tasks")


def test_the_lock_is_lifted_after_the_cool_off(client, settings):
    # The real cool-off is 15 minutes; the counters expire in Redis, so a short one is waited out.
    settings.AXES_COOLOFF_TIME = datetime.timedelta(seconds=1)
    UserFactory(username="anna")
    url = reverse("login")

    fail(client, url, "anna", 5)
    assert attempt(client, url, "anna", PASSWORD).status_code == 429
    time.sleep(1.5)

    assert attempt(client, url, "anna", PASSWORD).status_code == 302


def test_the_cool_off_is_fifteen_minutes(settings):
    assert datetime.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_FAILURE_LIMIT == 5


def test_an_operator_can_lift_a_lock_out_at_once(client):
    UserFactory(username="anna")
    url = reverse("login")
    fail(client, url, "anna", 5)

    call_command("axes_reset_username", "anna", stdout=io.StringIO())

    assert attempt(client, url, "anna", PASSWORD).status_code == 302
