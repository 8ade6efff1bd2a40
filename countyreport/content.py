"""What a county report says, gathered once from the database, rendered by every format.

`collect` reads the data for one year and returns a `ReportContent`: plain, frozen values and no
model instances, so that the PDF, the workbook and the Word document are all built from the same
content, and the same data always gives the same content (its checksum names a build's input).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal


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
class IndicatorYear:
    year: int
    county: Decimal | None
    women: Decimal | None = None
    men: Decimal | None = None


@dataclass(frozen=True)
class IndicatorSection:
    name: str
    unit: str
    source: str
    assessment: str  # "Går åt önskat håll", …, with the reason in one sentence
    chart_svg: str  # an accessible SVG (title and description), drawn by the indicators app
    years: tuple[IndicatorYear, ...]


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
class IndicatorValueRow:
    """One row of the workbook's indicator value sheet."""

    indicator: str
    unit: str
    year: int
    area: str
    sex: str
    value: Decimal


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
