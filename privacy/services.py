"""One person's personal data: all of it gathered for them (export), or removed (erase).

An administrator's tool, for requests under articles 15 and 17 of the GDPR. It lives above
followup because a person's data is spread over every app: their account and memberships
(actors), delegations (actionplan), and reports, their history, reminders and follows (followup).

Erasing keeps the account's row, anonymised, rather than deleting it: the reports a person sent
in or reviewed are the organisations' official record and stay, with their history, shown as the
organisation's and "borttagen användare".
"""

import datetime
from dataclasses import dataclass
from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from guardian.models import UserObjectPermission

from actionplan.models import Commitment, Delegation
from actionplan.services import delegation_revoke
from actors.models import ERASED_USERNAME_PREFIX, Invitation, User
from actors.services import membership_revoke
from actors.two_factor import two_factor_disable
from audit.services import audit_log_forget_person, audit_log_of_person
from followup.models import CommitmentFollow, ProgressReport, Reminder


class PersonNotFound(Exception):
    pass


class ErasureRefused(Exception):
    pass


def person_find(username_or_email: str) -> User:
    """The one person with this username, or else with this e-mail address."""
    user = User.objects.filter(username=username_or_email).first()
    if user is not None:
        return user
    matches = list(User.objects.filter(email__iexact=username_or_email).order_by("pk"))
    if not matches:
        raise PersonNotFound(f"Nobody has the username or e-mail address {username_or_email!r}.")
    if len(matches) > 1:
        names = ", ".join(user.username for user in matches)
        raise PersonNotFound(
            f"{len(matches)} people have the e-mail address {username_or_email!r} ({names}): "
            "give the username."
        )
    return matches[0]


def _reminders_to(user: User):
    # The payload keeps the person's id too, for reminders claimed before the row lost its link.
    return Reminder.objects.filter(Q(recipient=user) | Q(payload__recipient=user.pk))


def _invitations_to(user: User):
    """The invitations to the person: the one they accepted, and any to their address."""
    to_address = Q(email__iexact=user.email) if user.email else Q(pk__in=[])
    return Invitation.objects.filter(Q(accepted_by=user) | to_address)


def _report(report: ProgressReport, when: datetime.datetime | None) -> dict[str, Any]:
    return {
        "id": report.pk,
        "commitment_id": report.commitment_id,
        "commitment_code": report.commitment.code,
        "organisation": report.organisation.name,
        "period": report.period.year,
        "state": report.state,
        "at": when,
    }


def personal_data_export(*, user: User) -> dict[str, Any]:
    """Everything the portal holds about the person, as plain data (dates as datetimes).

    Reports are referred to by id and commitment code: their text is the organisation's, not
    personal data about the person who typed it.
    """
    reports = ProgressReport.objects.select_related("commitment", "organisation", "period")
    user_type = ContentType.objects.get_for_model(User)
    return {
        "exported_at": timezone.now(),
        "account": {
            "id": user.pk,
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "is_active": user.is_active,
            "is_staff": user.is_staff,
            "is_superuser": user.is_superuser,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "groups": sorted(user.groups.values_list("name", flat=True)),
            "permissions": sorted(
                f"{app}.{codename}"
                for app, codename in user.user_permissions.values_list(
                    "content_type__app_label", "codename"
                )
            ),
        },
        "memberships": [
            {
                "organisation": membership.organisation.name,
                "role": membership.role,
                "is_contact_person": membership.is_contact_person,
                "created_at": membership.created_at,
            }
            for membership in user.memberships.select_related("organisation").order_by("pk")
        ],
        "delegations_to_them": [
            {
                "commitment_id": delegation.commitment_id,
                "commitment_code": delegation.commitment.code,
                "organisation": delegation.membership.organisation.name,
                "created_at": delegation.created_at,
            }
            for delegation in Delegation.objects.filter(membership__user=user)
            .select_related("commitment", "membership__organisation")
            .order_by("pk")
        ],
        "delegations_made_by_them": [
            {
                "commitment_id": delegation.commitment_id,
                "commitment_code": delegation.commitment.code,
                "created_at": delegation.created_at,
            }
            for delegation in Delegation.objects.filter(granted_by=user)
            .select_related("commitment")
            .order_by("pk")
        ],
        "invitations_to_them": [
            {
                "email": invitation.email,
                "organisation": invitation.organisation.name if invitation.organisation else None,
                "role": invitation.role,
                "created_at": invitation.created_at,
                "accepted_at": invitation.accepted_at,
                "revoked_at": invitation.revoked_at,
            }
            for invitation in _invitations_to(user).select_related("organisation").order_by("pk")
        ],
        "invitations_sent_by_them": [
            {"id": invitation.pk, "created_at": invitation.created_at}
            for invitation in Invitation.objects.filter(invited_by=user).order_by("pk")
        ],
        "follows": [
            {
                "commitment_id": follow.commitment_id,
                "commitment_code": follow.commitment.code,
                "created_at": follow.created_at,
            }
            for follow in CommitmentFollow.objects.filter(user=user)
            .select_related("commitment")
            .order_by("pk")
        ],
        "reminders_to_them": [
            {
                "id": reminder.pk,
                "period": reminder.period.year,
                "kind": reminder.kind,
                "step": reminder.step,
                "email": reminder.email,
                "claimed_at": reminder.claimed_at,
                "sent_at": reminder.sent_at,
                "failed_at": reminder.failed_at,
                "cancelled_at": reminder.cancelled_at,
            }
            for reminder in _reminders_to(user).select_related("period").order_by("pk")
        ],
        "reminders_sent_by_them": [
            {
                "id": reminder.pk,
                "period": reminder.period.year,
                "kind": reminder.kind,
                "claimed_at": reminder.claimed_at,
            }
            for reminder in Reminder.objects.filter(triggered_by=user)
            .select_related("period")
            .order_by("pk")
        ],
        "reports_submitted": [
            _report(report, report.submitted_at)
            for report in reports.filter(submitted_by=user).order_by("pk")
        ],
        "reports_reviewed": [
            _report(report, report.reviewed_at)
            for report in reports.filter(reviewed_by=user).order_by("pk")
        ],
        "report_history": [
            {
                "report_id": record.id,
                "commitment_code": record.commitment.code,
                "organisation": record.organisation.name,
                "history_date": record.history_date,
                "history_type": record.history_type,
                "change_reason": record.history_change_reason,
            }
            for record in ProgressReport.history.filter(history_user=user)
            .select_related("commitment", "organisation")
            .order_by("history_date", "history_id")
        ],
        "commitment_history": [
            {
                "commitment_id": record.id,
                "commitment_code": record.code,
                "history_date": record.history_date,
                "history_type": record.history_type,
            }
            for record in Commitment.history.filter(history_user=user).order_by(
                "history_date", "history_id"
            )
        ],
        "admin_log_by_them": [
            {
                "action_time": entry.action_time,
                "content_type": f"{entry.content_type.app_label}.{entry.content_type.model}"
                if entry.content_type
                else None,
                "object_id": entry.object_id,
                "object_repr": entry.object_repr,
                "action": entry.get_action_flag_display(),
            }
            for entry in LogEntry.objects.filter(user=user)
            .select_related("content_type")
            .order_by("action_time", "pk")
        ],
        "admin_log_about_them": [
            {"action_time": entry.action_time, "action": entry.get_action_flag_display()}
            for entry in LogEntry.objects.filter(
                content_type=user_type, object_id=str(user.pk)
            ).order_by("action_time", "pk")
        ],
        # The audit log (händelselogg): what they did, and what was done with their account.
        "audit_log": audit_log_of_person(user=user),
        "not_in_the_database": (
            "Failed sign-ins are counted by username in the cache for 15 minutes; the server's "
            "log lines carry request ids, and the sign-in guard's lines the username typed."
        ),
    }


@dataclass
class Erasure:
    user_id: int
    username: str
    memberships: int
    delegations: int
    follows: int
    reminders: int


def _erased_name(user: User) -> str:
    with translation.override("sv"):  # stored, like the rest of the log, in Swedish
        return str(user)


@transaction.atomic
def personal_data_erase(*, user: User) -> Erasure:
    """Remove the person's personal data; their reports and the history stay, anonymised.

    Memberships and delegations end through the services, so that the access index stays
    right; the account stays as an inactive row named borttagen-<id>, with no name, address or
    usable password, so that the reports keep pointing at "borttagen användare".
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if (
        user.is_superuser
        and user.is_active
        and not User.objects.filter(is_superuser=True, is_active=True).exclude(pk=user.pk).exists()
    ):
        raise ErasureRefused(
            f"{user.username} is the last active superuser: make another one first."
        )
    old_username = user.username

    delegations = list(
        Delegation.objects.filter(membership__user=user).select_related("commitment")
    )
    for delegation in delegations:
        delegation_revoke(delegation=delegation)
    memberships = list(user.memberships.select_related("organisation"))
    for membership in memberships:
        membership_revoke(membership=membership)
    follows, _by_model = CommitmentFollow.objects.filter(user=user).delete()
    # An invitation holds nothing but the address and a role: it goes, and with it what it
    # was still to delegate. Those the person sent stay, no longer naming them.
    _invitations_to(user).delete()

    # A reminder not yet sent will not be; the log keeps that one went, but not where.
    reminders = list(_reminders_to(user))
    now = timezone.now()
    for reminder in reminders:
        # Unique per row, because (period, address, step) is unique: "" would collide.
        reminder.email = f"{ERASED_USERNAME_PREFIX}{reminder.pk}@invalid"
        reminder.payload = {**reminder.payload, "name": ""}
        if reminder.delivery_state == "pending":
            reminder.cancelled_at = now
            reminder.last_error = "Personen har tagits bort ur portalen."
    Reminder.objects.bulk_update(reminders, ["email", "payload", "cancelled_at", "last_error"])

    user.username = f"{ERASED_USERNAME_PREFIX}{user.pk}"
    user.first_name = user.last_name = user.email = ""
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.last_login = None
    user.save()
    # The access groups were emptied of them by the services above; these are the admin's own.
    user.groups.clear()
    user.user_permissions.clear()
    UserObjectPermission.objects.filter(user=user).delete()
    # Their authenticator app's secret and their recovery codes.
    two_factor_disable(user=user)
    # The admin's log names the account it changed, as it was called then.
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_repr=_erased_name(user))
    audit_log_forget_person(user=user, name=_erased_name(user))
    axes_reset(username=old_username)
    return Erasure(
        user_id=user.pk,
        username=user.username,
        memberships=len(memberships),
        delegations=len(delegations),
        follows=follows,
        reminders=len(reminders),
    )
