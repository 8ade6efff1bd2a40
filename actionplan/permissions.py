"""Who reports on which commitment, read through django-guardian's grants.

Every grant is held by a group: an organisation's coordinator group, or one member's delegation
group (actors.models). The organisation a person reports for is the one behind the group.
actionplan.services writes the grants; this module only reads them.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

from actionplan.models import Commitment, CommitmentGroupObjectPermission
from actionplan.services import REPORT_CODENAME
from actors.models import Membership, Organisation


def _grants():
    return CommitmentGroupObjectPermission.objects.filter(
        permission__codename=REPORT_CODENAME
    ).annotate(
        organisation_id=Coalesce(
            "group__coordinatorgroup__organisation", "group__membergroup__membership__organisation"
        )
    )


def _may_act(user) -> bool:
    return user.is_authenticated and user.is_active


def reporting_organisations(user, commitment: Commitment) -> list[Organisation]:
    """The organisations on whose behalf `user` may report on `commitment`.

    Group memberships are read on every call, so that leaving an organisation takes effect on
    the very next request.
    """
    if not _may_act(user):
        return []
    granted = _grants().filter(content_object=commitment, group__user=user)
    return list(Organisation.objects.filter(pk__in=granted.values("organisation_id")))


def reports_for(user, *, any_organisation: bool = False) -> Q:
    """A filter for rows with `commitment` and `organisation` that the person reports on.

    With `any_organisation`, for any organisation that carries the row's commitment: the
    partners of a joint commitment read what the others have sent in.
    """
    if not _may_act(user):
        return Q(pk__in=[])
    grants = _grants().filter(group__user=user, content_object=OuterRef("commitment"))
    if not any_organisation:
        grants = grants.filter(organisation_id=OuterRef("organisation"))
    return Q(Exists(grants))


@dataclass(frozen=True)
class ReportingTask:
    """One commitment that one organisation must report on, as the person sees it."""

    commitment: Commitment
    organisation: Organisation
    delegated: bool


def reporting_task_keys(user, *, year: int | None = None) -> QuerySet:
    """Every (commitment, organisation) pair the person reports on, as one SQL query.

    Rows are dicts with `content_object` (the commitment's key), `organisation_id` and
    `coordinator_grants` (0 when the person reports on it only through a delegation), in the
    order of the plan's start year and the commitment's code. With `year`, only commitments in
    scope that year. Pages count, aggregate and slice this in the database, then build the
    objects of one page with reporting_tasks_from().
    """
    if not _may_act(user):
        return CommitmentGroupObjectPermission.objects.none().values()
    grants = _grants().filter(group__user=user)
    if year is not None:
        grants = grants.filter(
            content_object__start_year__lte=year, content_object__end_year__gte=year
        ).exclude(content_object__state=Commitment.State.CANCELLED)
    return (
        grants.values("content_object", "organisation_id")
        .annotate(coordinator_grants=Count("group__coordinatorgroup"))
        .order_by("content_object__plan__start_year", "content_object__code", "organisation_id")
    )


def reporting_tasks_from(keys: Iterable[dict]) -> list[ReportingTask]:
    """The tasks of rows from reporting_task_keys(), in their order, in two queries."""
    keys = list(keys)
    commitments = Commitment.objects.select_related("plan").in_bulk(
        {key["content_object"] for key in keys}
    )
    organisations = Organisation.objects.in_bulk({key["organisation_id"] for key in keys})
    # A delegation to a coordinator of the same organisation does not mark the task delegated.
    return [
        ReportingTask(
            commitments[key["content_object"]],
            organisations[key["organisation_id"]],
            delegated=not key["coordinator_grants"],
        )
        for key in keys
    ]


def reporting_tasks(user) -> list[ReportingTask]:
    """Every (commitment, organisation) pair the person reports on, in three queries."""
    return reporting_tasks_from(reporting_task_keys(user))


def reporting_assignments(commitments: QuerySet[Commitment]) -> list[tuple[int, int, int]]:
    """(person, commitment, organisation) for everybody who reports on these commitments.

    The same grants as reporting_tasks(), read for all people at once in one query.
    """
    return list(
        _grants()
        .filter(content_object__in=commitments, group__user__isnull=False)
        .values_list("group__user", "content_object", "organisation_id")
        .distinct()
    )


def coordinated_organisations(user) -> QuerySet[Organisation]:
    """Active organisations where the person is a coordinator (and so may delegate)."""
    if not _may_act(user):
        return Organisation.objects.none()
    return Organisation.objects.active().filter(
        memberships__user=user, memberships__role=Membership.Role.COORDINATOR
    )


def delegating_organisations(user, commitment: Commitment) -> QuerySet[Organisation]:
    """The organisations on whose behalf the person may delegate this commitment."""
    return coordinated_organisations(user).filter(
        pk__in=[organisation.pk for organisation in commitment.responsible_organisations()]
    )
