"""What a county report says, gathered once from the database, rendered by every format.

`collect` reads the data for one year and returns a `ReportContent`: plain, frozen values and no
model instances, so that the PDF, the workbook and the Word document are all built from the same
content, and the same data always gives the same content (its checksum names a build's input).
"""

import datetime
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from actionplan.models import Commitment, Goal
from actors.models import Organisation
from countyreport.models import CountyReport, GoalAnalysis
from followup.models import REPORTED_STATES, ReportingPeriod, ReportState, ReportStatus
from followup.overview import PeriodObligations
from indicators.report import ReportIndicator as IndicatorSection
from indicators.report import ReportIndicatorValue as IndicatorValueRow
from indicators.report import ReportIndicatorYear as IndicatorYear  # noqa: F401 (the contract)
from indicators.report import (
    assessment_method,
    goal_indicators_for_report,
    indicator_values_for_report,
)


@dataclass(frozen=True)
class CoverageRow:
    """How many of the reports a row (an organisation or a goal) owed for the year came in."""

    label: str
    owed: int
    reported: int

    @property
    def share(self) -> int:
        return round(100 * self.reported / self.owed) if self.owed else 0


@dataclass(frozen=True)
class StatusCount:
    status: str  # the status' label, in the language the report is built in
    count: int


@dataclass(frozen=True)
class Coverage:
    owed: int
    reported: int
    by_organisation: tuple[CoverageRow, ...]
    by_goal: tuple[CoverageRow, ...]
    statuses: tuple[StatusCount, ...]


@dataclass(frozen=True)
class CommitmentLine:
    code: str
    title: str
    organisations: str  # the lead organisation first, then the participants
    status: str  # the latest report's status label, or "Ingen rapport"
    percent_done: int | None
    excerpt: str  # the start of the latest report's "what has been done"


@dataclass(frozen=True)
class GoalSection:
    number: int
    title: str
    analysis: str
    indicators: tuple[IndicatorSection, ...]
    commitments: tuple[CommitmentLine, ...]


@dataclass(frozen=True)
class OrganisationAnnex:
    name: str
    commitments: tuple[CommitmentLine, ...]


@dataclass(frozen=True)
class MissingReport:
    organisation: str
    code: str
    title: str


@dataclass(frozen=True)
class ProgressReportRow:
    """One row of the workbook's progress report sheet."""

    code: str
    commitment: str
    organisation: str
    state: str
    status: str
    percent_done: int
    submitted_on: datetime.date | None
    work_done: str
    results: str


@dataclass(frozen=True)
class ReportContent:
    year: int
    title: str
    summary: str
    coverage: Coverage
    goals: tuple[GoalSection, ...]
    annexes: tuple[OrganisationAnnex, ...]
    missing: tuple[MissingReport, ...]
    method: tuple[str, ...]  # the method section's paragraphs
    progress_reports: tuple[ProgressReportRow, ...] = field(default=())
    indicator_values: tuple[IndicatorValueRow, ...] = field(default=())
    # The day the data was read: the date on the cover and in the files' properties. The files
    # never read the clock, so that the same content gives the same files.
    built_on: datetime.date | None = None


# --- Gathering the content --------------------------------------------------------------------

EXCERPT_LENGTH = 300


def collect(year: int) -> ReportContent:
    """The content of the county report of `year`, in a fixed number of queries.

    Who owed which report is read from followup.overview (owed_reports and counted_reports, the
    same pairs as the overview and the reminders), so the report and the portal never disagree.
    Everything is sorted on stable keys, so that the same data always gives the same content.
    Raises ReportingPeriod.DoesNotExist for a year without a reporting period.
    """
    period = ReportingPeriod.objects.get(year=year)
    report = CountyReport.objects.filter(period=period).first()
    analyses = (
        dict(GoalAnalysis.objects.filter(report=report).values_list("goal_id", "text"))
        if report
        else {}
    )
    data = _YearData.load(period)
    goals = list(
        Goal.objects.filter(
            strategy__action_plans__start_year__lte=year,
            strategy__action_plans__end_year__gte=year,
        )
        .distinct()
        .order_by("number", "pk")
        .values_list("pk", "number", "title")
    )
    indicator_sections = _indicator_sections(year)
    return ReportContent(
        year=year,
        title=str(_("Regional lägesrapport %(year)s") % {"year": year}),
        summary=report.summary if report else "",
        coverage=data.coverage(goals),
        goals=tuple(
            GoalSection(
                number=number,
                title=title,
                analysis=analyses.get(pk, ""),
                indicators=indicator_sections.get(number, ()),
                commitments=tuple(data.line(pk_) for pk_ in data.commitments_of_goal(pk)),
            )
            for pk, number, title in goals
        ),
        annexes=data.annexes(),
        missing=data.missing(),
        method=method_paragraphs() + assessment_method(),
        progress_reports=data.progress_report_rows(),
        indicator_values=indicator_values_for_report(year),
        built_on=timezone.localdate(),
    )


def _indicator_sections(year: int) -> dict[int, tuple[IndicatorSection, ...]]:
    """The indicator sections per goal number, as the indicators app gives them."""
    return {goal.number: goal.indicators for goal in goal_indicators_for_report(year)}


def method_paragraphs() -> tuple[str, ...]:
    return (
        str(
            _(
                "Varje organisation som leder eller medverkar i ett åtagande som pågår under året "
                "ska lämna en lägesrapport om åtagandet. Organisationer som inte längre är aktiva "
                "räknas inte. Åtaganden som har avbrutits räknas inte heller."
            )
        ),
        str(
            _(
                "En rapport räknas som inkommen när den är inskickad eller godkänd. Utkast och "
                "rapporter som har återsänts för komplettering räknas som saknade. Andelen "
                "inkomna rapporter är antalet inkomna delat med antalet rapporter som skulle "
                "lämnas, avrundat till hela procent."
            )
        ),
        str(
            _(
                "Ett åtagande som hör till flera mål räknas under vart och ett av dem. Per mål "
                "och per organisation räknas varje rapport som skulle lämnas en gång."
            )
        ),
        str(
            _(
                "Ett åtagandes status och andel genomfört är de som den senast inskickade "
                "rapporten om åtagandet anger, oavsett vilken av organisationerna som skickade "
                "in den. Statusarna och andelarna läggs inte ihop till ett medelvärde: "
                "fördelningen av statusar räknar de inkomna rapporterna, en gång var."
            )
        ),
        str(
            _(
                "I bilagan per organisation visas organisationens egen rapport om varje "
                "åtagande. Utdragen är början av texten om vad som har gjorts."
            )
        ),
    )


def excerpt(text: str) -> str:
    """The first ~300 characters of a text, whitespace collapsed, cut at a word."""
    return Truncator(" ".join(text.split())).chars(EXCERPT_LENGTH)


def _code_key(code: str) -> tuple:
    """Sorts "2.10" after "2.9": numbers as numbers, the rest as text."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.split(r"(\d+)", code)
        if part
    )


class _Report(NamedTuple):
    commitment_id: int
    organisation_id: int
    state: str
    status: str
    percent_done: int
    submitted_at: datetime.datetime | None
    work_done: str
    results: str
    pk: int


@dataclass
class _YearData:
    """The year's rows, read once, in plain values."""

    obligations: PeriodObligations
    commitments: dict[int, tuple[str, str, int]]  # pk: code, title, lead organisation
    participants: dict[int, list[int]]
    goals_of: dict[int, list[int]]
    organisations: dict[int, str]
    reports: list[_Report]

    @classmethod
    def load(cls, period: ReportingPeriod) -> "_YearData":
        obligations = PeriodObligations.load(period)
        commitments = {
            pk: (code, title, lead)
            for pk, code, title, lead in obligations.in_scope.values_list(
                "pk", "code", "title", "lead_organisation"
            )
        }
        participants, goals_of = defaultdict(list), defaultdict(list)
        for commitment_id, organisation_id in (
            Commitment.participating_organisations.through.objects.filter(
                commitment__in=obligations.in_scope
            )
            .order_by()
            .values_list("commitment", "organisation")
        ):
            participants[commitment_id].append(organisation_id)
        for commitment_id, goal_id in (
            Commitment.goals.through.objects.filter(commitment__in=obligations.in_scope)
            .order_by()
            .values_list("commitment", "goal")
        ):
            goals_of[commitment_id].append(goal_id)
        reports = [
            _Report(*values)
            for values in period.progress_reports.filter(state__in=REPORTED_STATES)
            .order_by()
            .values_list(
                "commitment",
                "organisation",
                "state",
                "status",
                "percent_done",
                "submitted_at",
                "work_done",
                "results",
                "pk",
            )
        ]
        organisation_ids = {organisation for _commitment, organisation in obligations.obligations}
        organisation_ids |= {lead for _code, _title, lead in commitments.values()}
        organisation_ids |= {report.organisation_id for report in reports}
        for ids in participants.values():
            organisation_ids |= set(ids)
        organisations = dict(
            Organisation.objects.filter(pk__in=organisation_ids).values_list("pk", "name")
        )
        return cls(obligations, commitments, participants, goals_of, organisations, reports)

    @cached_property
    def _latest(self) -> dict[int, _Report]:
        """The latest report sent in on each commitment (owed or not), by any organisation."""
        latest = {}
        for report in sorted(self._owed_reports, key=_report_order):
            latest[report.commitment_id] = report
        return latest

    @cached_property
    def _owed_reports(self) -> list[_Report]:
        owed = self.obligations.obligations
        return [
            report
            for report in self.reports
            if (report.commitment_id, report.organisation_id) in owed
        ]

    @cached_property
    def _own_report(self) -> dict[tuple[int, int], _Report]:
        return {(report.commitment_id, report.organisation_id): report for report in self.reports}

    def _sorted_commitments(self, ids) -> list[int]:
        return sorted(ids, key=lambda pk: (_code_key(self.commitments[pk][0]), pk))

    def commitments_of_goal(self, goal_id: int) -> list[int]:
        return self._sorted_commitments(
            pk for pk in self.commitments if goal_id in self.goals_of.get(pk, ())
        )

    def _organisation_names(self, commitment_id: int) -> str:
        lead = self.commitments[commitment_id][2]
        others = sorted(
            self.organisations.get(pk, "")
            for pk in self.participants.get(commitment_id, ())
            if pk != lead
        )
        return ", ".join([self.organisations.get(lead, ""), *others])

    def line(self, commitment_id: int, report: "_Report | None | bool" = True) -> CommitmentLine:
        """The commitment's line; with the latest report, or with the `report` given."""
        if report is True:
            report = self._latest.get(commitment_id)
        code, title, _lead = self.commitments[commitment_id]
        return CommitmentLine(
            code=code,
            title=title,
            organisations=self._organisation_names(commitment_id),
            status=str(ReportStatus(report.status).label) if report else str(_("Ingen rapport")),
            percent_done=report.percent_done if report else None,
            excerpt=excerpt(report.work_done) if report else "",
        )

    def coverage(self, goals) -> Coverage:
        owed = self.obligations.obligations
        reported = self.obligations.reported
        by_organisation = defaultdict(lambda: [0, 0])
        by_goal = defaultdict(lambda: [0, 0])
        for pair in owed:
            commitment_id, organisation_id = pair
            counted = pair in reported
            by_organisation[organisation_id][0] += 1
            by_organisation[organisation_id][1] += counted
            for goal_id in self.goals_of.get(commitment_id, ()):
                by_goal[goal_id][0] += 1
                by_goal[goal_id][1] += counted
        statuses = Counter(report.status for report in self._owed_reports)
        return Coverage(
            owed=len(owed),
            reported=len(reported),
            by_organisation=tuple(
                sorted(
                    (
                        CoverageRow(self.organisations.get(pk, ""), *counts)
                        for pk, counts in by_organisation.items()
                    ),
                    key=lambda row: row.label,
                )
            ),
            by_goal=tuple(
                CoverageRow(f"{number}. {title}", *by_goal.get(pk, (0, 0)))
                for pk, number, title in goals
            ),
            statuses=tuple(
                StatusCount(str(status.label), statuses.get(status.value, 0))
                for status in ReportStatus
            ),
        )

    def annexes(self) -> tuple[OrganisationAnnex, ...]:
        of_organisation = defaultdict(list)
        for commitment_id, organisation_id in self.obligations.obligations:
            of_organisation[organisation_id].append(commitment_id)
        return tuple(
            sorted(
                (
                    OrganisationAnnex(
                        name=self.organisations.get(organisation_id, ""),
                        commitments=tuple(
                            self.line(pk, self._own_report.get((pk, organisation_id)))
                            for pk in self._sorted_commitments(commitment_ids)
                        ),
                    )
                    for organisation_id, commitment_ids in of_organisation.items()
                ),
                key=lambda annex: annex.name,
            )
        )

    def missing(self) -> tuple[MissingReport, ...]:
        rows = [
            (
                self.organisations.get(organisation_id, ""),
                _code_key(self.commitments[commitment_id][0]),
                commitment_id,
            )
            for commitment_id, organisation_id in self.obligations.missing
        ]
        return tuple(
            MissingReport(name, *self.commitments[commitment_id][:2])
            for name, _key, commitment_id in sorted(rows)
        )

    def progress_report_rows(self) -> tuple[ProgressReportRow, ...]:
        rows = []
        for report in self.reports:
            code, title, _lead = self.commitments.get(report.commitment_id, ("", "", None))
            if not code:
                continue  # a report on a commitment no longer in scope (cancelled meanwhile)
            rows.append(
                (
                    _code_key(code),
                    self.organisations.get(report.organisation_id, ""),
                    report.pk,
                    ProgressReportRow(
                        code=code,
                        commitment=title,
                        organisation=self.organisations.get(report.organisation_id, ""),
                        state=str(ReportState(report.state).label),
                        status=str(ReportStatus(report.status).label),
                        percent_done=report.percent_done,
                        submitted_on=(
                            timezone.localdate(report.submitted_at) if report.submitted_at else None
                        ),
                        work_done=report.work_done,
                        results=report.results,
                    ),
                )
            )
        return tuple(row for *_key, row in sorted(rows, key=lambda item: item[:3]))


def _report_order(report: _Report) -> tuple:
    # Oldest first, so that the last one written wins; a report without a date counts as oldest.
    return (
        report.submitted_at is not None,
        report.submitted_at or datetime.datetime.min,
        report.pk,
    )
