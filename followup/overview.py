"""One reporting period as the county sees it: who must report what, who has, what is missing."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from actionplan.models import Commitment, Goal
from actors.models import Organisation
from followup.models import REPORTED_STATES, ReportingPeriod


@dataclass
class PeriodObligations:
    """Every (commitment, organisation) that owes a report in the period, read in three queries.

    Worked out from the commitments, not from the people, so that an organisation that has lost
    its coordinator still shows as late. The overview and the reminder sweep both read this.
    """

    in_scope: QuerySet[Commitment]
    commitments: dict[int, tuple[str, str]]  # in scope: code and title
    obligations: set[tuple[int, int]]
    reported: set[tuple[int, int]]

    @classmethod
    def load(cls, period: ReportingPeriod) -> "PeriodObligations":
        in_scope = Commitment.objects.in_scope_for_year(period.year)
        commitments, obligations = {}, set()
        # An inactive organisation owes nothing: it leaves the coverage and the reminders.
        for pk, code, title, lead_id, lead_active in in_scope.values_list(
            "pk", "code", "title", "lead_organisation", "lead_organisation__is_active"
        ):
            commitments[pk] = (code, title)
            if lead_active:
                obligations.add((pk, lead_id))
        obligations |= set(
            Commitment.participating_organisations.through.objects.filter(
                commitment__in=in_scope, organisation__is_active=True
            ).values_list("commitment", "organisation")
        )
        reported = set(
            period.progress_reports.filter(state__in=REPORTED_STATES).values_list(
                "commitment", "organisation"
            )
        )
        return cls(
            in_scope=in_scope,
            commitments=commitments,
            obligations=obligations,
            reported=reported & obligations,
        )

    @property
    def missing(self) -> set[tuple[int, int]]:
        return self.obligations - self.reported


@dataclass
class OrganisationRow:
    organisation: Organisation
    expected: int = 0
    reported: int = 0
    cells: list[int] = field(default_factory=list)  # missing per goal, in the goals' order

    @property
    def missing(self) -> int:
        return self.expected - self.reported


@dataclass
class PeriodOverview:
    period: ReportingPeriod
    goals: list[Goal]
    rows: list[OrganisationRow]
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
    def late(self) -> list[OrganisationRow]:
        return [row for row in self.rows if row.missing]


def period_overview(period: ReportingPeriod) -> PeriodOverview:
    """Reads the whole picture in six queries, whatever the number of organisations."""
    owed = PeriodObligations.load(period)
    goals_of = defaultdict(set)
    for commitment_id, goal_id in Commitment.goals.through.objects.filter(
        commitment__in=owed.in_scope
    ).values_list("commitment", "goal"):
        goals_of[commitment_id].add(goal_id)
    goals = list(Goal.objects.filter(strategy__action_plans__isnull=False).distinct())
    column = {goal.pk: index for index, goal in enumerate(goals)}
    organisations = Organisation.objects.in_bulk(
        {organisation_id for _commitment, organisation_id in owed.obligations}
    )
    rows = {
        pk: OrganisationRow(organisation, cells=[0] * len(goals))
        for pk, organisation in organisations.items()
    }
    for commitment_id, organisation_id in owed.obligations:
        row = rows[organisation_id]
        row.expected += 1
        if (commitment_id, organisation_id) in owed.reported:
            row.reported += 1
            continue
        for goal_id in goals_of[commitment_id]:
            row.cells[column[goal_id]] += 1
    unreported_commitments = {commitment_id for commitment_id, _org in owed.missing}
    return PeriodOverview(
        period=period,
        goals=goals,
        rows=sorted(rows.values(), key=lambda row: (-row.missing, row.organisation.name)),
        commitments_in_scope=len(owed.commitments),
        commitments_fully_reported=len(owed.commitments) - len(unreported_commitments),
    )
