"""One reporting period as the county sees it: who must report what, who has, what is missing.

What a period owes is defined once, by `owed_reports` and `counted_reports`. The reminder sweep
reads them as Python sets (`PeriodObligations`: it needs every pair); the overview has them
counted in the database (`PeriodFigures`: it needs totals per organisation and goal only), and
keeps the counts in the cache until something they depend on changes.
"""

from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection
from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import get_language

from actionplan.models import Commitment, Goal
from actors import cache_versions
from actors.models import Organisation
from followup.models import REPORTED_STATES, ProgressReport, ReportingPeriod, ReportState


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
