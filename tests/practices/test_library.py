"""The good-practice library: what is public, who proposes and reviews, and the search."""

import pytest
from django.core import mail
from django.urls import reverse

from actionplan.models import ViolenceArea
from actors.models import Membership, Organisation
from actors.services import membership_grant
from practices import services
from practices.models import Practice
from tests.factories import (
    CommitmentFactory,
    OrganisationFactory,
    PracticeFactory,
    UserFactory,
    shipped_goal,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Myndighet A", short_name="A", slug="a")


@pytest.fixture
def coordinator(organisation):
    user = UserFactory(username="samordnare-a")
    membership_grant(user=user, organisation=organisation, role=Membership.Role.COORDINATOR)
    return user


@pytest.fixture
def other_coordinator():
    user = UserFactory(username="samordnare-b")
    membership_grant(
        user=user, organisation=OrganisationFactory(), role=Membership.Role.COORDINATOR
    )
    return user


@pytest.fixture
def county_staff():
    user = UserFactory(username="kansli")
    membership_grant(
        user=user, organisation=OrganisationFactory(), role=Membership.Role.COUNTY_STAFF
    )
    return user


def form_data(organisation=None, **changes):
    data = {
        "title": "Samtalsgrupper för unga",
        "summary": "Unga samtalar om våld och gränser.",
        "target_group": Practice.TargetGroup.YOUNG_PEOPLE,
        "what_is_done": "Samtal i grupp varje vecka.",
        "organisation_of_work": "Skolan och fritidsgården samarbetar.",
        "evidence_level": Practice.EvidenceLevel.FOLLOWED_UP,
        "goals": [shipped_goal(1).pk],
        "violence_areas": [ViolenceArea.objects.first().pk],
    }
    if organisation is not None:
        data["proposing_organisation"] = organisation.pk
    return data | changes


# The shipped examples


def test_mvp_and_taget_ship_as_approved_examples_from_botkyrka():
    examples = Practice.objects.filter(is_example=True).order_by("slug")

    assert [practice.slug for practice in examples] == [
        "mentors-in-violence-prevention-mvp",
        "taget",
    ]
    botkyrka = Organisation.objects.get(municipality_code="0127")
    for practice in examples:
        assert practice.is_public
        assert practice.proposing_organisation == botkyrka
        assert list(practice.municipalities.all()) == [botkyrka]
        assert practice.evidence_level == Practice.EvidenceLevel.DESCRIBED
        assert not practice.has_contact  # no person named: the contact is the organisation


def test_the_examples_are_marked_as_examples_on_their_page(client):
    response = client.get(reverse("practices:practice-detail", args=["taget"]))

    assert response.status_code == 200
    assert "Exempel" in response.content.decode()
    assert "Kontakta Botkyrka kommun." in response.content.decode()


# The state machine


def test_a_draft_goes_through_proposal_to_publication(coordinator, county_staff, organisation):
    practice = PracticeFactory(proposing_organisation=organisation)
    assert practice.state == Practice.State.DRAFT

    practice = services.practice_propose(practice=practice, user=coordinator)
    assert practice.state == Practice.State.PROPOSED
    assert practice.proposed_by == coordinator and practice.proposed_at

    practice = services.practice_approve(practice=practice, user=county_staff)
    assert practice.state == Practice.State.APPROVED
    assert practice.approved_by == county_staff and practice.approved_at
    reasons = practice.history.exclude(history_change_reason=None).order_by("history_date")
    assert list(reasons.values_list("history_change_reason", flat=True)) == [
        "propose",
        "approve",
    ]


def test_only_proposals_are_approved_or_returned(county_staff):
    draft = PracticeFactory()
    approved = PracticeFactory(state=Practice.State.APPROVED)

    with pytest.raises(services.PracticeError):
        services.practice_approve(practice=draft, user=county_staff)
    with pytest.raises(services.PracticeError):
        services.practice_return(practice=approved, user=county_staff, comment="Nej")
    with pytest.raises(services.PracticeError):
        services.practice_propose(practice=approved, user=county_staff)


def test_a_return_needs_a_comment(county_staff):
    practice = PracticeFactory(state=Practice.State.PROPOSED)

    with pytest.raises(services.PracticeError):
        services.practice_return(practice=practice, user=county_staff, comment="  ")

    practice.refresh_from_db()
    assert practice.state == Practice.State.PROPOSED


def test_the_address_follows_the_title_until_publication_and_is_frozen_after(county_staff):
    practice = PracticeFactory(title="Första namnet")
    assert practice.slug == "forsta-namnet"

    practice = services.practice_update(practice=practice, title="Andra namnet")
    assert practice.slug == "andra-namnet"

    practice = services.practice_propose(practice=practice, user=None)
    practice = services.practice_approve(practice=practice, user=county_staff)
    practice = services.practice_update(practice=practice, title="Tredje namnet")
    assert practice.slug == "andra-namnet"


def test_two_entries_with_one_title_get_two_addresses():
    first = PracticeFactory(title="Samma")
    second = PracticeFactory(title="Samma")

    assert {first.slug, second.slug} == {"samma", "samma-2"}


def test_a_winning_nomination_becomes_a_proposal_in_one_step(county_staff, organisation):
    practice = services.practice_create_from(
        proposing_organisation=organisation,
        created_by=county_staff,
        title="Vinnande arbetssätt",
        summary="Kort om det.",
        what_is_done="Det som görs.",
        goals=[shipped_goal(1)],
    )

    assert practice.state == Practice.State.PROPOSED
    assert list(practice.organisations.all()) == [organisation]
    assert not Practice.objects.public().filter(pk=practice.pk).exists()


# Drafts and proposals are never public


@pytest.mark.parametrize(
    "state", [Practice.State.DRAFT, Practice.State.PROPOSED, Practice.State.RETURNED]
)
def test_unpublished_entries_are_not_in_the_library_for_anyone_else(
    client, other_coordinator, state
):
    practice = PracticeFactory(title="Hemligt arbetssätt", state=state)
    list_url = reverse("practices:practice-list")
    detail_url = reverse("practices:practice-detail", args=[practice.slug])

    for user in (None, other_coordinator):
        if user:
            client.force_login(user)
        assert "Hemligt arbetssätt" not in client.get(list_url).content.decode()
        found = client.get(list_url, {"q": "Hemligt"})
        assert found.context["paginator"].count == 0
        assert "Hemligt arbetssätt" not in found.content.decode()
        assert client.get(detail_url).status_code == 404


def test_unpublished_entries_are_not_in_the_library_list_even_for_their_authors(
    client, coordinator, organisation
):
    PracticeFactory(title="Mitt utkast", proposing_organisation=organisation)
    client.force_login(coordinator)

    assert "Mitt utkast" not in client.get(reverse("practices:practice-list")).content.decode()


def test_the_proposer_and_county_staff_read_a_draft(
    client, coordinator, county_staff, organisation
):
    practice = PracticeFactory(proposing_organisation=organisation)
    url = reverse("practices:practice-detail", args=[practice.slug])

    for user in (coordinator, county_staff):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert "Inte publicerat" in response.content.decode()


def test_an_approved_entry_is_public(client):
    practice = PracticeFactory(title="Öppet arbetssätt", state=Practice.State.APPROVED)

    assert "Öppet arbetssätt" in client.get(reverse("practices:practice-list")).content.decode()
    assert client.get(practice.get_absolute_url()).status_code == 200


def test_a_coordinator_sees_only_their_organisations_proposals(
    client, coordinator, other_coordinator, organisation
):
    PracticeFactory(title="Vårt förslag", proposing_organisation=organisation)
    client.force_login(other_coordinator)

    response = client.get(reverse("practices:proposal-list"))

    assert response.status_code == 200
    assert "Vårt förslag" not in response.content.decode()
    client.force_login(coordinator)
    assert "Vårt förslag" in client.get(reverse("practices:proposal-list")).content.decode()


# Proposing


def test_a_coordinator_proposes_an_entry_for_their_organisation(client, coordinator, organisation):
    client.force_login(coordinator)

    response = client.post(reverse("practices:practice-create"), form_data(organisation))

    practice = Practice.objects.get(title="Samtalsgrupper för unga")
    assert response.status_code == 302
    assert response["Location"] == practice.get_absolute_url()
    assert practice.state == Practice.State.DRAFT
    assert practice.proposing_organisation == organisation
    assert list(practice.organisations.all()) == [organisation]
    assert practice.created_by == coordinator


def test_a_coordinator_cannot_propose_for_another_organisation(client, coordinator):
    other = OrganisationFactory()
    client.force_login(coordinator)

    response = client.post(reverse("practices:practice-create"), form_data(other))

    assert response.status_code == 200
    assert "Välj en av dina organisationer i listan." in response.content.decode()
    assert not Practice.objects.filter(proposing_organisation=other).exists()


def test_a_person_who_coordinates_nothing_may_not_propose(client):
    colleague = UserFactory()
    membership_grant(
        user=colleague, organisation=OrganisationFactory(), role=Membership.Role.COLLEAGUE
    )
    client.force_login(colleague)

    assert client.get(reverse("practices:practice-create")).status_code == 403


def test_the_form_says_what_is_wrong_and_keeps_what_was_typed(client, coordinator, organisation):
    client.force_login(coordinator)

    response = client.post(
        reverse("practices:practice-create"),
        form_data(organisation, goals=[], contact_name="Anna Andersson"),
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Välj minst ett mål." in content
    assert "Kryssa i att kontakten har gått med på att visas" in content
    assert "Samtalsgrupper för unga" in content
    assert "Anna Andersson" in content
    assert not Practice.objects.filter(title="Samtalsgrupper för unga").exists()


def test_junk_in_the_form_is_an_error_not_a_crash(client, coordinator, organisation):
    client.force_login(coordinator)

    response = client.post(
        reverse("practices:practice-create"),
        form_data(organisation, goals=["x"], evidence_level="9", commitments=["-1"]),
    )

    assert response.status_code == 200
    assert not Practice.objects.filter(title="Samtalsgrupper för unga").exists()


def test_the_proposer_edits_and_submits_a_draft_but_not_a_proposal(
    client, coordinator, organisation
):
    practice = PracticeFactory(proposing_organisation=organisation)
    client.force_login(coordinator)
    commitment = CommitmentFactory()

    response = client.post(
        reverse("practices:practice-update", args=[practice.slug]),
        form_data(title="Nytt namn", commitments=[commitment.pk]),
    )
    practice.refresh_from_db()
    assert response.status_code == 302
    assert practice.title == "Nytt namn"
    assert list(practice.commitments.all()) == [commitment]

    client.post(reverse("practices:practice-propose", args=[practice.slug]))
    practice.refresh_from_db()
    assert practice.state == Practice.State.PROPOSED

    response = client.post(
        reverse("practices:practice-update", args=[practice.slug]), form_data(title="Igen")
    )
    assert response.status_code == 403
    practice.refresh_from_db()
    assert practice.title == "Nytt namn"


# Reviewing


def test_county_staff_approve_a_proposal(client, county_staff):
    practice = PracticeFactory(state=Practice.State.PROPOSED)
    client.force_login(county_staff)

    response = client.post(reverse("practices:practice-approve", args=[practice.slug]))

    practice.refresh_from_db()
    assert response.status_code == 302
    assert practice.state == Practice.State.APPROVED
    assert practice.approved_by == county_staff


def test_county_staff_return_a_proposal_and_the_proposer_hears_of_it(
    client, county_staff, coordinator, organisation, django_capture_on_commit_callbacks
):
    practice = PracticeFactory(proposing_organisation=organisation)
    services.practice_propose(practice=practice, user=coordinator)
    client.force_login(county_staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("practices:practice-return", args=[practice.slug]),
            {"comment": "Beskriv vad det kostar."},
        )

    practice.refresh_from_db()
    assert response.status_code == 302
    assert practice.state == Practice.State.RETURNED
    assert practice.return_comment == "Beskriv vad det kostar."
    assert [message.to for message in mail.outbox] == [[coordinator.email]]
    assert "Beskriv vad det kostar." in mail.outbox[0].body
    assert practice.get_absolute_url() in mail.outbox[0].body


def test_a_return_without_a_comment_says_so(client, county_staff):
    practice = PracticeFactory(state=Practice.State.PROPOSED)
    client.force_login(county_staff)

    response = client.post(reverse("practices:practice-return", args=[practice.slug]), {})

    practice.refresh_from_db()
    assert response.status_code == 200
    assert "Skriv vad organisationen behöver ändra." in response.content.decode()
    assert practice.state == Practice.State.PROPOSED


def test_coordinators_may_not_approve_even_their_own(client, coordinator, organisation):
    practice = PracticeFactory(proposing_organisation=organisation, state=Practice.State.PROPOSED)
    client.force_login(coordinator)

    response = client.post(reverse("practices:practice-approve", args=[practice.slug]))

    practice.refresh_from_db()
    assert response.status_code == 403
    assert practice.state == Practice.State.PROPOSED


def test_county_staff_do_not_review_what_their_own_organisation_proposed(client, organisation):
    reviewer = UserFactory()
    membership_grant(
        user=reviewer, organisation=OrganisationFactory(), role=Membership.Role.COUNTY_STAFF
    )
    membership_grant(user=reviewer, organisation=organisation, role=Membership.Role.COORDINATOR)
    practice = PracticeFactory(proposing_organisation=organisation, state=Practice.State.PROPOSED)
    client.force_login(reviewer)

    response = client.post(reverse("practices:practice-approve", args=[practice.slug]))

    assert response.status_code == 403


def test_the_review_list_shows_proposals_waiting_first(client, county_staff):
    PracticeFactory(title="Ett utkast")
    PracticeFactory(title="Ett förslag", state=Practice.State.PROPOSED)
    PracticeFactory(title="Ett publicerat", state=Practice.State.APPROVED)
    client.force_login(county_staff)

    content = client.get(reverse("practices:proposal-list")).content.decode()

    assert content.index("Ett förslag") < content.index("Ett utkast")
    assert "Ett publicerat" not in content


# The public search


def test_the_library_filters_by_goal_area_municipality_target_group_and_evidence(client):
    huddinge = Organisation.objects.get(municipality_code="0126")
    areas = list(ViolenceArea.objects.all())
    match = PracticeFactory(
        title="Det sökta",
        state=Practice.State.APPROVED,
        goals=[shipped_goal(3)],
        violence_areas=[areas[2]],
        municipalities=[huddinge],
        target_group=Practice.TargetGroup.PROFESSIONALS,
        evidence_level=Practice.EvidenceLevel.EVALUATED,
    )
    PracticeFactory(title="Ett annat", state=Practice.State.APPROVED)
    url = reverse("practices:practice-list")

    for query in (
        {"goal": shipped_goal(3).pk},
        {"violence_area": areas[2].pk},
        {"municipality": huddinge.pk},
        {"target_group": Practice.TargetGroup.PROFESSIONALS},
        {"evidence_level": Practice.EvidenceLevel.FOLLOWED_UP},  # at least that level
        {"q": "sökta"},
    ):
        response = client.get(url, query)
        assert list(response.context["object_list"]) == [match], query


@pytest.mark.parametrize(
    "query", [{"goal": "x"}, {"evidence_level": "99"}, {"municipality": "-1"}, {"page": "zz"}]
)
def test_bad_filters_are_no_crash(client, query):
    response = client.get(reverse("practices:practice-list"), query)

    assert response.status_code in (200, 404)


def test_unknown_addresses_answer_404(client):
    assert client.get(reverse("practices:practice-detail", args=["finns-inte"])).status_code == 404


# Links to commitments


def test_a_commitment_shows_the_published_methods_it_builds_on(client):
    commitment = CommitmentFactory()
    PracticeFactory(
        title="Publicerad metod", state=Practice.State.APPROVED, commitments=[commitment]
    )
    PracticeFactory(title="Opublicerad metod", commitments=[commitment])

    content = client.get(reverse("followup:commitment-detail", args=[commitment.pk])).content
    content = content.decode()

    assert "Publicerad metod" in content
    assert "Opublicerad metod" not in content


def test_no_mail_when_the_proposer_has_left(county_staff, coordinator, organisation):
    practice = PracticeFactory(proposing_organisation=organisation)
    services.practice_propose(practice=practice, user=coordinator)
    services.practice_return(practice=practice, user=county_staff, comment="Komplettera.")
    mail.outbox.clear()
    coordinator.is_active = False
    coordinator.save()

    assert not services.practice_return_notify(practice_id=practice.pk, returned_by="Kansli")
    assert mail.outbox == []
