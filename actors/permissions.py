"""All permission glue of the portal, in one place.

Who may report on a commitment is a django-guardian object permission: granted on the commitment
to the coordinator group of each organisation responsible for it (the lead and the participants),
or to one person for one delegated commitment. Everything else a person may do follows from their
memberships: county staff review, administrators manage.

Views look objects up through the scoped getters here, so that what is outside a person's reach
answers 404 (its existence does not leak) and what they may see but not change answers 403.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.functional import cached_property

from actionplan.models import (
    Commitment,
    CommitmentGroupObjectPermission,
    CommitmentUserObjectPermission,
)
from actors.models import Delegation, Membership, Organisation, User

REPORT_ON_COMMITMENT = "actionplan.report_on_commitment"
REPORT_CODENAME = "report_on_commitment"


@dataclass(frozen=True)
class Access:
    """What one signed-in person is, worked out once per request (see `access_for`)."""

    user: User | AnonymousUser

    @cached_property
    def _roles(self) -> set[str]:
        if not self.user.is_authenticated:
            return set()
        return set(self.user.memberships.values_list("role", flat=True))

    @property
    def is_county_staff(self) -> bool:
        return Membership.Role.COUNTY_STAFF in self._roles

    @property
    def is_administrator(self) -> bool:
        return self.user.is_authenticated and self.user.is_active and self.user.is_staff

    @property
    def sees_all_reports(self) -> bool:
        """County staff and administrators follow up every organisation."""
        return self.is_county_staff or self.is_administrator

    @property
    def may_review(self) -> bool:
        return self.is_county_staff


def access_for(request) -> Access:
    """The request's Access, computed at most once per request."""
    if not hasattr(request, "_kvinnofrid_access"):
        request._kvinnofrid_access = Access(request.user)
    return request._kvinnofrid_access


# --- Who reports on what ------------------------------------------------------------------------


def _report_permission() -> Permission:
    return Permission.objects.get(content_type__app_label="actionplan", codename=REPORT_CODENAME)


def reporting_organisations(user, commitment: Commitment) -> list[Organisation]:
    """The organisations on whose behalf `user` may report on `commitment`.

    Through the coordinator group's object permission, or through a delegation backed by a
    per-person object permission. Memberships are read on every call, so that leaving an
    organisation takes effect on the very next request.
    """
    if not user.is_authenticated or not user.is_active:
        return []
    via_group = Q(
        coordinator_group__user=user,
        coordinator_group__commitmentgroupobjectpermission__content_object=commitment,
        coordinator_group__commitmentgroupobjectpermission__permission__codename=REPORT_CODENAME,
    )
    delegated = Delegation.objects.filter(
        organisation=OuterRef("pk"), commitment=commitment, delegate=user
    ).filter(
        Exists(
            CommitmentUserObjectPermission.objects.filter(
                user=user,
                content_object=commitment,
                permission__codename=REPORT_CODENAME,
            )
        )
    )
    return list(Organisation.objects.filter(via_group | Exists(delegated)).distinct())


@dataclass(frozen=True)
class ReportingTask:
    """One commitment that one organisation must report on, as the person sees it."""

    commitment: Commitment
    organisation: Organisation
    delegated: bool


def reporting_tasks(user) -> list[ReportingTask]:
    """Every (commitment, organisation) pair the person reports on, in two queries."""
    if not user.is_authenticated or not user.is_active:
        return []
    through_groups = (
        CommitmentGroupObjectPermission.objects.filter(
            group__user=user,
            permission__codename=REPORT_CODENAME,
            group__coordinated_organisation__isnull=False,
        )
        .select_related(
            "content_object__plan",
            "content_object__lead_organisation",
            "group__coordinated_organisation",
        )
        .order_by("content_object__plan__start_year", "content_object__code")
    )
    tasks = {
        (grant.content_object_id, grant.group.coordinated_organisation.pk): ReportingTask(
            grant.content_object, grant.group.coordinated_organisation, delegated=False
        )
        for grant in through_groups
    }
    delegations = (
        Delegation.objects.filter(delegate=user)
        .filter(
            Exists(
                CommitmentUserObjectPermission.objects.filter(
                    user=user,
                    content_object=OuterRef("commitment"),
                    permission__codename=REPORT_CODENAME,
                )
            )
        )
        .select_related("commitment__plan", "commitment__lead_organisation", "organisation")
    )
    for delegation in delegations:
        tasks.setdefault(
            (delegation.commitment_id, delegation.organisation_id),
            ReportingTask(delegation.commitment, delegation.organisation, delegated=True),
        )
    return list(tasks.values())


def reporting_assignments(commitments: QuerySet[Commitment]) -> list[tuple[int, int, int]]:
    """(person, commitment, organisation) for everybody who reports on these commitments.

    The same grants as reporting_tasks(), read for all people at once in two queries.
    """
    through_groups = CommitmentGroupObjectPermission.objects.filter(
        permission__codename=REPORT_CODENAME,
        content_object__in=commitments,
        group__user__isnull=False,
        group__coordinated_organisation__isnull=False,
    ).values_list("group__user", "content_object", "group__coordinated_organisation")
    delegated = Delegation.objects.filter(
        commitment__in=commitments,
        commitment__commitmentuserobjectpermission__user=F("delegate"),
        commitment__commitmentuserobjectpermission__permission__codename=REPORT_CODENAME,
    ).values_list("delegate", "commitment", "organisation")
    return [*through_groups, *delegated]


def coordinated_organisations(user) -> QuerySet[Organisation]:
    """Organisations where the person is a coordinator (and so may delegate)."""
    return Organisation.objects.filter(
        memberships__user=user, memberships__role=Membership.Role.COORDINATOR
    )


def delegating_organisations(user, commitment: Commitment) -> QuerySet[Organisation]:
    """The organisations on whose behalf the person may delegate this commitment."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return coordinated_organisations(user).filter(
        pk__in=[organisation.pk for organisation in commitment.responsible_organisations()]
    )


# --- Keeping the grants in step with the data ---------------------------------------------------


def organisation_coordinator_group(organisation: Organisation) -> Group:
    if organisation.coordinator_group_id is None:
        group, _created = Group.objects.get_or_create(name=f"Samordnare: {organisation.slug}")
        organisation.coordinator_group = group
        organisation.save(update_fields=["coordinator_group"])
    return organisation.coordinator_group


@transaction.atomic
def commitment_permissions_sync(commitments: Iterable[Commitment] | None = None) -> None:
    """Grant the report permission to exactly the responsible organisations' groups.

    Run after commitments are created or their organisations change (admin, import, demo).
    Only the difference is written, so running it again changes nothing.
    """
    queryset = Commitment.objects.all()
    if commitments is not None:
        queryset = queryset.filter(pk__in=[commitment.pk for commitment in commitments])
    responsible = {
        (commitment_id, organisation_id)
        for commitment_id, organisation_id in queryset.values_list("pk", "lead_organisation")
    } | {
        (commitment_id, organisation_id)
        for commitment_id, organisation_id in queryset.filter(
            participating_organisations__isnull=False
        ).values_list("pk", "participating_organisations")
    }
    organisations = Organisation.objects.filter(
        pk__in={organisation_id for _commitment, organisation_id in responsible},
        coordinator_group__isnull=True,
    )
    for organisation in organisations:
        organisation_coordinator_group(organisation)
    group_of = dict(
        Organisation.objects.filter(coordinator_group__isnull=False).values_list(
            "pk", "coordinator_group"
        )
    )
    wanted = {(commitment_id, group_of[org_id]) for commitment_id, org_id in responsible}
    permission = _report_permission()
    existing_grants = CommitmentGroupObjectPermission.objects.filter(
        permission=permission, content_object__in=queryset
    )
    existing = set(existing_grants.values_list("content_object_id", "group_id"))
    CommitmentGroupObjectPermission.objects.bulk_create(
        [
            CommitmentGroupObjectPermission(
                content_object_id=commitment_id, group_id=group_id, permission=permission
            )
            for commitment_id, group_id in sorted(wanted - existing)
        ],
        batch_size=2000,
    )
    for commitment_id, group_id in existing - wanted:
        existing_grants.filter(content_object_id=commitment_id, group_id=group_id).delete()
    # A delegation is made on an organisation's behalf: it ends with the responsibility.
    from actors.services import delegation_revoke

    for delegation in Delegation.objects.filter(commitment__in=queryset).select_related(
        "delegate", "commitment"
    ):
        if (delegation.commitment_id, delegation.organisation_id) not in responsible:
            delegation_revoke(delegation=delegation)


def grant_delegated_permission(user: User, commitment: Commitment) -> None:
    CommitmentUserObjectPermission.objects.get_or_create(
        user=user, content_object=commitment, permission=_report_permission()
    )


def revoke_delegated_permission(user: User, commitment: Commitment) -> None:
    still_delegated = Delegation.objects.filter(delegate=user, commitment=commitment).exists()
    if not still_delegated:
        CommitmentUserObjectPermission.objects.filter(
            user=user, content_object=commitment, permission__codename=REPORT_CODENAME
        ).delete()


# --- Scoped getters for views -------------------------------------------------------------------


def get_object_or_404_scoped(queryset: QuerySet, **lookup):
    """Like get_object_or_404, but also turns malformed keys into 404 instead of 500."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def require_follow_up_access(request, *, write: bool = False) -> None:
    """County staff follow up; administrators may look. Everyone else: 403."""
    access = access_for(request)
    if not (access.is_county_staff if write else access.sees_all_reports):
        raise PermissionDenied


class FollowUpReaderRequiredMixin:
    """For county staff's list pages: visitors are sent to log in, other people get 403."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        require_follow_up_access(request)
        return super().dispatch(request, *args, **kwargs)


# --- What follow-up a person may see ------------------------------------------------------------


def visible_reports(user, queryset: QuerySet) -> QuerySet:
    """Progress reports the person may read.

    Drafts are the reporting organisation's own work in progress; everything sent in is open
    to every signed-in member of the collaboration, and visitors see approved reports only.
    """
    from followup.models import ReportState

    if not user.is_authenticated or not user.is_active:
        return queryset.filter(state=ReportState.APPROVED)
    own = Q(organisation__coordinator_group__user=user) | Exists(
        Delegation.objects.filter(
            delegate=user,
            commitment=OuterRef("commitment"),
            organisation=OuterRef("organisation"),
        )
    )
    return queryset.filter(~Q(state=ReportState.DRAFT) | own).distinct()
