"""Grants follow the data: responsibility, delegation, membership and organisation state.

The domain rows are the truth; guardian's grants are an index derived from them by the services.
"""

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from actionplan import permissions as reporting
from actionplan.models import CommitmentGroupObjectPermission
from actionplan.services import commitment_responsibility_set
from actors.models import Membership, Organisation, User
from actors.services import membership_grant, organisation_delete, organisation_set_active
from tests.factories import CommitmentFactory, OrganisationFactory, UserFactory
from tests.personas import build_world

pytestmark = pytest.mark.django_db

REPORT = "actionplan.report_on_commitment"


def fresh(user: User) -> User:
    """The person read again, without guardian's per-instance permission cache."""
    return User.objects.get(pk=user.pk)


def test_a_delegation_ends_when_its_organisation_is_no_longer_responsible():
    world = build_world()
    delegate = world.users["delegate"]
    b = world.b_submitted.organisation
    assert delegate.has_perm(REPORT, world.commitment)

    # A hands the commitment over to B.
    commitment_responsibility_set(
        commitment=world.commitment, lead_organisation=b, participating_organisations=[]
    )

    assert not world.commitment.delegations.exists()
    assert not fresh(delegate).has_perm(REPORT, world.commitment)
    assert reporting.reporting_organisations(world.users["coordinator_a"], world.commitment) == []
    assert reporting.reporting_organisations(world.users["coordinator_b"], world.commitment) == [b]


def test_syncing_twice_changes_nothing():
    world = build_world()
    before = list(world.commitment.commitmentgroupobjectpermission_set.values())

    call_command("check_access", "--repair")

    assert list(world.commitment.commitmentgroupobjectpermission_set.values()) == before


def test_a_new_organisation_with_a_deleted_ones_slug_does_not_inherit_its_coordinators():
    coordinator = UserFactory()
    old = OrganisationFactory(slug="nykommun", name="Gamla", short_name="Gamla")
    membership_grant(user=coordinator, organisation=old, role=Membership.Role.COORDINATOR)
    old_commitment = CommitmentFactory(lead_organisation=old)
    assert coordinator.has_perm(REPORT, old_commitment)
    old_commitment.delete()  # an organisation leading commitments cannot be deleted

    organisation_delete(organisation=old)
    new = OrganisationFactory(slug="nykommun", name="Nya", short_name="Nya")
    new_commitment = CommitmentFactory(lead_organisation=new)

    assert not fresh(coordinator).has_perm(REPORT, new_commitment)
    assert reporting.reporting_organisations(coordinator, new_commitment) == []
    assert not Group.objects.filter(coordinatorgroup__organisation_id=old.pk).exists()


def test_deactivating_an_organisation_ends_its_peoples_access_and_reactivating_restores_it():
    world = build_world()
    a = world.commitment.lead_organisation
    coordinator, delegate = world.users["coordinator_a"], world.users["delegate"]

    organisation_set_active(organisation=a, is_active=False)

    assert not fresh(coordinator).has_perm(REPORT, world.commitment)
    assert not fresh(delegate).has_perm(REPORT, world.commitment)
    assert reporting.reporting_tasks(coordinator) == []
    assert reporting.reporting_organisations(delegate, world.commitment) == []

    organisation_set_active(organisation=a, is_active=True)

    assert fresh(coordinator).has_perm(REPORT, world.commitment)
    assert fresh(delegate).has_perm(REPORT, world.commitment)


def test_county_staff_of_an_inactive_organisation_are_county_staff_no_more(client):
    world = build_world()
    staff = world.users["county_staff"]
    client.force_login(staff)
    assert client.get("/uppfoljning/").status_code == 200

    organisation_set_active(organisation=Organisation.objects.get(slug="kansli"), is_active=False)

    assert client.get("/uppfoljning/").status_code == 403


def test_granting_a_role_again_keeps_the_contact_person():
    user, organisation = UserFactory(), OrganisationFactory()
    membership_grant(
        user=user,
        organisation=organisation,
        role=Membership.Role.COORDINATOR,
        is_contact_person=True,
    )

    membership = membership_grant(
        user=user, organisation=organisation, role=Membership.Role.COORDINATOR
    )

    assert membership.is_contact_person
    membership.refresh_from_db()
    assert membership.is_contact_person


def test_check_access_reports_each_difference_and_repairs_them(capsys):
    world = build_world()
    outsider = UserFactory()
    coordinator_group = Group.objects.get(coordinatorgroup__organisation__slug="a")
    # Somebody adds a person to A's coordinator group by hand, and removes a grant.
    outsider.groups.add(coordinator_group)
    CommitmentGroupObjectPermission.objects.filter(content_object=world.b_commitment).delete()
    assert fresh(outsider).has_perm(REPORT, world.commitment)

    with pytest.raises(CommandError, match="2 differences"):
        call_command("check_access")
    output = capsys.readouterr().out
    assert f"surplus: person {outsider.pk} in group {coordinator_group.pk}" in output
    assert f"missing: report grant on commitment {world.b_commitment.pk}" in output

    call_command("check_access", "--repair")

    assert not fresh(outsider).has_perm(REPORT, world.commitment)
    assert fresh(world.users["coordinator_b"]).has_perm(REPORT, world.b_commitment)
    call_command("check_access")
    assert "The grants match the data." in capsys.readouterr().out
