"""Signing in, failing to, signing out and being refused: one entry each, with who and where."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from audit.events import Event, account_pseudonym, record_event
from tests.factories import UserFactory
from tests.personas import PASSWORD, build_world

pytestmark = pytest.mark.django_db


def events(kind):
    return list(
        LogEntry.objects.filter(
            action=LogEntry.Action.ACCESS, additional_data__event=kind
        ).order_by("pk")
    )


def test_signing_in_is_recorded_once_with_the_person_and_address(client):
    user = UserFactory(username="anna")

    response = client.post(
        reverse("login"), {"username": "anna", "password": PASSWORD}, REMOTE_ADDR="192.0.2.10"
    )

    assert response.status_code == 302
    [entry] = events(Event.LOGIN)
    assert entry.actor == user
    assert entry.object_pk == str(user.pk)
    assert entry.remote_addr == "192.0.2.10"


def test_a_wrong_password_for_an_account_is_recorded_with_the_account_and_no_password(client):
    user = UserFactory(username="anna")

    client.post(
        reverse("login"),
        {"username": "anna", "password": "fel-losenord-123"},
        REMOTE_ADDR="192.0.2.11",
    )

    [entry] = events(Event.LOGIN_FAILED)
    assert entry.actor is None
    assert entry.object_pk == str(user.pk)
    assert entry.remote_addr == "192.0.2.11"
    assert "fel-losenord-123" not in str(entry.__dict__)
    assert not events(Event.LOGIN)


def test_a_failed_sign_in_as_nobody_keeps_a_pseudonym_not_what_was_typed(client):
    client.post(reverse("login"), {"username": "min-hemliga-fras", "password": "x" * 12})

    [entry] = events(Event.LOGIN_FAILED)
    assert entry.object_pk == ""
    assert entry.additional_data["account"] == account_pseudonym("min-hemliga-fras")
    assert "min-hemliga-fras" not in str(entry.__dict__)


def test_a_locked_out_account_records_each_refused_attempt_once(client):
    UserFactory(username="anna")

    for _attempt in range(6):
        client.post(reverse("login"), {"username": "anna", "password": "fel-losenord-123"})

    assert len(events(Event.LOGIN_FAILED)) == 6


def test_signing_out_is_recorded_once(client):
    user = UserFactory()
    client.force_login(user)

    client.post(reverse("logout"))
    client.post(reverse("logout"))  # nobody is signed in any more: nothing to record

    [entry] = events(Event.LOGOUT)
    assert entry.actor == user


def test_a_refused_access_is_recorded_once_with_the_person_and_the_page(client):
    world = build_world()
    coordinator = world.users["coordinator_a"]
    client.force_login(coordinator)

    response = client.get(reverse("actors:administration") + "?q=hemligt", REMOTE_ADDR="192.0.2.12")

    assert response.status_code == 403
    [entry] = events(Event.ACCESS_REFUSED)
    assert entry.actor == coordinator
    assert entry.remote_addr == "192.0.2.12"
    assert entry.additional_data == {
        "event": "access_refused",
        "path": "/administration/",  # never the query string
        "method": "GET",
    }


def test_pages_found_and_pages_not_found_record_no_refusal(client):
    world = build_world()
    client.force_login(world.users["coordinator_a"])

    assert client.get(reverse("followup:my-tasks")).status_code == 200
    assert client.get("/finns-inte/").status_code == 404

    assert not events(Event.ACCESS_REFUSED)


def test_a_secret_in_a_refused_path_is_replaced(rf):
    from django.urls import resolve

    from audit.events import safe_path

    request = rf.get("/konto/losenord/aterstall/MQ/abc-123secret/")
    request.resolver_match = resolve(request.path)

    assert safe_path(request) == "/konto/losenord/aterstall/<uidb64>/<token>/"


def test_record_event_for_a_report_names_the_actor_the_target_and_masks_secrets():
    user = UserFactory()
    target = UserFactory()

    entry = record_event(
        Event.REPORT_PUBLISH,
        actor=user,
        target=target,
        details={"format": "pdf", "download_link": "https://example.org/x?token=1"},
    )

    assert entry.actor == user
    assert entry.object_repr == str(target)
    assert entry.additional_data == {
        "event": "report_publish",
        "format": "pdf",
        "download_link": "••••••",
    }


def test_record_event_refuses_an_unknown_kind():
    with pytest.raises(ValueError):
        record_event("coffee_break")
