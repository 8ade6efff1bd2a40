"""County staff open, follow and lock reporting periods."""

import pytest
from django.urls import reverse

from actors.services import membership_revoke, organisation_set_active
from followup import services
from followup.models import Reminder, ReportingPeriod
from tests.personas import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client):
    world = build_world()
    client.force_login(world.users["county_staff"])
    return world


def test_county_staff_open_a_period(client, world):
    response = client.post(
        reverse("followup:period-list"),
        {"year": 2030, "opens_on": "2031-01-15", "due_on": "2031-03-31", "closes_on": "2031-04-30"},
    )

    assert response.status_code == 302
    assert ReportingPeriod.objects.get(year=2030).due_on.isoformat() == "2031-03-31"


@pytest.mark.parametrize(
    "dates,field,message",
    [
        (
            {"opens_on": "2031-04-01"},
            "due_on",
            "Sista dagen kan inte komma före öppningsdagen.",
        ),
        ({"closes_on": "2031-03-01"}, "closes_on", "Perioden kan inte stänga före sista dagen."),
        ({"due_on": "31/3"}, "due_on", "Ange ett datum som ÅÅÅÅ-MM-DD"),
    ],
)
def test_dates_out_of_order_are_explained_next_to_the_field(client, world, dates, field, message):
    data = {
        "year": 2030,
        "opens_on": "2031-01-15",
        "due_on": "2031-03-31",
        "closes_on": "2031-04-30",
    }

    response = client.post(reverse("followup:period-list"), data | dates)

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert 'value="2030"' in response.content.decode()  # what was typed is kept
    assert not ReportingPeriod.objects.filter(year=2030).exists()


def test_a_second_period_for_the_same_year_is_refused_clearly(client, world):
    response = client.post(
        reverse("followup:period-list"),
        {
            "year": world.period.year,
            "opens_on": "2031-01-15",
            "due_on": "2031-03-31",
            "closes_on": "2031-04-30",
        },
    )

    assert "Det finns redan en rapporteringsperiod för det året." in response.content.decode()


def test_the_overview_shows_the_headline_the_matrix_and_who_is_late(client, world):
    response = client.get(reverse("followup:period-overview", args=[world.period.year]))

    overview = response.context["overview"]
    # A: one submitted, one draft; B: one submitted.
    assert (overview.reported, overview.expected, overview.share) == (2, 3, 67)
    assert [row.slug for row in overview.late] == ["a"]
    late_a = overview.late[0]
    assert late_a.cells[0] == 1  # the draft's commitment serves goal 1
    assert "2 av 3 rapporter inskickade (67 %)" in response.content.decode()


def test_locking_a_period_ends_all_changes(client, world):
    client.post(reverse("followup:period-lock", args=[world.period.year]))

    world.period.refresh_from_db()
    assert world.period.is_locked
    client.force_login(world.users["coordinator_a"])
    url = reverse("followup:report-edit", args=[world.other_commitment.pk, "a"])
    assert client.post(url, {"version": 1}).status_code == 403


def test_a_period_that_overlaps_another_is_refused(client, world):
    response = client.post(
        reverse("followup:period-list"),
        {
            "year": 2031,
            "opens_on": world.period.closes_on.isoformat(),
            "due_on": "2099-03-31",
            "closes_on": "2099-04-30",
        },
    )

    assert response.status_code == 200
    assert "Perioden överlappar" in str(response.context["form"].errors["opens_on"])


def test_the_service_refuses_an_overlapping_period_with_a_message(world):
    with pytest.raises(services.FollowUpError, match="överlappar"):
        services.reporting_period_open(
            year=2031,
            opens_on=world.period.closes_on,
            due_on=world.period.closes_on,
            closes_on=world.period.closes_on,
        )
    assert not ReportingPeriod.objects.filter(year=2031).exists()


def test_an_inactive_organisation_leaves_the_coverage_and_is_not_reminded(client, world):
    a = world.commitment.lead_organisation
    organisation_set_active(organisation=a, is_active=False)

    overview = client.get(reverse("followup:period-overview", args=[world.period.year]))
    reminded = client.post(
        reverse("followup:remind-now", args=[world.period.year, "a"]), follow=True
    )

    # Only B is left: one report owed, one sent in.
    assert (overview.context["overview"].reported, overview.context["overview"].expected) == (1, 1)
    assert overview.context["overview"].late == []
    assert "A är inaktiv och påminns inte." in reminded.content.decode()
    assert not Reminder.objects.exists()


def test_reminding_an_organisation_with_nobody_to_remind_says_so(client, world):
    membership_revoke(membership=world.users["coordinator_a"].memberships.get())
    membership_revoke(membership=world.users["delegate"].memberships.get())

    reminded = client.post(
        reverse("followup:remind-now", args=[world.period.year, "a"]), follow=True
    )

    assert "Ingen på A kunde påminnas" in reminded.content.decode()
    assert "Påminnelse skickad" not in reminded.content.decode()
