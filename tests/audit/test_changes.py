"""Every change of access or of the plans is recorded once, with who, when and from where."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import override_settings
from django.urls import reverse

from actionplan.services import (
    commitment_responsibility_set,
    commitments_access_sync,
    delegation_grant,
    delegation_revoke,
)
from actors.models import Invitation, Membership, Organisation, User
from actors.services import (
    invitation_create,
    invitation_revoke,
    membership_grant,
    membership_revoke,
    organisation_set_active,
)
from followup.services import reporting_period_lock
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    MembershipFactory,
    OrganisationFactory,
    ReportingPeriodFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def changes_of(obj_or_model, **filters):
    """The change entries (not events) about one object, or about any object of a model."""
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        action__in=[LogEntry.Action.CREATE, LogEntry.Action.UPDATE, LogEntry.Action.DELETE],
        **filters,
    )
    if not isinstance(obj_or_model, type):
        entries = entries.filter(object_pk=str(obj_or_model.pk))
    return list(entries.order_by("pk"))


def test_granting_a_membership_is_recorded_once_and_granting_it_again_not_at_all():
    user, organisation = UserFactory(), OrganisationFactory()

    membership = membership_grant(user=user, organisation=organisation, role="coordinator")
    membership_grant(user=user, organisation=organisation, role="coordinator")

    [entry] = changes_of(membership)
    assert entry.action == LogEntry.Action.CREATE
    assert entry.changes["role"] == ["None", "coordinator"]
    assert entry.actor is None  # a service called outside a request: the system


def test_changing_a_role_records_the_old_and_the_new_role_once():
    membership = membership_grant(
        user=UserFactory(), organisation=OrganisationFactory(), role="colleague"
    )

    membership_grant(user=membership.user, organisation=membership.organisation, role="coordinator")

    [_created, changed] = changes_of(membership)
    assert changed.action == LogEntry.Action.UPDATE
    assert changed.changes == {"role": ["colleague", "coordinator"]}


def test_revoking_a_membership_records_it_and_the_delegations_that_end_with_it():
    commitment = CommitmentFactory()
    colleague = MembershipFactory(organisation=commitment.lead_organisation, role="colleague")
    delegation = delegation_grant(
        commitment=commitment, membership=colleague, granted_by=colleague.user
    )
    pk, delegation_pk = colleague.pk, delegation.pk

    membership_revoke(membership=colleague)

    deleted = LogEntry.objects.filter(action=LogEntry.Action.DELETE)
    assert deleted.filter(content_type__model="membership", object_pk=str(pk)).count() == 1
    assert (
        deleted.filter(content_type__model="delegation", object_pk=str(delegation_pk)).count() == 1
    )


def test_deactivating_an_organisation_is_recorded_once():
    organisation = OrganisationFactory()

    organisation_set_active(organisation=organisation, is_active=False)
    organisation_set_active(organisation=organisation, is_active=False)

    [_created, changed] = changes_of(organisation)
    assert changed.changes == {"is_active": ["True", "False"]}


def test_deactivating_an_organisation_in_the_admin_is_recorded_once_with_the_administrator(
    client,
):
    administrator = UserFactory(is_staff=True, is_superuser=True)
    organisation = OrganisationFactory()
    client.force_login(administrator)

    response = client.post(
        reverse("admin:actors_organisation_changelist"),
        {"action": "deactivate", "_selected_action": [organisation.pk]},
        REMOTE_ADDR="192.0.2.7",
    )

    assert response.status_code == 302
    [_created, changed] = changes_of(organisation)
    assert changed.changes == {"is_active": ["True", "False"]}
    assert changed.actor == administrator
    assert changed.remote_addr == "192.0.2.7"


def test_a_plan_change_is_recorded_with_its_fields():
    plan = ActionPlanFactory(title="Plan före")
    plan.title = "Plan efter"
    plan.save()

    [_created, changed] = changes_of(plan)
    assert changed.changes == {"title": ["Plan före", "Plan efter"]}


def test_a_commitment_change_records_the_fields_and_not_the_time_stamps():
    commitment = CommitmentFactory(title="Före")
    commitment.title = "Efter"
    commitment.save()

    [changed] = changes_of(commitment, action=LogEntry.Action.UPDATE)
    assert changed.changes == {"title": ["Före", "Efter"]}


def test_creating_a_commitment_with_participants_is_one_entry():
    lead, partner = OrganisationFactory(), OrganisationFactory(name="Partnern")

    commitment = CommitmentFactory(lead_organisation=lead, participating_organisations=[partner])

    [created] = changes_of(commitment)
    assert created.action == LogEntry.Action.CREATE
    assert created.changes["lead_organisation"] == ["None", lead.name]
    assert created.changes["participating_organisations"] == {
        "type": "m2m",
        "added": ["Partnern"],
        "removed": [],
    }


def test_changing_who_carries_a_commitment_is_one_entry():
    first, second, third = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    commitment = CommitmentFactory(lead_organisation=first, participating_organisations=[second])
    before = LogEntry.objects.count()

    commitment_responsibility_set(
        commitment=commitment, lead_organisation=second, participating_organisations=[third]
    )

    assert LogEntry.objects.count() == before + 1
    changed = changes_of(commitment)[-1]
    assert changed.changes == {
        "lead_organisation": [first.name, second.name],
        "participating_organisations": {
            "type": "m2m",
            "added": [third.name],
            "removed": [second.name],
        },
    }


def test_changing_only_the_participants_twice_makes_one_entry_each_time():
    first, second, third = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    commitment = CommitmentFactory(lead_organisation=first, participating_organisations=[second])

    for participants in ([third], [second]):
        commitment_responsibility_set(
            commitment=commitment, lead_organisation=first, participating_organisations=participants
        )

    created, *changed = changes_of(commitment)
    assert [entry.changes["participating_organisations"] for entry in changed] == [
        {"type": "m2m", "added": [third.name], "removed": [second.name]},
        {"type": "m2m", "added": [second.name], "removed": [third.name]},
    ]
    assert created.changes["participating_organisations"]["added"] == [second.name]


def test_clearing_the_participants_names_those_who_left():
    partner = OrganisationFactory(name="Partnern")
    commitment = CommitmentFactory(participating_organisations=[partner])

    commitment.participating_organisations.clear()
    commitments_access_sync(commitments=[commitment])  # as the admin does after its save

    [_created, changed] = changes_of(commitment)
    assert changed.changes == {
        "participating_organisations": {"type": "m2m", "added": [], "removed": ["Partnern"]}
    }


def test_a_delegation_and_its_end_are_recorded_once_each():
    commitment = CommitmentFactory()
    colleague = MembershipFactory(organisation=commitment.lead_organisation, role="colleague")

    delegation = delegation_grant(
        commitment=commitment, membership=colleague, granted_by=colleague.user
    )
    delegation_grant(commitment=commitment, membership=colleague, granted_by=colleague.user)
    pk = delegation.pk
    delegation_revoke(delegation=delegation)

    entries = LogEntry.objects.filter(content_type__model="delegation", object_pk=str(pk))
    assert sorted(entries.values_list("action", flat=True)) == [
        LogEntry.Action.CREATE,
        LogEntry.Action.DELETE,
    ]


def test_locking_a_period_is_recorded_once():
    period = ReportingPeriodFactory(year=2031)

    reporting_period_lock(period=period)
    reporting_period_lock(period=period)

    [_created, locked] = changes_of(period)
    assert list(locked.changes) == ["locked_at"]
    assert locked.changes["locked_at"][0] == "None"


def test_only_the_role_fields_of_a_person_are_recorded():
    user = UserFactory(first_name="Anna")

    user.first_name = "Berit"
    user.set_password("ett-helt-nytt-losenord")
    user.save()
    user.is_staff = True
    user.save()

    [created, changed] = changes_of(user)
    assert set(created.changes) == {"is_active", "is_staff", "is_superuser"}
    assert changed.changes == {"is_staff": ["False", "True"]}


def test_a_change_through_a_request_names_the_person_the_address_and_the_request_id(client):
    administrator = UserFactory(is_staff=True, is_superuser=True)
    membership = MembershipFactory()
    client.force_login(administrator)

    with override_settings(RATELIMIT_IP_META_KEY="HTTP_X_REAL_IP"):
        client.post(
            reverse("admin:actors_membership_change", args=[membership.pk]),
            {
                "user": membership.user_id,
                "organisation": membership.organisation_id,
                "role": Membership.Role.COUNTY_STAFF,
            },
            headers={
                "X-Real-IP": "198.51.100.4",
                "X-Forwarded-For": "203.0.113.66",  # what a client writes itself: never trusted
                "X-Request-ID": "4f1c2a9be0d34c51a7d8e6f5b4c3a291",
            },
        )

    [changed] = changes_of(membership, action=LogEntry.Action.UPDATE)
    assert changed.changes == {"role": ["coordinator", "county_staff"]}
    assert changed.actor == administrator
    assert changed.remote_addr == "198.51.100.4"
    assert changed.cid == "4f1c2a9be0d34c51a7d8e6f5b4c3a291"


def test_organisations_and_users_that_are_not_changed_make_no_entries():
    organisation = OrganisationFactory()
    user = UserFactory()
    before = LogEntry.objects.count()

    Organisation.objects.get(pk=organisation.pk).save()
    User.objects.get(pk=user.pk).save()

    assert LogEntry.objects.count() == before


def test_one_save_of_a_commitment_in_the_admin_is_one_entry_with_its_participants(client):
    administrator = UserFactory(is_staff=True, is_superuser=True)
    lead, old_partner, new_partner = (
        OrganisationFactory(),
        OrganisationFactory(name="Gamla partnern"),
        OrganisationFactory(name="Nya partnern"),
    )
    commitment = CommitmentFactory(
        title="Före", lead_organisation=lead, participating_organisations=[old_partner]
    )
    client.force_login(administrator)
    before = LogEntry.objects.count()

    response = client.post(
        reverse("admin:actionplan_commitment_change", args=[commitment.pk]),
        {
            "plan": commitment.plan_id,
            "code": commitment.code,
            "title": "Efter",
            "description": commitment.description,
            "goals": [goal.pk for goal in commitment.goals.all()],
            "lead_organisation": lead.pk,
            "participating_organisations": [new_partner.pk],
            "start_year": commitment.start_year,
            "end_year": commitment.end_year,
            "state": commitment.state,
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert LogEntry.objects.count() == before + 1
    changed = changes_of(commitment)[-1]
    assert changed.actor == administrator
    assert changed.changes == {
        "title": ["Före", "Efter"],
        "participating_organisations": {
            "type": "m2m",
            "added": ["Nya partnern"],
            "removed": ["Gamla partnern"],
        },
    }


def test_an_invitation_is_recorded_when_made_and_revoked_and_its_token_never(
    django_capture_on_commit_callbacks,
):
    administrator = UserFactory(is_superuser=True, is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail task makes the token
        invitation = invitation_create(
            email="ny@example.org",
            organisation=OrganisationFactory(),
            role="coordinator",
            invited_by=administrator,
        )
    invitation_revoke(invitation=invitation)

    made, revoked = changes_of(invitation)
    assert made.changes["email"] == ["None", "ny@example.org"]
    assert "revoked_at" in revoked.changes
    assert Invitation.objects.get().token_hash  # there is a secret, and it is in no entry
    for entry in (made, revoked):
        assert "token_hash" not in entry.changes
        assert Invitation.objects.get().token_hash not in str(entry.changes)


def test_a_plans_english_title_is_recorded_and_the_swedish_one_once():
    plan = ActionPlanFactory(title="Plan")
    plan.title_en = "Plan in English"
    plan.save()

    [_created, changed] = changes_of(plan)
    assert changed.changes == {"title_en": ["None", "Plan in English"]}
