"""One reporting period as the county sees it: who must report what, who has, what is missing.

What a period owes is defined once, by `owed_reports` and `counted_reports`. The reminder sweep
reads them as Python sets (`PeriodObligations`: it needs every pair); the overview has them
counted in the database (`PeriodFigures`: it needs totals per organisation and goal only), and
keeps the counts in the cache until something they depend on changes.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils.translation import get_language

from actionplan.models import Commitment, Goal
from actors import cache_versions
from actors.models import Membership, Organisation
from followup.models import (
    REPORTED_STATES,
    ProgressReport,
    Reminder,
    ReportingPeriod,
    ReportState,
)


def in_scope(period: ReportingPeriod) -> QuerySet[Commitment]:
    return Commitment.objects.in_scope_for_year(period.year).order_by()


def owed_reports(period: ReportingPeriod) -> QuerySet:
    """(commitment, organisation) for every report the period owes, each once.

    The lead and every participant of each commitment in scope owe one. An inactive organisation
    owes nothing: it leaves the coverage and the reminders. Worked out from the commitments, not
    from the people, so that an organisation that has lost its coordinator still shows as late.
    """
    commitments = in_scope(period)
    leads = commitments.filter(lead_organisation__is_active=True).values_list(
        "pk", "lead_organisation"
    )
    participants = (
        Commitment.participating_organisations.through.objects.filter(
            commitment__in=commitments, organisation__is_active=True
        )
        .order_by()
        .values_list("commitment", "organisation")
    )
    return leads.union(participants)


def counted_reports(period: ReportingPeriod) -> QuerySet:
    """(commitment, organisation) of every report of the period that counts as sent in.

    Only those that are also owed (`owed_reports`) count towards the figures.
    """
    return (
        period.progress_reports.filter(state__in=REPORTED_STATES)
        .order_by()
        .values_list("commitment", "organisation")
    )


@dataclass
class PeriodObligations:
    """Every (commitment, organisation) that owes a report in the period, read in three queries.

    The reminder sweep reads this; the overview counts the same pairs in SQL (`PeriodFigures`).
    """

    in_scope: QuerySet[Commitment]
    commitments: dict[int, tuple[str, str]]  # in scope: code and title
    obligations: set[tuple[int, int]]
    reported: set[tuple[int, int]]

    @classmethod
    def load(cls, period: ReportingPeriod) -> "PeriodObligations":
        commitments = in_scope(period)
        codes_and_titles = commitments.values_list("pk", "code", "title")
        obligations = set(owed_reports(period))
        return cls(
            in_scope=commitments,
            commitments={pk: (code, title) for pk, code, title in codes_and_titles},
            obligations=obligations,
            reported=set(counted_reports(period)) & obligations,
        )

    @property
    def missing(self) -> set[tuple[int, int]]:
        return self.obligations - self.reported


# --- The overview's figures, counted in the database ------------------------------------------


class GoalColumn(NamedTuple):
    pk: int
    number: int
    title: str


class OrganisationFigures(NamedTuple):
    """One organisation's reports in the period; `cells` are missing reports per goal column."""

    pk: int
    name: str
    short_name: str
    slug: str
    kind: str
    affiliation: str
    expected: int
    reported: int
    cells: tuple[int, ...]

    @property
    def missing(self) -> int:
        return self.expected - self.reported


class PeriodFigures(NamedTuple):
    """What the overview shows of a period, for the whole county: plain values, cached."""

    goals: tuple[GoalColumn, ...]
    rows: tuple[OrganisationFigures, ...]  # those that owe anything, most missing first
    goal_totals: tuple[int, ...]  # missing reports per goal column, all organisations
    commitments_in_scope: int
    commitments_fully_reported: int

    @property
    def expected(self) -> int:
        return sum(row.expected for row in self.rows)

    @property
    def reported(self) -> int:
        return sum(row.reported for row in self.rows)

    @property
    def share(self) -> int:
        return round(100 * self.reported / self.expected) if self.expected else 100

    @property
    def late(self) -> list[OrganisationFigures]:
        return [row for row in self.rows if row.missing]

    def with_goals(self, row: OrganisationFigures) -> tuple[tuple[GoalColumn, int], ...]:
        """The row's cells, each with the goal of its column (for links to what is missing)."""
        return tuple(zip(self.goals, row.cells, strict=True))

    def rows_matching(
        self, *, text: str = "", kind: str = "", affiliation: str = ""
    ) -> list[OrganisationFigures]:
        """The rows of the organisations of a kind, a role, or with `text` in their name."""
        text = text.strip().casefold()
        return [
            row
            for row in self.rows
            if (not kind or row.kind == kind)
            and (not affiliation or row.affiliation == affiliation)
            and (not text or text in row.name.casefold() or text in row.short_name.casefold())
        ]


def _sql(queryset: QuerySet) -> tuple[str, tuple]:
    return queryset.query.get_compiler(connection=connection).as_sql()


def _counts(period: ReportingPeriod) -> list[tuple[int | None, int | None, int, int]]:
    """The counts the overview needs, in one statement over the pairs that define the period.

    Raw SQL because the ORM cannot aggregate over a union; every part of it is compiled from
    the querysets above, so it counts exactly the pairs that PeriodObligations reads. Rows:
    (organisation, None, owed, counted), (organisation, goal, missing, 0), and one
    (None, None, commitments in scope, commitments with a missing report).
    """
    parts = [
        _sql(in_scope(period).values("pk")),
        _sql(owed_reports(period)),
        _sql(counted_reports(period)),
        _sql(
            Commitment.goals.through.objects.filter(commitment__in=in_scope(period))
            .order_by()
            .values_list("commitment", "goal")
        ),
    ]
    sql = """
        WITH scope (commitment_id) AS ({}),
        owed (commitment_id, organisation_id) AS ({}),
        counted (commitment_id, organisation_id) AS ({}),
        goal_of (commitment_id, goal_id) AS ({}),
        obligation AS (
            SELECT owed.commitment_id, owed.organisation_id,
                   counted.commitment_id IS NULL AS missing
            FROM owed LEFT JOIN counted
              ON counted.commitment_id = owed.commitment_id
             AND counted.organisation_id = owed.organisation_id
        )
        SELECT organisation_id, NULL, COUNT(*), COUNT(*) FILTER (WHERE NOT missing)
        FROM obligation GROUP BY organisation_id
        UNION ALL
        SELECT obligation.organisation_id, goal_of.goal_id, COUNT(*), 0
        FROM obligation JOIN goal_of ON goal_of.commitment_id = obligation.commitment_id
        WHERE missing GROUP BY obligation.organisation_id, goal_of.goal_id
        UNION ALL
        SELECT NULL, NULL, (SELECT COUNT(*) FROM scope),
               (SELECT COUNT(DISTINCT commitment_id) FROM obligation WHERE missing)
    """.format(*(part_sql for part_sql, _params in parts))
    params = [param for _sql_text, part_params in parts for param in part_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def period_figures_read(period: ReportingPeriod) -> PeriodFigures:
    """Counts the whole period in three queries, whatever the number of organisations."""
    goals = tuple(
        GoalColumn(*values)
        for values in Goal.objects.filter(strategy__action_plans__isnull=False)
        .distinct()
        .values_list("pk", "number", "title")
    )
    column = {goal.pk: index for index, goal in enumerate(goals)}
    owed, cells = {}, {}
    commitments_in_scope = commitments_with_missing = 0
    for organisation_id, goal_id, count, counted in _counts(period):
        if organisation_id is None:
            commitments_in_scope, commitments_with_missing = count, counted
        elif goal_id is None:
            owed[organisation_id] = (count, counted)
        elif goal_id in column:
            cells.setdefault(organisation_id, [0] * len(goals))[column[goal_id]] = count
    empty = (0,) * len(goals)
    rows = [
        OrganisationFigures(
            pk, name, short_name, slug, kind, affiliation, *owed[pk], tuple(cells.get(pk, empty))
        )
        for pk, name, short_name, slug, kind, affiliation in Organisation.objects.filter(
            pk__in=list(owed)
        ).values_list("pk", "name", "short_name", "slug", "kind", "affiliation")
    ]
    rows.sort(key=lambda row: (-row.missing, row.name))
    return PeriodFigures(
        goals=goals,
        rows=tuple(rows),
        goal_totals=tuple(map(sum, zip(empty, *cells.values(), strict=True))),
        commitments_in_scope=commitments_in_scope,
        commitments_fully_reported=commitments_in_scope - commitments_with_missing,
    )


def period_scope(period_id: int) -> str:
    """The cache version scope of what is kept of one period (bumped by followup.services)."""
    return f"period-{period_id}"


def period_figures(period: ReportingPeriod) -> PeriodFigures:
    """The period's figures, from the cache while nothing they count has changed.

    Kept under the version of the period's own data (its reports: followup.services bump it)
    and of the data every period reads (organisations, commitments, goals: actors and
    actionplan bump it).
    """
    return cache_versions.cached(
        # Per language: the goals' titles in the figures are in the interface's (English names).
        f"followup:period-figures:{period.pk}:{get_language()}",
        (cache_versions.DATA, period_scope(period.pk)),
        lambda: period_figures_read(period),
    )


# --- Who to call about a late organisation, and when it was last reminded ------------------


class LateOrganisation(NamedTuple):
    """A row of the overview's late organisations, with who to call and when it was reminded."""

    row: OrganisationFigures
    contacts: list["Contact"]
    last_reminded: datetime.datetime | None


def late_organisations_detail(
    period: ReportingPeriod, rows: list[OrganisationFigures]
) -> list[LateOrganisation]:
    """The rows (a page of them) with their contacts and last reminder: two queries in all."""
    ids = [row.pk for row in rows]
    if not ids:
        return []
    contacts = contacts_by_organisation(ids)
    reminded = last_reminded(period, ids)
    return [LateOrganisation(row, contacts.get(row.pk, []), reminded.get(row.pk)) for row in rows]


class Contact(NamedTuple):
    name: str
    email: str
    is_contact_person: bool


def contacts_by_organisation(organisation_ids: list[int]) -> dict[int, list[Contact]]:
    """The people county staff turn to about each organisation, in one query: its coordinators
    and its contact persons (who hear of escalations), contact persons first."""
    contacts = defaultdict(list)
    memberships = (
        Membership.objects.filter(organisation__in=organisation_ids, user__is_active=True)
        .filter(Q(role=Membership.Role.COORDINATOR) | Q(is_contact_person=True))
        .order_by("-is_contact_person", "user__last_name", "user__first_name", "user__username")
        .values_list(
            "organisation",
            "user__first_name",
            "user__last_name",
            "user__username",
            "user__email",
            "is_contact_person",
        )
    )
    for organisation_id, first, last, username, email, is_contact in memberships:
        name = f"{first} {last}".strip() or username
        contacts[organisation_id].append(Contact(name, email, is_contact))
    return dict(contacts)


# The reminders that ask an organisation's reporters for its missing reports. Escalations are
# left out: county staff's copy lists every late organisation, and reminded none of them.
REMINDING_KINDS = (Reminder.Kind.BEFORE_DUE, Reminder.Kind.OVERDUE, Reminder.Kind.MANUAL)


def last_reminded(
    period: ReportingPeriod, organisation_ids: list[int]
) -> dict[int, datetime.datetime]:
    """When each organisation was last reminded in the period, in one query.

    A daily reminder goes to a person and may list several organisations' reports: the
    organisation is found in what the e-mail listed (each item's organisation_id), not in the
    row's own organisation, which only county staff's reminders carry. Only e-mails delivered
    to the mail server count.
    """
    if not organisation_ids:
        return {}
    if connection.vendor != "postgresql":
        return _last_reminded_in_python(period, organisation_ids)
    sql = f"""
        SELECT item ->> 'organisation_id', MAX(reminder.sent_at)
        FROM {Reminder._meta.db_table} AS reminder
        CROSS JOIN LATERAL jsonb_array_elements(
            CASE WHEN jsonb_typeof(reminder.payload -> 'items') = 'array'
                 THEN reminder.payload -> 'items' ELSE '[]'::jsonb END
        ) AS item
        WHERE reminder.period_id = %s AND reminder.sent_at IS NOT NULL
          AND reminder.kind = ANY(%s)
          AND item ->> 'organisation_id' = ANY(%s)
        GROUP BY 1
    """
    params = [period.pk, list(REMINDING_KINDS), [str(pk) for pk in organisation_ids]]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {int(organisation_id): sent_at for organisation_id, sent_at in cursor.fetchall()}


def _last_reminded_in_python(
    period: ReportingPeriod, organisation_ids: list[int]
) -> dict[int, datetime.datetime]:
    """`last_reminded` for the SQLite quick start, which has no jsonb functions: the same answer
    from reading the period's delivered reminders one by one (a demo holds a few hundred)."""
    wanted = set(organisation_ids)
    last: dict[int, datetime.datetime] = {}
    delivered = Reminder.objects.filter(
        period=period, sent_at__isnull=False, kind__in=REMINDING_KINDS
    ).values_list("payload", "sent_at")
    for payload, sent_at in delivered:
        items = payload.get("items") if isinstance(payload, dict) else None
        for item in items if isinstance(items, list) else []:
            try:
                organisation_id = int(item.get("organisation_id"))
            except (AttributeError, TypeError, ValueError):
                continue
            if organisation_id in wanted:
                last[organisation_id] = max(sent_at, last.get(organisation_id, sent_at))
    return last


# --- One organisation's commitments in one period, with the state of its report ------------


def organisation_obligations(
    period: ReportingPeriod, organisation: Organisation, *, goal=None, missing_only=False
) -> QuerySet[Commitment]:
    """The commitments in scope that the organisation leads or takes part in (the pairs of
    `owed_reports` for it), each with its report's pk and state in the period (None: not
    started), the missing ones first.
    """
    participates = Commitment.participating_organisations.through.objects.filter(
        commitment=OuterRef("pk"), organisation=organisation
    )
    report = ProgressReport.objects.filter(
        period=period, organisation=organisation, commitment=OuterRef("pk")
    )
    commitments = (
        in_scope(period)
        .filter(Q(lead_organisation=organisation) | Q(Exists(participates)))
        .annotate(
            report_pk=Subquery(report.values("pk")[:1]),
            report_state=Subquery(report.values("state")[:1]),
        )
        .annotate(
            is_reported=Case(
                When(report_state__in=REPORTED_STATES, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
    )
    if goal is not None:
        commitments = commitments.filter(
            Exists(Commitment.goals.through.objects.filter(commitment=OuterRef("pk"), goal=goal))
        )
    if missing_only:
        commitments = commitments.filter(is_reported=0)
    return (
        commitments.select_related("plan")
        .prefetch_related("goals")
        .order_by("is_reported", "code", "pk")
    )


# --- What locking a period leaves unfinished ---------------------------------------------------


class LockSummary(NamedTuple):
    """The period's owed reports that are not sent in, by how far they got, and the reports
    sent in that still wait for review (a locked period takes no review)."""

    missing: int
    drafts: int
    returned: int
    waiting_for_review: int

    @property
    def not_started(self) -> int:
        return max(0, self.missing - self.drafts - self.returned)


def lock_summary(period: ReportingPeriod) -> LockSummary:
    """Counted with the overview's figures (cached) and one query over the period's reports."""
    figures = period_figures(period)
    participates = Commitment.participating_organisations.through.objects.filter(
        commitment=OuterRef("commitment"), organisation=OuterRef("organisation")
    )
    active_owed = period.progress_reports.filter(
        Q(commitment__lead_organisation=F("organisation")) | Q(Exists(participates)),
        commitment__in=in_scope(period),
        organisation__is_active=True,
    )
    counts = active_owed.aggregate(
        drafts=Count("pk", filter=Q(state=ReportState.DRAFT)),
        returned=Count("pk", filter=Q(state=ReportState.RETURNED)),
        waiting=Count("pk", filter=Q(state=ReportState.SUBMITTED)),
    )
    return LockSummary(
        missing=figures.expected - figures.reported,
        drafts=counts["drafts"],
        returned=counts["returned"],
        waiting_for_review=counts["waiting"],
    )


# --- One organisation's record, period by period ---------------------------------------------


class RecordRow(NamedTuple):
    """What one organisation owed and sent in during one reporting period."""

    period: ReportingPeriod
    owed: int
    reported: int
    approved: int

    @property
    def missing(self) -> int:
        return self.owed - self.reported


def _count(queryset: QuerySet) -> Subquery:
    return Subquery(
        queryset.order_by().annotate(count=Func(F("pk"), function="COUNT")).values("count"),
        output_field=IntegerField(),
    )


def organisation_record(organisation: Organisation) -> list[RecordRow]:
    """Every period's reports of one organisation, newest first, in one query.

    Owed: the commitments in scope in the period's year that the organisation leads or takes
    part in, the pairs of `owed_reports`, except that an inactive organisation's record still
    shows what its commitments asked of it. Reported: those with a report that counts as sent
    in (`counted_reports`); approved: those of them approved.
    """
    through = Commitment.participating_organisations.through.objects
    owed = (
        Commitment.objects.filter(start_year__lte=OuterRef("year"), end_year__gte=OuterRef("year"))
        .exclude(state=Commitment.State.CANCELLED)
        .filter(
            Q(lead_organisation=organisation)
            | Q(Exists(through.filter(commitment=OuterRef("pk"), organisation=organisation)))
        )
    )
    reports = (
        ProgressReport.objects.filter(
            period=OuterRef("pk"),
            organisation=organisation,
            commitment__start_year__lte=OuterRef("year"),
            commitment__end_year__gte=OuterRef("year"),
        )
        .exclude(commitment__state=Commitment.State.CANCELLED)
        .filter(
            Q(commitment__lead_organisation=organisation)
            | Q(
                Exists(through.filter(commitment=OuterRef("commitment"), organisation=organisation))
            )
        )
    )
    periods = ReportingPeriod.objects.order_by("-year").annotate(
        owed=_count(owed),
        reported=_count(reports.filter(state__in=REPORTED_STATES)),
        approved=_count(reports.filter(state=ReportState.APPROVED)),
    )
    return [RecordRow(period, period.owed, period.reported, period.approved) for period in periods]
