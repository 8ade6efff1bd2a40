"""A coordinator invites a colleague from the delegation form, and delegates get an e-mail."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user
from django.core import mail
from django.urls import reverse

from actionplan import permissions as reporting
from actionplan.models import Delegation, PendingDelegation
from actionplan.services import delegation_grant, delegation_invite
from actors import services as actors_services
from actors.models import Invitation, Membership, User
from actors.services import membership_grant, membership_revoke
from tests.factories import UserFactory
from tests.personas import build_world

pytestmark = pytest.mark.django_db

LINK = r"(http://\S+/konto/inbjudan/[^/\s]+/)"
PASSWORD = "ett-eget-langt-losenord-2026"
ACCOUNT = {
    "first_name": "Kim",
    "last_name": "Kollega",
    "username": "kim",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


@pytest.fixture
def world():
    return build_world()


def invite_colleague(client, world, callbacks, organisation=None, email="kim@a.example"):
    url = reverse("actionplan:delegation-create", args=[world.other_commitment.pk])
    organisation = organisation or world.other_commitment.lead_organisation
    with callbacks(execute=True):
        return client.post(
            url, {"invite": "1", "invite-organisation": organisation.pk, "invite-email": email}
        )


def test_a_coordinator_invites_a_colleague_who_gets_the_commitment_on_accepting(
    client, world, django_capture_on_commit_callbacks
):
    coordinator = world.users["coordinator_a"]
    client.force_login(coordinator)
    form_page = client.get(
        reverse("actionplan:delegation-create", args=[world.other_commitment.pk])
    )
    assert "Bjud in en kollega med e-post" in form_page.content.decode()

    response = invite_colleague(client, world, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "followup:commitment-detail", args=[world.other_commitment.pk]
    )
    invitation = Invitation.objects.get()
    assert (invitation.organisation.slug, invitation.role) == ("a", "colleague")
    assert invitation.invited_by == coordinator
    [message] = mail.outbox
    assert message.to == ["kim@a.example"]
    assert "med rollen Medarbetare" in message.body
    link = re.search(LINK, message.body).group(1).removeprefix(settings.SITE_URL)

    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link, ACCOUNT)

    assert response["Location"] == reverse("followup:my-tasks")
    kim = User.objects.get(username="kim")
    assert get_user(client) == kim
    membership = Membership.objects.get(user=kim)
    assert (membership.organisation.slug, membership.role) == ("a", "colleague")
    delegation = Delegation.objects.get(membership=membership)
    assert delegation.commitment == world.other_commitment
    assert delegation.granted_by == coordinator
    assert [task.commitment for task in reporting.reporting_tasks(kim)] == [world.other_commitment]
    assert not PendingDelegation.objects.exists()
    # The delegation e-mail follows the invitation, to the new colleague.
    assert [m.to for m in mail.outbox] == [["kim@a.example"], ["kim@a.example"]]
    assert world.other_commitment.code in mail.outbox[1].subject


def test_a_coordinator_cannot_invite_to_another_organisation(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.users["coordinator_a"])
    b = world.b_commitment.lead_organisation

    response = invite_colleague(client, world, django_capture_on_commit_callbacks, organisation=b)

    assert response.status_code == 200
    assert response.context["invite_form"].errors["organisation"] == [
        "Välj en av dina organisationer."
    ]
    assert response.context["invite_form"]["email"].value() == "kim@a.example"
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_coordinator_of_another_organisation_cannot_invite_for_this_commitment(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.users["coordinator_b"])

    response = invite_colleague(client, world, django_capture_on_commit_callbacks)

    assert response.status_code == 403
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    "email,error",
    [
        ("", "Skriv kollegans e-postadress."),
        ("inte en adress", "Skriv en giltig e-postadress"),
        ("DELEGATE@example.org", "Kollegan finns redan i organisationen"),
    ],
)
def test_the_invitation_on_the_delegation_form_answers_in_swedish(
    client, world, email, error, django_capture_on_commit_callbacks
):
    client.force_login(world.users["coordinator_a"])

    response = invite_colleague(client, world, django_capture_on_commit_callbacks, email=email)

    assert response.status_code == 200
    assert error in response.context["invite_form"].errors["email"][0]
    assert not Invitation.objects.exists()


def test_inviting_the_same_colleague_again_adds_the_commitment_to_the_same_invitation(world):
    coordinator = world.users["coordinator_a"]
    a = world.commitment.lead_organisation
    first = delegation_invite(
        commitment=world.other_commitment,
        organisation=a,
        email="kim@a.example",
        invited_by=coordinator,
    )

    second = delegation_invite(
        commitment=world.commitment, organisation=a, email="KIM@a.example", invited_by=coordinator
    )

    assert first == second
    assert set(first.pending_delegations.values_list("commitment", flat=True)) == {
        world.other_commitment.pk,
        world.commitment.pk,
    }


def test_nothing_is_delegated_when_the_inviter_no_longer_coordinates_the_organisation(world):
    coordinator = world.users["coordinator_a"]
    a = world.commitment.lead_organisation
    invitation = delegation_invite(
        commitment=world.other_commitment,
        organisation=a,
        email="kim@a.example",
        invited_by=coordinator,
    )
    membership_revoke(membership=coordinator.memberships.get(organisation=a))

    kim = actors_services.invitation_accept(
        invitation=invitation, username="kim", password=PASSWORD
    )

    assert kim.memberships.get().organisation == a
    assert not Delegation.objects.filter(membership__user=kim).exists()
    assert not PendingDelegation.objects.exists()


# --- The delegate is e-mailed -------------------------------------------------------------------


def test_the_delegate_is_emailed_when_a_coordinator_delegates_a_commitment(
    client, world, django_capture_on_commit_callbacks
):
    colleague = UserFactory(username="kim", email="kim@a.example", first_name="Kim")
    membership_grant(
        user=colleague, organisation=world.commitment.lead_organisation, role="colleague"
    )
    client.force_login(world.users["coordinator_a"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("actionplan:delegation-create", args=[world.other_commitment.pk]),
            {"organisation": world.other_commitment.lead_organisation.pk, "delegate": colleague.pk},
        )

    assert response.status_code == 302
    [message] = mail.outbox
    commitment = world.other_commitment
    assert message.to == ["kim@a.example"]
    assert message.subject == f"Du rapporterar nu om åtagande {commitment.code}"
    assert "Hej Kim!" in message.body
    assert commitment.title in message.body
    report_url = settings.SITE_URL + reverse("followup:report-edit", args=[commitment.pk, "a"])
    assert report_url in message.body
    assert report_url in message.alternatives[0][0]


def test_nobody_is_emailed_for_a_delegation_no_person_made_or_made_again(
    world, django_capture_on_commit_callbacks
):
    delegate_membership = world.delegation.membership
    with django_capture_on_commit_callbacks(execute=True):
        delegation_grant(
            commitment=world.other_commitment, membership=delegate_membership, granted_by=None
        )
        # The same delegation again: nothing new to tell.
        delegation_grant(
            commitment=world.commitment,
            membership=delegate_membership,
            granted_by=world.users["coordinator_a"],
        )

    assert mail.outbox == []


def test_a_delegation_that_ended_before_the_e_mail_went_sends_nothing(world):
    from actionplan import services

    pk = world.delegation.pk
    services.delegation_revoke(delegation=world.delegation)

    assert services.delegation_notify(delegation_id=pk) is False
    assert mail.outbox == []


def test_actionplan_registers_its_invitation_hook_once():
    from actionplan.services import pending_delegations_fulfil

    assert actors_services.invitation_accepted_hooks.count(pending_delegations_fulfil) == 1
