"""A person's audit log entries are in their data export; erasing them takes their address out."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from privacy.services import personal_data_erase, personal_data_export
from tests.factories import OrganisationFactory, UserFactory
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_export_holds_what_the_person_did_and_what_happened_to_their_account(client):
    user = UserFactory(username="anna")
    client.post(reverse("login"), {"username": "anna", "password": PASSWORD})

    exported = personal_data_export(user=user)["audit_log"]

    assert [entry["event"] for entry in exported["by_them"]] == ["login"]
    assert {entry["event"] for entry in exported["about_them"]} == {None, "login"}


def test_erasing_a_person_takes_their_address_and_name_out_of_the_log(client):
    user = UserFactory(
        username="anna", first_name="Anna", last_name="Ek", is_staff=True, is_superuser=True
    )
    UserFactory(username="other-admin", is_superuser=True)
    organisation = OrganisationFactory()
    client.force_login(user)
    client.post(
        reverse("admin:actors_organisation_changelist"),
        {"action": "deactivate", "_selected_action": [organisation.pk]},
    )
    assert LogEntry.objects.filter(actor=user, actor_email="anna@example.org").exists()
    assert LogEntry.objects.filter(object_repr="Anna Ek").exists()

    personal_data_erase(user=user)

    assert not LogEntry.objects.filter(actor_email="anna@example.org").exists()
    assert not LogEntry.objects.filter(object_repr__contains="Anna Ek").exists()
    # What they did stays, under the anonymised account.
    assert LogEntry.objects.filter(actor=user, content_type__model="organisation").exists()


def test_the_personal_data_page_says_what_the_audit_log_holds_and_how_long(client, settings):
    settings.AUDIT_LOG_RETENTION_DAYS = 400

    page = client.get(reverse("privacy:personal-data")).content.decode()

    assert "Händelseloggen:" in page
    assert "från vilken IP-adress" in page
    assert "sparas i 400 dagar" in page
