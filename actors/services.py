"""Writes that concern organisations, people and their roles.

Views, the admin, commands and the demo all call these. They are also the one writer of the
people's side of the access index: who is in an organisation's coordinator group and in each
member's delegation group (see actors.models). Both follow from the memberships and the
organisation's state, and are brought in line in the same transaction as every change of them.
"""

import datetime
import secrets
from collections.abc import Callable, Iterable
from functools import reduce
from operator import or_

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify

from actors import cache_versions
from actors.models import (
    CoordinatorGroup,
    Invitation,
    MemberGroup,
    Membership,
    Organisation,
    User,
    invitation_token_hash,
)

GroupMember = tuple[int, int]  # (group, user)


@transaction.atomic
def organisation_set_active(*, organisation: Organisation, is_active: bool) -> Organisation:
    """Deactivate or reactivate an organisation. Its people's access follows at once.

    A deactivated organisation keeps its history and reports, but leaves the follow-up: it is
    neither counted nor reminded, and nobody reports on its behalf until it is active again.
    """
    organisation.is_active = is_active
    # A save, not an update(), so that the audit log records the change (once: saving a value
    # that the admin has just saved records nothing more).
    organisation.save(update_fields=["is_active"])
    access_groups_sync(organisations=[organisation])
    cache_versions.bump(cache_versions.DATA)
    return organisation


@transaction.atomic
def organisation_delete(*, organisation: Organisation) -> None:
    """Delete an organisation; its groups and every grant they hold go with it."""
    organisation.delete()
    cache_versions.bump(cache_versions.DATA)


@transaction.atomic
def membership_grant(
    *,
    user: User,
    organisation: Organisation,
    role: str,
    is_contact_person: bool | None = None,
) -> Membership:
    """Give a person a role at an organisation, or change it (idempotent).

    `is_contact_person=None` keeps what is recorded, so that granting a role again never
    quietly drops the contact person.
    """
    defaults = {"role": role}
    if is_contact_person is not None:
        defaults["is_contact_person"] = is_contact_person
    membership, _created = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults=defaults
    )
    access_groups_sync(organisations=[organisation])
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership) -> None:
    """Remove a person from an organisation; their access ends with the next request.

    The delegations made to them on the organisation's behalf end with the membership.
    """
    organisation = membership.organisation
    membership.delete()
    access_groups_sync(organisations=[organisation])


# --- The people's side of the access index ------------------------------------------------------


def access_groups_for(
    *, organisation_ids: set[int], membership_ids: set[int]
) -> tuple[dict[int, int], dict[int, int]]:
    """The coordinator group of each organisation and the delegation group of each membership,
    as {organisation: group} and {membership: group}; groups missing are made, with members.

    Made one by one (a multi-table model cannot be bulk-created) but their members are brought
    in line once for all of them.
    """
    coordinators = dict(
        CoordinatorGroup.objects.filter(organisation__in=organisation_ids).values_list(
            "organisation", "pk"
        )
    )
    members = dict(
        MemberGroup.objects.filter(membership__in=membership_ids).values_list("membership", "pk")
    )
    touched = set()
    for organisation_id in organisation_ids - coordinators.keys():
        coordinators[organisation_id] = CoordinatorGroup.objects.create(
            organisation_id=organisation_id,
            name=f"coordinators-of-organisation-{organisation_id}",
        ).pk
        touched.add(organisation_id)
    for membership in Membership.objects.filter(pk__in=membership_ids - members.keys()):
        members[membership.pk] = MemberGroup.objects.create(
            membership=membership, name=f"delegates-of-membership-{membership.pk}"
        ).pk
        touched.add(membership.organisation_id)
    if touched:
        access_groups_sync(organisations=Organisation.objects.filter(pk__in=touched))
    return coordinators, members


def access_groups(organisations: Iterable[Organisation] | None = None):
    """The coordinator and delegation groups (of the given organisations, or all)."""
    scope = Q(coordinatorgroup__isnull=False) | Q(membergroup__isnull=False)
    if organisations is not None:
        ids = [organisation.pk for organisation in organisations]
        scope = Q(coordinatorgroup__organisation__in=ids) | Q(
            membergroup__membership__organisation__in=ids
        )
    return Group.objects.filter(scope)


def expected_group_members(
    organisations: Iterable[Organisation] | None = None,
) -> set[GroupMember]:
    """Who belongs in the access groups, worked out from the memberships alone.

    An active organisation's coordinator group holds its coordinators; each delegation group
    holds its one member. An inactive organisation's groups are empty.
    """
    ids = None if organisations is None else [organisation.pk for organisation in organisations]
    coordinator_groups = CoordinatorGroup.objects.filter(organisation__is_active=True)
    member_groups = MemberGroup.objects.filter(membership__organisation__is_active=True)
    if ids is not None:
        coordinator_groups = coordinator_groups.filter(organisation__in=ids)
        member_groups = member_groups.filter(membership__organisation__in=ids)
    coordinators = coordinator_groups.filter(
        organisation__memberships__role=Membership.Role.COORDINATOR
    ).values_list("pk", "organisation__memberships__user")
    members = member_groups.values_list("pk", "membership__user")
    return {*coordinators, *members}


def actual_group_members(organisations: Iterable[Organisation] | None = None) -> set[GroupMember]:
    through = User.groups.through
    return set(
        through.objects.filter(group__in=access_groups(organisations)).values_list("group", "user")
    )


def access_groups_sync(*, organisations: Iterable[Organisation] | None = None) -> int:
    """Bring the access groups' members in line with the memberships; returns rows changed.

    Only the difference is written, so running it again changes nothing.
    """
    wanted = expected_group_members(organisations)
    actual = actual_group_members(organisations)
    through = User.groups.through
    surplus = actual - wanted
    if surplus:
        through.objects.filter(
            reduce(or_, (Q(group_id=group_id, user_id=user_id) for group_id, user_id in surplus))
        ).delete()
    through.objects.bulk_create(
        [through(group_id=group_id, user_id=user_id) for group_id, user_id in wanted - actual],
        batch_size=2000,
    )
    return len(surplus) + len(wanted - actual)


def password_reset_queue(*, email: str) -> None:
    """Queue the reset e-mail for an address, after the request's transaction commits.

    The request never looks the address up: a registered address and an unknown one are
    answered alike, and equally fast (sending inside the request took 300-570 ms, which told
    anyone timing it that the address is registered).
    """
    from actors.tasks import password_reset_send as task

    # robust: a broker that is down must not turn the answer into an error page (which would
    # again differ from the usual answer); the failure is logged.
    transaction.on_commit(lambda: task.delay(email), robust=True)


def password_reset_send(*, email: str) -> int:
    """E-mail a link to choose a new password to each active person with this address who
    may reset one (Django's rule: a usable password). Returns how many were sent."""
    from actors.emails import send_templated

    sent = 0
    for user in PasswordResetForm().get_users(email):
        path = reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        send_templated(
            "registration/emails/password_reset",
            {
                "name": user.first_name,
                "username": user.get_username(),
                "reset_url": settings.SITE_URL + path,
                "valid_days": settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60),
            },
            to=[user.email],
        )
        sent += 1
    return sent


# --- The administration pages ------------------------------------------------------------------


class LastAdministratorError(Exception):
    """The change would leave the portal without an active administrator."""


def _slug_for(short_name: str) -> str:
    """A slug made from the short name, unique among the organisations (never typed by anyone)."""
    field = Organisation._meta.get_field("slug")
    base = slugify(short_name)[: field.max_length - 4].strip("-") or "organisation"
    taken = set(Organisation.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def organisation_create(
    *,
    name: str,
    short_name: str,
    kind: str,
    affiliation: str,
    municipality_code: str = "",
    contact_email: str = "",
) -> Organisation:
    """Add an organisation to the collaboration; its slug follows from the short name."""
    organisation = Organisation(
        name=name,
        short_name=short_name,
        slug=_slug_for(short_name),
        kind=kind,
        affiliation=affiliation,
        municipality_code=municipality_code,
        contact_email=contact_email,
    )
    organisation.full_clean()
    organisation.save()
    cache_versions.bump(cache_versions.DATA)
    return organisation


ORGANISATION_EDITABLE_FIELDS = (
    "name",
    "short_name",
    "kind",
    "affiliation",
    "municipality_code",
    "contact_email",
)


@transaction.atomic
def organisation_update(*, organisation: Organisation, **changes) -> Organisation:
    """Rename an organisation or change its kind, role in the collaboration or addresses.

    The slug stays: links in e-mail already sent, and bookmarks, keep working after a rename.
    Whether it is active changes only through `organisation_set_active`.
    """
    unknown = set(changes) - set(ORGANISATION_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"organisation_update cannot change {sorted(unknown)}")
    for field, value in changes.items():
        setattr(organisation, field, value)
    organisation.full_clean()
    organisation.save(update_fields=[*changes])
    cache_versions.bump(cache_versions.DATA)
    return organisation


@transaction.atomic
def membership_move(
    *,
    membership: Membership,
    organisation: Organisation,
    role: str,
    is_contact_person: bool | None = None,
) -> Membership:
    """Move a person to another organisation: the old membership ends (with its delegations)
    and the new one begins, in one transaction, so no request sees them with both or neither."""
    if membership.organisation_id == organisation.pk:
        return membership_grant(
            user=membership.user,
            organisation=organisation,
            role=role,
            is_contact_person=is_contact_person,
        )
    user = membership.user
    membership_revoke(membership=membership)
    return membership_grant(
        user=user,
        organisation=organisation,
        role=role,
        is_contact_person=bool(is_contact_person),
    )


def _lock_active_administrators() -> list[int]:
    # Locked, so that two administrators demoting each other at once cannot both succeed.
    return list(
        User.objects.select_for_update()
        .filter(is_superuser=True, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def user_set_administrator(*, user: User, is_administrator: bool) -> User:
    """Make a person an administrator (superuser and staff) or stop them being one.

    Refuses to remove the last active administrator (LastAdministratorError).
    """
    administrators = _lock_active_administrators()
    if not is_administrator and administrators == [user.pk]:
        raise LastAdministratorError
    user.is_superuser = user.is_staff = is_administrator
    user.save(update_fields=["is_superuser", "is_staff"])
    return user


@transaction.atomic
def user_set_active(*, user: User, is_active: bool) -> User:
    """Let a person sign in, or stop them; a signed-in person is signed out on their next
    request. Their memberships stay, so reactivating gives their roles back.

    Refuses to deactivate the last active administrator (LastAdministratorError).
    """
    administrators = _lock_active_administrators()
    if not is_active and administrators == [user.pk]:
        raise LastAdministratorError
    user.is_active = is_active
    user.save(update_fields=["is_active"])
    return user


# --- Invitations --------------------------------------------------------------------------------

# Called, in the transaction that accepts an invitation, with the invitation, the person and their
# new membership (None for an administrator). The apps above actors register here what an
# invitation carries for them (actionplan: the commitments a coordinator delegates to the person
# they invite), so that actors need not import them. See ActionPlanConfig.ready.
InvitationAcceptedHook = Callable[..., None]
invitation_accepted_hooks: list[InvitationAcceptedHook] = []


def invitation_accepted_hook_register(hook: InvitationAcceptedHook) -> None:
    if hook not in invitation_accepted_hooks:
        invitation_accepted_hooks.append(hook)


class InvitationNotUsable(Exception):
    """The invitation was accepted, revoked or has expired; `state` says which."""

    def __init__(self, state: str):
        super().__init__(state)
        self.state = state


def _invitation_expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=settings.INVITATION_VALID_DAYS)


@transaction.atomic
def invitation_create(
    *,
    email: str,
    organisation: Organisation | None,
    role: str,
    invited_by: User,
    is_contact_person: bool = False,
) -> Invitation:
    """Invite a person by e-mail; the e-mail is sent by a task after the transaction commits."""
    invitation = Invitation.objects.create(
        email=email.strip(),
        organisation=organisation,
        role=role,
        is_contact_person=is_contact_person,
        invited_by=invited_by,
        expires_at=_invitation_expiry(),
    )
    _invitation_send_queue(invitation)
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation) -> Invitation:
    """Send an invitation again, with a new link and a new expiry; the old link stops working.

    An expired invitation may be sent again, an accepted or revoked one not.
    """
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at is not None or locked.revoked_at is not None:
        raise InvitationNotUsable(locked.state)
    locked.expires_at = _invitation_expiry()
    locked.token_hash = None
    locked.save(update_fields=["expires_at", "token_hash"])
    _invitation_send_queue(locked)
    return locked


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> Invitation:
    """Withdraw an invitation not yet accepted; its link then says so."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at is not None:
        raise InvitationNotUsable(locked.state)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
    return locked


def _invitation_send_queue(invitation: Invitation) -> None:
    from actors.tasks import invitation_send as task

    transaction.on_commit(lambda: task.delay(invitation.pk), robust=True)


def invitation_send(*, invitation_id: int) -> bool:
    """Make the invitation's token and e-mail its link; False when it is no longer pending.

    The token is made here, in the task, so that it never rests in the broker; only its hash is
    stored. Each run makes a new one: a retry after a failed send leaves one working link.
    """
    from actors.emails import send_templated

    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("organisation", "invited_by")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or not invitation.is_pending:
            return False
        invitation.token_hash = invitation_token_hash(token)
        invitation.save(update_fields=["token_hash"])
    inviter = invitation.invited_by
    send_templated(
        "actors/emails/invitation",
        {
            "invitation": invitation,
            "inviter": str(inviter) if inviter is not None else "Operation Kvinnofrid",
            "organisation": invitation.organisation,
            "role": invitation.get_role_display(),
            "accept_url": settings.SITE_URL
            + reverse("actors:invitation-accept", kwargs={"token": token}),
            "valid_days": settings.INVITATION_VALID_DAYS,
            "expires_at": invitation.expires_at,
        },
        to=[invitation.email],
    )
    return True


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link's token opens, in whatever state; None for anything else."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=invitation_token_hash(token))
        .first()
    )


def invitation_accounts(invitation: Invitation):
    """The active accounts with the invitation's address: one of them accepts it by signing in."""
    return User.objects.filter(is_active=True, email__iexact=invitation.email)


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    user: User | None = None,
    username: str = "",
    password: str = "",
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Accept an invitation: as `user` (signed in), or with a new account made from the rest.

    The invitation's row is locked first, so that of two submits of the same link only the
    first gets through; the second finds it accepted (InvitationNotUsable). Gives the role
    through membership_grant (or makes an administrator), then runs the hooks of the apps above.
    """
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_pending:
        raise InvitationNotUsable(locked.state)
    if user is None:
        user = User(
            username=username, email=locked.email, first_name=first_name, last_name=last_name
        )
        user.set_password(password)
        user.save()
    membership = None
    if locked.is_administrator:
        User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
        user.is_staff = user.is_superuser = True
    else:
        membership = _invitation_membership(locked, user)
    locked.accepted_at = timezone.now()
    locked.accepted_by = user
    locked.save(update_fields=["accepted_at", "accepted_by"])
    for hook in invitation_accepted_hooks:
        hook(invitation=locked, user=user, membership=membership)
    return user


def _invitation_membership(invitation: Invitation, user: User) -> Membership:
    """The invited role; a person who already has a stronger role there keeps it."""
    existing = Membership.objects.filter(user=user, organisation=invitation.organisation).first()
    role = invitation.role
    if existing is not None and role == Membership.Role.COLLEAGUE:
        role = existing.role
    return membership_grant(
        user=user,
        organisation=invitation.organisation,
        role=role,
        # Never drops a contact person recorded before.
        is_contact_person=True if invitation.is_contact_person else None,
    )
