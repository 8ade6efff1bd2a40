"""Writes that concern organisations, people and their access.

Views, admin actions, commands and tasks all call these, so that a person's group membership
and object permissions always follow their memberships.
"""

from django.db import transaction

from actionplan.models import Commitment
from actors import permissions
from actors.models import Delegation, Membership, Organisation, User


@transaction.atomic
def membership_grant(
    *,
    user: User,
    organisation: Organisation,
    role: str,
    is_contact_person: bool = False,
) -> Membership:
    """Give a person a role at an organisation (idempotent)."""
    membership, _created = Membership.objects.update_or_create(
        user=user,
        organisation=organisation,
        defaults={"role": role, "is_contact_person": is_contact_person},
    )
    membership_sync_access(user=user)
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership) -> None:
    """Remove a person from an organisation; their access ends with the next request."""
    user = membership.user
    membership.delete()
    membership_sync_access(user=user)


@transaction.atomic
def membership_sync_access(*, user: User) -> None:
    """Bring the person's coordinator groups and delegations in line with their memberships.

    Idempotent; the admin calls it after any change to a person's memberships.
    """
    memberships = list(user.memberships.select_related("organisation"))
    wanted_groups = {
        permissions.organisation_coordinator_group(membership.organisation)
        for membership in memberships
        if membership.role == Membership.Role.COORDINATOR
    }
    current_groups = set(user.groups.filter(coordinated_organisation__isnull=False))
    user.groups.remove(*(current_groups - wanted_groups))
    user.groups.add(*(wanted_groups - current_groups))

    # A delegation is on behalf of an organisation: it ends when the person leaves it.
    member_of = {membership.organisation_id for membership in memberships}
    for delegation in user.delegations.exclude(organisation__in=member_of):
        delegation_revoke(delegation=delegation)


@transaction.atomic
def delegation_grant(
    *,
    commitment: Commitment,
    organisation: Organisation,
    delegate: User,
    granted_by: User,
) -> Delegation:
    """Let a colleague report on one commitment on the organisation's behalf."""
    delegation, _created = Delegation.objects.get_or_create(
        commitment=commitment,
        organisation=organisation,
        delegate=delegate,
        defaults={"granted_by": granted_by},
    )
    permissions.grant_delegated_permission(delegate, commitment)
    return delegation


@transaction.atomic
def delegation_revoke(*, delegation: Delegation) -> None:
    delegation.delete()
    permissions.revoke_delegated_permission(delegation.delegate, delegation.commitment)
