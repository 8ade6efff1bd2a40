"""The administrators' page of the audit log: newest first, filtered, in constant queries."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from actors.services import membership_grant, organisation_set_active
from audit.events import Event, record_event
from followup.services import reporting_period_lock
from tests.factories import OrganisationFactory, ReportingPeriodFactory, UserFactory
from tests.test_robustness import JUNK

pytestmark = pytest.mark.django_db

URL = reverse("actors:audit-log")


@pytest.fixture
def administrator(client):
    user = UserFactory(
        username="admin", first_name="Ada", last_name="Admin", is_staff=True, is_superuser=True
    )
    client.force_login(user)
    return user


def rows(response):
    return response.context["object_list"]


def test_the_administration_page_links_to_the_log(client, administrator):
    response = client.get(reverse("actors:administration"))

    assert f'href="{URL}"' in response.content.decode()


def test_the_log_shows_who_when_where_and_what_newest_first(client, administrator):
    organisation = OrganisationFactory(name="Myndighet Ö")
    client.post(
        reverse("admin:actors_organisation_changelist"),
        {"action": "deactivate", "_selected_action": [organisation.pk]},
        REMOTE_ADDR="192.0.2.20",
    )

    response = client.get(URL)

    assert response.status_code == 200
    newest = rows(response)[0]
    assert newest.actor == "Ada Admin"
    assert newest.address == "192.0.2.20"
    assert newest.what == "Ändrad: Organisation"
    assert newest.target == "Myndighet Ö"
    [change] = newest.changes
    assert (change.label, change.old, change.new) == ("Aktiv", "ja", "nej")
    page = response.content.decode()
    assert "Myndighet Ö" in page and "192.0.2.20" in page
    timestamps = [row.when for row in rows(response)]
    assert timestamps == sorted(timestamps, reverse=True)


def test_changes_without_a_person_are_the_systems_and_choices_read_as_words(client, administrator):
    membership_grant(user=UserFactory(), organisation=OrganisationFactory(), role="county_staff")

    response = client.get(URL, {"kind": "actors.membership"})

    [row] = rows(response)
    assert row.actor == "System"
    assert ("Roll", "–", "Kansli") in [(c.label, c.old, c.new) for c in row.changes]


def test_the_kind_filter_finds_events_models_and_period_locks(client, administrator):
    period = ReportingPeriodFactory(year=2032)
    reporting_period_lock(period=period)
    organisation_set_active(organisation=OrganisationFactory(), is_active=False)

    def kinds(kind):
        return {row.what for row in rows(client.get(URL, {"kind": kind}))}

    assert kinds(Event.LOGIN) == {"Inloggning"}  # the administrator's own, by force_login
    assert kinds("followup.reportingperiod") == {
        "Skapad: Rapporteringsperiod",
        "Ändrad: Rapporteringsperiod",
    }
    assert kinds("period_lock") == {"Ändrad: Rapporteringsperiod"}
    assert kinds("actors.organisation") == {"Skapad: Organisation", "Ändrad: Organisation"}


def test_the_person_filter_finds_what_one_person_did(client, administrator):
    other = UserFactory(first_name="Berit", last_name="Bengtsson")
    record_event(Event.REPORT_BUILD, actor=other)
    record_event(Event.REPORT_PUBLISH, actor=administrator)

    found = rows(client.get(URL, {"person": "bengts"}))

    assert [row.what for row in found] == ["Rapport byggd"]


def test_the_date_filter_takes_whole_days_in_the_portals_time_zone(client, administrator):
    entry = record_event(Event.REPORT_BUILD)
    # 23:30 in Stockholm on 1 March is 22:30 UTC: it belongs to 1 March.
    LogEntry.objects.filter(pk=entry.pk).update(
        timestamp=datetime.datetime(2030, 3, 1, 22, 30, tzinfo=datetime.UTC)
    )

    def found(**dates):
        return [row.entry.pk for row in rows(client.get(URL, dates))]

    assert found(date_from="2030-03-01", date_to="2030-03-01") == [entry.pk]
    assert found(date_from="2030-03-02", date_to="2030-03-31") == []
    assert found(date_from="2030-02-01", date_to="2030-02-28") == []


def test_the_search_looks_in_objects_values_pages_and_addresses(client, administrator):
    record_event(Event.ACCESS_REFUSED, details={"path": "/uppfoljning/2030/"})
    organisation = OrganisationFactory(name="Sökbara myndigheten")

    assert [r.target for r in rows(client.get(URL, {"q": "sökbara"}))] == [organisation.name]
    assert [r.what for r in rows(client.get(URL, {"q": "uppfoljning/2030"}))] == ["Nekad åtkomst"]


@pytest.mark.parametrize("junk", [*JUNK, "2030-02-31", "0001-01-01", "9999-12-31"])
@pytest.mark.parametrize("parameter", ["kind", "person", "date_from", "date_to", "q", "page"])
def test_junk_filters_answer_without_a_server_error(client, administrator, parameter, junk):
    response = client.get(URL, {parameter: junk})

    assert response.status_code in (200, 404)


def test_the_page_is_paginated(client, administrator):
    for _number in range(60):
        record_event(Event.REPORT_BUILD)

    first = client.get(URL)
    second = client.get(URL, {"page": 2})

    assert len(rows(first)) == 50
    assert rows(second)
    assert not {r.entry.pk for r in rows(first)} & {r.entry.pk for r in rows(second)}


@pytest.mark.parametrize("size", [1, 50])
def test_the_page_runs_a_constant_number_of_queries(
    client, administrator, django_assert_num_queries, size
):
    for number in range(size):
        organisation = OrganisationFactory()
        organisation_set_active(organisation=organisation, is_active=False)
        membership_grant(user=administrator, organisation=organisation, role="coordinator")
        record_event(Event.ACCESS_REFUSED, actor=administrator, details={"path": f"/{number}/"})

    # The session, the person, their roles (the menu), the count, the page's keys and its rows.
    with django_assert_num_queries(5):
        response = client.get(URL, {"q": ""})

    assert response.status_code == 200
    assert len(rows(response)) == min(50, LogEntry.objects.count())


def test_nothing_secret_reaches_the_page_even_from_an_old_entry(client, administrator):
    entry = record_event(Event.REPORT_BUILD)
    LogEntry.objects.filter(pk=entry.pk).update(
        action=LogEntry.Action.UPDATE,
        changes={"password": ["pbkdf2_sha256$old", "pbkdf2_sha256$new"]},
        additional_data={"token": "abc123"},
    )

    response = client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "pbkdf2_sha256" not in page and "abc123" not in page
    assert "••••••" in page
