"""The administration's page of one organisation: people, commitments and reporting record."""

import pytest
from django.urls import reverse

from actors.services import membership_grant, organisation_set_active
from followup.models import ReportState
from followup.overview import organisation_record
from tests.factories import (
    CommitmentFactory,
    OrganisationFactory,
    ProgressReportFactory,
    ReportingPeriodFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(client):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def organisation():
    """Over 2025–2026 it leads three commitments (one in 2026 only, one never reported on) and
    takes part in one; a fourth it led ended in 2022."""
    organisation = OrganisationFactory(name="Kvarnby kommun", short_name="Kvarnby")
    other = OrganisationFactory()
    led = CommitmentFactory(lead_organisation=organisation, start_year=2025, end_year=2026)
    led_2026 = CommitmentFactory(lead_organisation=organisation, start_year=2026, end_year=2026)
    joint = CommitmentFactory(
        lead_organisation=other,
        participating_organisations=[organisation],
        start_year=2025,
        end_year=2026,
    )
    CommitmentFactory(lead_organisation=organisation, start_year=2020, end_year=2022)
    CommitmentFactory(lead_organisation=organisation, start_year=2025, end_year=2026)
    period_2025 = ReportingPeriodFactory(year=2025)
    period_2026 = ReportingPeriodFactory(year=2026)
    for commitment, period, state in [
        (led, period_2025, ReportState.APPROVED),
        (joint, period_2025, ReportState.SUBMITTED),
        (led, period_2026, ReportState.SUBMITTED),
        (joint, period_2026, ReportState.DRAFT),
    ]:
        ProgressReportFactory(
            commitment=commitment, organisation=organisation, period=period, state=state
        )
    # The lead's report on the joint commitment is not this organisation's.
    ProgressReportFactory(
        commitment=joint, organisation=other, period=period_2026, state=ReportState.SUBMITTED
    )
    organisation.led_2026 = led_2026
    return organisation


def test_the_record_counts_what_each_period_owed_and_got(organisation):
    # 2026: four in scope, one sent in (the joint one is a draft); 2025: three, one approved.
    rows = {row.period.year: row for row in organisation_record(organisation)}

    assert [year for year in rows] == [2026, 2025]
    assert (rows[2026].owed, rows[2026].reported, rows[2026].approved, rows[2026].missing) == (
        4,
        1,
        0,
        3,
    )
    assert (rows[2025].owed, rows[2025].reported, rows[2025].approved, rows[2025].missing) == (
        3,
        2,
        1,
        1,
    )


def test_a_cancelled_commitment_is_owed_by_nobody(organisation):
    commitment = organisation.led_2026
    commitment.state = commitment.State.CANCELLED
    commitment.save()

    rows = {row.period.year: row for row in organisation_record(organisation)}

    assert rows[2026].owed == 3


def test_the_page_shows_people_commitments_and_record(administrator, organisation):
    coordinator = UserFactory(first_name="Sara", last_name="Samordnare")
    membership_grant(
        user=coordinator, organisation=organisation, role="coordinator", is_contact_person=True
    )

    response = administrator.get(reverse("followup:organisation-detail", args=[organisation.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Sara Samordnare" in page
    assert reverse("actors:person-detail", args=[coordinator.pk]) in page
    assert response.context["commitments"] == {"leads": 4, "participates": 1}
    assert f"{reverse('actionplan:commitment-list')}?organisation={organisation.pk}" in page
    assert "Uppföljning 2026" in page


def test_the_commitment_list_link_leads_to_the_organisation_s_commitments(
    administrator, organisation
):
    response = administrator.get(
        reverse("actionplan:commitment-list"), {"organisation": organisation.pk}
    )

    assert response.status_code == 200
    assert response.context["paginator"].count == 5


def test_an_inactive_organisation_keeps_its_record_and_says_it_is_inactive(
    administrator, organisation
):
    organisation_set_active(organisation=organisation, is_active=False)

    response = administrator.get(reverse("followup:organisation-detail", args=[organisation.pk]))

    page = response.content.decode()
    assert "Organisationen är inaktiv" in page
    assert reverse("actors:organisation-reactivate", args=[organisation.pk]) in page
    rows = {row.period.year: row for row in response.context["record"]}
    assert rows[2025].approved == 1


@pytest.mark.parametrize("size", [1, 60])
def test_the_page_runs_a_constant_number_of_queries(
    administrator, organisation, django_assert_num_queries, size
):
    for _number in range(size):
        membership_grant(user=UserFactory(), organisation=organisation, role="colleague")

    with django_assert_num_queries(8):
        response = administrator.get(
            reverse("followup:organisation-detail", args=[organisation.pk])
        )

    assert response.status_code == 200


@pytest.mark.parametrize("page", ["", "abc", "-1", "99999999999999999999", "\x00"])
def test_the_people_pages_answer_junk_without_a_server_error(administrator, organisation, page):
    response = administrator.get(
        reverse("followup:organisation-detail", args=[organisation.pk]), {"personer": page}
    )

    assert response.status_code == 200
