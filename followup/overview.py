"""The county's view of one reporting period: who has reported, and what is missing."""

from collections import defaultdict
from dataclasses import dataclass, field

from actionplan.models import Commitment, Goal
from actors.models import Organisation
from followup.models import ReportingPeriod, ReportState


@dataclass
class OrganisationRow:
    organisation: Organisation
    expected: int = 0
    reported: int = 0
    missing_by_goal: dict[int, int] = field(default_factory=dict)
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
    in_scope = Commitment.objects.in_scope_for_year(period.year)
    leads = list(in_scope.values_list("pk", "lead_organisation"))
    participants = list(
        Commitment.participating_organisations.through.objects.filter(
            commitment__in=in_scope
        ).values_list("commitment", "organisation")
    )
    goals_of = defaultdict(set)
    for commitment_id, goal_id in Commitment.goals.through.objects.filter(
        commitment__in=in_scope
    ).values_list("commitment", "goal"):
        goals_of[commitment_id].add(goal_id)
    reported = set(
        period.progress_reports.filter(
            state__in=[ReportState.SUBMITTED, ReportState.APPROVED]
        ).values_list("commitment", "organisation")
    )
    obligations = set(leads) | set(participants)
    organisations = Organisation.objects.in_bulk(
        {organisation_id for _commitment, organisation_id in obligations}
    )
    rows = {pk: OrganisationRow(organisation) for pk, organisation in organisations.items()}
    unreported_commitments = set()
    for commitment_id, organisation_id in obligations:
        row = rows[organisation_id]
        row.expected += 1
        if (commitment_id, organisation_id) in reported:
            row.reported += 1
            continue
        unreported_commitments.add(commitment_id)
        for goal_id in goals_of[commitment_id]:
            row.missing_by_goal[goal_id] = row.missing_by_goal.get(goal_id, 0) + 1
    goals = list(Goal.objects.filter(strategy__action_plans__isnull=False).distinct())
    for row in rows.values():
        row.cells = [row.missing_by_goal.get(goal.pk, 0) for goal in goals]
    return PeriodOverview(
        period=period,
        goals=goals,
        rows=sorted(rows.values(), key=lambda row: (-row.missing, row.organisation.name)),
        commitments_in_scope=len(leads),
        commitments_fully_reported=len(leads) - len(unreported_commitments),
    )
