"""Who reports on which commitment, read through django-guardian's grants.

Every grant is held by a group: an organisation's coordinator group, or one member's delegation
group (actors.models). The organisation a person reports for is the one behind the group.
actionplan.services writes the grants; this module only reads them.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
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


def reporting_tasks(user) -> list[ReportingTask]:
    """Every (commitment, organisation) pair the person reports on, in three queries."""
    if not _may_act(user):
        return []
    rows = list(
        _grants()
        .filter(group__user=user)
        .values_list("content_object", "organisation_id", "group__membergroup")
    )
    commitments = Commitment.objects.select_related("plan", "lead_organisation").in_bulk(
        {commitment_id for commitment_id, _org, _delegated in rows}
    )
    organisations = Organisation.objects.in_bulk({org for _c, org, _delegated in rows})
    tasks = {}
    # Through the coordinator group first, so that a delegation to a coordinator of the same
    # organisation does not mark the task as delegated.
    for commitment_id, organisation_id, member_group in sorted(
        rows, key=lambda row: row[2] is not None
    ):
        tasks.setdefault(
            (commitment_id, organisation_id),
            ReportingTask(
                commitments[commitment_id],
                organisations[organisation_id],
                delegated=member_group is not None,
            ),
        )
    return sorted(
        tasks.values(),
        key=lambda task: (task.commitment.plan.start_year, task.commitment.code),
    )


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
