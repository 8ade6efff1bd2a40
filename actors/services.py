"""Writes that concern organisations and people. Views, commands and tasks all call these."""

from django.db import transaction

from actors.models import Membership, Organisation, User


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
    return membership
