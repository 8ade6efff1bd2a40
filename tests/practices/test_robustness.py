"""Nothing sent to the library's pages produces a server error."""

import pytest
from django.urls import reverse

from actors.models import Membership
from actors.services import membership_grant
from practices.models import Practice
from tests.factories import OrganisationFactory, PracticeFactory, UserFactory
from tests.test_robustness import JUNK

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("junk", JUNK)
@pytest.mark.parametrize(
    "parameter",
    ["q", "goal", "violence_area", "municipality", "target_group", "evidence_level", "page"],
)
def test_the_library_answers_junk_filters_without_a_server_error(client, parameter, junk):
    response = client.get(reverse("practices:practice-list"), {parameter: junk})

    assert response.status_code in (200, 400, 404)


@pytest.mark.parametrize("junk", JUNK)
@pytest.mark.parametrize(
    "field",
    [
        "proposing_organisation",
        "organisations",
        "municipalities",
        "goals",
        "violence_areas",
        "commitments",
        "target_group",
        "evidence_level",
        "contact_email",
        "summary",
    ],
)
def test_the_proposal_form_answers_junk_without_a_server_error(client, field, junk):
    coordinator = UserFactory()
    membership_grant(
        user=coordinator, organisation=OrganisationFactory(), role=Membership.Role.COORDINATOR
    )
    client.force_login(coordinator)

    response = client.post(reverse("practices:practice-create"), {"title": "T", field: junk})

    assert response.status_code == 200
    assert not Practice.objects.filter(title="T").exists()


@pytest.mark.parametrize("junk", ["-1", "' OR 1=1 --", "ä" * 300, "%00"])
def test_junk_addresses_answer_404(client, junk):
    PracticeFactory(state=Practice.State.APPROVED)
    response = client.get(f"/goda-exempel/{junk}/")

    assert response.status_code == 404
