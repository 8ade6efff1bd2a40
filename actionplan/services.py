"""Writes that concern the action plans, their commitments and delegations.

These are the one writer of the report grants (django-guardian object permissions on the
commitments). A grant follows from the domain rows: each organisation responsible for a
commitment (the lead and the participants) grants it to its coordinator group, and each
delegation grants it to the delegate's delegation group. Every change of those rows goes through
a function here, which brings the grants in line in the same transaction.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from guardian.models import GroupObjectPermission, UserObjectPermission

from actionplan.models import (
    ActionPlan,
    Commitment,
    CommitmentGroupObjectPermission,
    Delegation,
    Goal,
    PendingDelegation,
    Strategy,
    ViolenceArea,
)
from actors import cache_versions
from actors import services as actors_services
from actors.models import Invitation, Membership, Organisation, User
from audit.events import Event, record_event

REPORT_CODENAME = "report_on_commitment"

# A grant as the domain rows see it: (commitment, "organisation" or "membership", its key).
Grant = tuple[int, str, int]
BY_ORGANISATION = "organisation"
BY_MEMBERSHIP = "membership"


@transaction.atomic
def commitment_create(
    *,
    plan: ActionPlan,
    code: str,
    title: str,
    lead_organisation: Organisation,
    start_year: int,
    end_year: int,
    participating_organisations: Iterable[Organisation] = (),
    goals: Iterable[Goal] = (),
    violence_areas: Iterable[ViolenceArea] = (),
    **fields,
) -> Commitment:
    commitment = Commitment.objects.create(
        plan=plan,
        code=code,
        title=title,
        lead_organisation=lead_organisation,
        start_year=start_year,
        end_year=end_year,
        **fields,
    )
    commitment.goals.set(goals)
    commitment.violence_areas.set(violence_areas)
    commitment.participating_organisations.set(participating_organisations)
    commitments_access_sync(commitments=[commitment])
    cache_versions.bump(cache_versions.DATA)
    return commitment


@transaction.atomic
def commitment_responsibility_set(
    *,
    commitment: Commitment,
    lead_organisation: Organisation,
    participating_organisations: Iterable[Organisation],
) -> Commitment:
    """Change who carries a commitment; delegations of organisations that left it end."""
    commitment.lead_organisation = lead_organisation
    commitment.save(update_fields=["lead_organisation", "updated_at"])
    commitment.participating_organisations.set(participating_organisations)
    commitments_access_sync(commitments=[commitment])
    cache_versions.bump(cache_versions.DATA)
    return commitment


def action_plan_create(
    *,
    strategy: Strategy,
    title: str,
    slug: str,
    start_year: int,
    end_year: int,
    title_en: str | None = None,
) -> ActionPlan:
    # Made with Swedish active: modeltranslation files `title` under the active language and
    # lets that language's value win the field's own column, which is the Swedish title.
    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        plan = ActionPlan.objects.create(
            strategy=strategy,
            title=title,
            title_en=title_en or None,
            slug=slug,
            start_year=start_year,
            end_year=end_year,
        )
    cache_versions.bump(cache_versions.DATA)
    return plan


@dataclass
class CommitmentData:
    """One commitment to create in bulk (see `commitments_import`), its references resolved."""

    code: str
    title: str
    lead_organisation: Organisation
    start_year: int
    end_year: int
    description: str = ""
    goals: list[Goal] = field(default_factory=list)
    violence_areas: list[ViolenceArea] = field(default_factory=list)
    participating_organisations: list[Organisation] = field(default_factory=list)
    predecessor: Commitment | None = None
    predecessor_relation: str = ""


# How many of an import's codes its audit log entry lists (the rest are on the plan's page).
IMPORT_CODES_IN_AUDIT_LOG = 50


@transaction.atomic
def commitments_import(
    *, plan: ActionPlan, rows: Sequence[CommitmentData], user: User | None = None
) -> list[Commitment]:
    """Create many commitments in a plan at once: the same rows and grants as
    `commitment_create` for each, in a handful of queries whatever their number.

    The commitments, their goals, violence areas and participants, and their history (with the
    goals and participants, as the history of one commitment made by hand has them) are
    inserted in bulk; then one `commitments_access_sync` derives their grants, as for one.
    The caller has validated the rows (actionplan.imports); a code that the plan already has
    fails the whole import on the unique constraint.
    """
    commitments = Commitment.objects.bulk_create(
        [
            Commitment(
                plan=plan,
                code=row.code,
                title=row.title,
                description=row.description,
                lead_organisation=row.lead_organisation,
                start_year=row.start_year,
                end_year=row.end_year,
                predecessor=row.predecessor,
                predecessor_relation=row.predecessor_relation,
            )
            for row in rows
        ],
        batch_size=IMPORT_BATCH_SIZE,
    )
    links = {
        "goals": [
            (commitment, goal.pk)
            for commitment, row in zip(commitments, rows, strict=True)
            for goal in _distinct(row.goals)
        ],
        "violence_areas": [
            (commitment, area.pk)
            for commitment, row in zip(commitments, rows, strict=True)
            for area in _distinct(row.violence_areas)
        ],
        "participating_organisations": [
            (commitment, organisation.pk)
            for commitment, row in zip(commitments, rows, strict=True)
            for organisation in _distinct(row.participating_organisations)
        ],
    }
    for name, pairs in links.items():
        through = getattr(Commitment, name).through
        target = getattr(Commitment, name).field.m2m_reverse_field_name()
        through.objects.bulk_create(
            [
                through(commitment_id=commitment.pk, **{f"{target}_id": key})
                for commitment, key in pairs
            ],
            batch_size=IMPORT_BATCH_SIZE,
        )
    _history_for_import(commitments, user=user)
    commitments_access_sync(commitments=commitments)
    cache_versions.bump(cache_versions.DATA)
    # Bulk inserts pass the audit log's model signals by: the import is one event instead.
    codes = [commitment.code for commitment in commitments]
    record_event(
        Event.COMMITMENT_IMPORT,
        actor=user,
        target=plan,
        details={
            "count": len(codes),
            "codes": ", ".join(codes[:IMPORT_CODES_IN_AUDIT_LOG])
            + (" …" if len(codes) > IMPORT_CODES_IN_AUDIT_LOG else ""),
        },
    )
    return commitments


IMPORT_BATCH_SIZE = 2000


def _distinct(objects: Iterable) -> list:
    return list({obj.pk: obj for obj in objects}.values())


def _history_for_import(commitments, *, user) -> None:
    """The "created" history records of imported commitments, with their goals and participants
    (the many-to-many fields the history keeps), as django-simple-history writes them for one.

    The many-to-many history is copied from the rows just inserted in one INSERT … SELECT per
    field, rather than made into tens of thousands of model instances first.
    """
    history = Commitment.history.bulk_history_create(
        commitments,
        batch_size=IMPORT_BATCH_SIZE,
        default_user=user,
        default_change_reason="import",
    )
    history_ids = [record.pk for record in history]
    historical = Commitment.history.model
    with connection.cursor() as cursor:
        for m2m_field in historical._history_m2m_fields:
            m2m_history = historical._meta.get_field(
                f"historicalcommitment_{m2m_field.name}"
            ).related_model
            through = getattr(Commitment, m2m_field.name).through
            target = m2m_field.m2m_reverse_field_name()
            # Only the models' own table and column names are formatted in.
            columns = ", ".join(
                _column(m2m_history, name) for name in ("id", "commitment", target, "history")
            )
            link_columns = ", ".join(
                f"link.{_column(through, name)}" for name in ("id", "commitment", target)
            )
            record_id = f"record.{_column(historical, 'history_id')}"
            join = f"record.{_column(historical, 'id')} = link.{_column(through, 'commitment')}"
            for start in range(0, len(history_ids), IMPORT_BATCH_SIZE):
                batch = history_ids[start : start + IMPORT_BATCH_SIZE]
                cursor.execute(
                    f"INSERT INTO {m2m_history._meta.db_table} ({columns}) "
                    f"SELECT {link_columns}, {record_id} "
                    f"FROM {through._meta.db_table} link "
                    f"JOIN {historical._meta.db_table} record ON {join} "
                    f"WHERE {record_id} IN ({', '.join(['%s'] * len(batch))})",
                    batch,
                )


def _column(model, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


@transaction.atomic
def commitment_close(*, commitment: Commitment, state: str) -> Commitment:
    """Close a commitment as completed or dropped (cancelled): at the end of its plan, or when a
    commitment in a new plan continues or replaces it. The history records who did it."""
    if state not in (Commitment.State.COMPLETED, Commitment.State.CANCELLED):
        raise ValueError(f"A commitment is closed as completed or cancelled, not {state!r}.")
    commitment.state = state
    commitment.save(update_fields=["state", "updated_at"])
    cache_versions.bump(cache_versions.DATA)
    return commitment


@transaction.atomic
def delegation_grant(
    *, commitment: Commitment, membership: Membership, granted_by: User
) -> Delegation:
    """Let a colleague report on one commitment on their organisation's behalf."""
    if membership.organisation_id not in {
        organisation.pk for organisation in commitment.responsible_organisations()
    }:
        raise ValueError("The organisation does not carry the commitment.")
    delegation, created = Delegation.objects.get_or_create(
        commitment=commitment, membership=membership, defaults={"granted_by": granted_by}
    )
    commitments_access_sync(commitments=[commitment])
    if created and granted_by is not None and granted_by.pk != membership.user_id:
        from actionplan.tasks import delegation_notify as task

        # A person handed it on (not a script or the demo, which name nobody): tell the delegate.
        transaction.on_commit(lambda: task.delay(delegation.pk), robust=True)
    return delegation


def delegation_notify(*, delegation_id: int) -> bool:
    """E-mail the delegate that a commitment was delegated to them; False when there is no
    one to tell any more (the delegation ended, or the person left or has no address)."""
    from actors.emails import send_templated

    delegation = (
        Delegation.objects.select_related(
            "commitment__plan", "membership__user", "membership__organisation", "granted_by"
        )
        .filter(pk=delegation_id, membership__user__is_active=True)
        .first()
    )
    if delegation is None or not delegation.delegate.email:
        return False
    commitment, organisation = delegation.commitment, delegation.organisation
    send_templated(
        "actionplan/emails/delegation",
        {
            "name": delegation.delegate.first_name,
            "granted_by": str(delegation.granted_by or ""),
            "commitment": commitment,
            "organisation": organisation,
            "report_url": settings.SITE_URL
            + reverse(
                "followup:report-edit",
                kwargs={"commitment_pk": commitment.pk, "organisation_slug": organisation.slug},
            ),
            "tasks_url": settings.SITE_URL + reverse("followup:my-tasks"),
        },
        to=[delegation.delegate.email],
    )
    return True


@transaction.atomic
def delegation_invite(
    *, commitment: Commitment, organisation: Organisation, email: str, invited_by: User
) -> Invitation:
    """Invite a colleague to the organisation by e-mail and delegate the commitment to them
    when they accept. The caller has checked that `invited_by` may delegate it for the
    organisation (actionplan.permissions.delegating_organisations); acceptance checks again.

    A colleague already invited to the organisation and not yet answering gets this
    commitment on the same invitation, without a second e-mail.
    """
    invitation = (
        Invitation.objects.pending()
        .filter(
            email__iexact=email.strip(),
            organisation=organisation,
            role=Membership.Role.COLLEAGUE,
        )
        .order_by("-created_at")
        .first()
    )
    if invitation is None:
        invitation = actors_services.invitation_create(
            email=email,
            organisation=organisation,
            role=Membership.Role.COLLEAGUE,
            invited_by=invited_by,
        )
    PendingDelegation.objects.get_or_create(invitation=invitation, commitment=commitment)
    return invitation


def pending_delegations_fulfil(
    *, invitation: Invitation, user: User, membership: Membership | None
) -> list[Delegation]:
    """Delegate the commitments an invitation carries to the person who accepted it.

    Runs in the acceptance's transaction (an invitation hook). Each is checked again: the
    inviter must still coordinate the organisation, and the organisation still carry the
    commitment; what no longer holds is dropped, not delegated.
    """
    pending = list(invitation.pending_delegations.select_related("commitment"))
    invitation.pending_delegations.all().delete()
    inviter = invitation.invited_by
    if membership is None or inviter is None or not inviter.is_active:
        return []
    if not Membership.objects.filter(
        user=inviter,
        organisation=membership.organisation,
        organisation__is_active=True,
        role=Membership.Role.COORDINATOR,
    ).exists():
        return []
    delegations = []
    for item in pending:
        carried_by = {o.pk for o in item.commitment.responsible_organisations()}
        if membership.organisation_id in carried_by:
            delegations.append(
                delegation_grant(
                    commitment=item.commitment, membership=membership, granted_by=inviter
                )
            )
    return delegations


@transaction.atomic
def delegation_revoke(*, delegation: Delegation) -> None:
    commitment = delegation.commitment
    delegation.delete()
    commitments_access_sync(commitments=[commitment])


# --- The grants, derived from the domain rows ---------------------------------------------------


def report_permission() -> Permission:
    return Permission.objects.get(content_type__app_label="actionplan", codename=REPORT_CODENAME)


def _scope(commitments: Iterable[Commitment] | QuerySet | None) -> QuerySet[Commitment]:
    queryset = Commitment.objects.all()
    if commitments is None:
        return queryset
    if isinstance(commitments, QuerySet):
        return queryset.filter(pk__in=commitments.values("pk"))
    return queryset.filter(pk__in=[commitment.pk for commitment in commitments])


def _responsible(scope: QuerySet[Commitment]) -> set[tuple[int, int]]:
    """(commitment, organisation) for every organisation that carries a commitment."""
    lead = scope.values_list("pk", "lead_organisation")
    participants = Commitment.participating_organisations.through.objects.filter(
        commitment__in=scope
    ).values_list("commitment", "organisation")
    return {*lead, *participants}


def expected_grants(commitments=None, *, responsible=None) -> set[Grant]:
    """The grants the domain rows call for; `responsible` when the caller has already read it."""
    scope = _scope(commitments)
    by_organisation = {
        (commitment_id, BY_ORGANISATION, organisation_id)
        for commitment_id, organisation_id in (
            _responsible(scope) if responsible is None else responsible
        )
    }
    by_membership = set(
        Delegation.objects.filter(commitment__in=scope).values_list("commitment", "membership")
    )
    return by_organisation | {
        (commitment_id, BY_MEMBERSHIP, membership_id)
        for commitment_id, membership_id in by_membership
    }


def actual_grants(commitments=None) -> dict[Grant, int]:
    """The report grants in guardian's table, by what they stand for, with their row ids.

    A grant to any other group stands for nothing and is keyed ("group", group id).
    """
    rows = CommitmentGroupObjectPermission.objects.filter(
        content_object__in=_scope(commitments), permission__codename=REPORT_CODENAME
    ).values_list(
        "pk",
        "content_object",
        "group",
        "group__coordinatorgroup__organisation",
        "group__membergroup__membership",
    )
    grants = {}
    for pk, commitment_id, group_id, organisation_id, membership_id in rows:
        if organisation_id is not None:
            grants[(commitment_id, BY_ORGANISATION, organisation_id)] = pk
        elif membership_id is not None:
            grants[(commitment_id, BY_MEMBERSHIP, membership_id)] = pk
        else:
            grants[(commitment_id, "group", group_id)] = pk
    return grants


def stray_generic_grants() -> tuple[QuerySet, QuerySet]:
    """Grants on commitments in guardian's generic tables: nothing should ever write these."""
    content_type = ContentType.objects.get_for_model(Commitment)
    return (
        UserObjectPermission.objects.filter(content_type=content_type),
        GroupObjectPermission.objects.filter(content_type=content_type),
    )


@dataclass
class AccessDifference:
    missing: set[Grant]
    surplus: dict[Grant, int]
    stray: int

    def __bool__(self) -> bool:
        return bool(self.missing or self.surplus or self.stray)


def commitments_access_difference(commitments=None, *, responsible=None) -> AccessDifference:
    expected = expected_grants(commitments, responsible=responsible)
    actual = actual_grants(commitments)
    stray = 0 if commitments is not None else sum(q.count() for q in stray_generic_grants())
    return AccessDifference(
        missing=expected - actual.keys(),
        surplus={grant: pk for grant, pk in actual.items() if grant not in expected},
        stray=stray,
    )


@transaction.atomic
def commitments_access_sync(*, commitments=None) -> AccessDifference:
    """Bring the report grants of these commitments (or all) in line with the domain rows.

    A delegation is made on an organisation's behalf: it ends with the organisation's
    responsibility for the commitment. Only the difference is written, so running it again
    changes nothing. Returns what it changed.
    """
    scope = _scope(commitments)
    responsible = _responsible(scope)
    ended = [
        delegation.pk
        for delegation in Delegation.objects.filter(commitment__in=scope).select_related(
            "membership"
        )
        if (delegation.commitment_id, delegation.membership.organisation_id) not in responsible
    ]
    Delegation.objects.filter(pk__in=ended).delete()

    difference = commitments_access_difference(commitments, responsible=responsible)
    CommitmentGroupObjectPermission.objects.filter(pk__in=difference.surplus.values()).delete()
    if commitments is None:
        for queryset in stray_generic_grants():
            queryset.delete()
    groups = _groups_for(difference.missing)
    permission = report_permission() if difference.missing else None
    CommitmentGroupObjectPermission.objects.bulk_create(
        [
            CommitmentGroupObjectPermission(
                content_object_id=commitment_id,
                group_id=groups[(kind, key)],
                permission=permission,
            )
            for commitment_id, kind, key in sorted(difference.missing)
        ],
        batch_size=2000,
    )
    return difference


def _groups_for(grants: set[Grant]) -> dict[tuple[str, int], int]:
    """The group of each organisation and membership named in `grants`, made where missing."""
    coordinators, members = actors_services.access_groups_for(
        organisation_ids={key for _c, kind, key in grants if kind == BY_ORGANISATION},
        membership_ids={key for _c, kind, key in grants if kind == BY_MEMBERSHIP},
    )
    return {(BY_ORGANISATION, key): pk for key, pk in coordinators.items()} | {
        (BY_MEMBERSHIP, key): pk for key, pk in members.items()
    }
