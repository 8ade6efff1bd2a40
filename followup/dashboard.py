"""County staff's landing page: the open reporting period at a glance (issue 10).

A read model only. The coverage is the period overview's own figures (`overview.period_figures`,
the counts that the reminder sweep's PeriodObligations is proven to agree with), never counted a
second way here; the rest is a few small queries whose cost does not grow with the data.
"""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from followup.filters import REVIEW_ORDER
from followup.models import ProgressReport, Reminder, ReportingPeriod
from followup.overview import PeriodFigures, period_figures

OLDEST_WAITING_SHOWN = 5
LATEST_REMINDERS_SHOWN = 5
# Fewer days than this before the deadline, and the deadline is close (a warning, not an alarm).
DEADLINE_CLOSE_DAYS = 14


def waiting_for_review(period: ReportingPeriod, user) -> QuerySet[ProgressReport]:
    """The period's reports in the person's review queue: the queue's own rule, one period."""
    return ProgressReport.objects.reviewable_by(user).filter(period=period)


def undelivered_reminders(period: ReportingPeriod) -> QuerySet[Reminder]:
    """Reminders that have not reached the mail server and have met an error on the way: given
    up on, or still being retried. The period overview counts them too."""
    return period.reminders.filter(sent_at__isnull=True, cancelled_at__isnull=True).exclude(
        last_error=""
    )


@dataclass(frozen=True)
class PeriodDashboard:
    period: ReportingPeriod
    today: datetime.date
    figures: PeriodFigures
    waiting_count: int
    oldest_waiting: list[ProgressReport]  # oldest first, at most OLDEST_WAITING_SHOWN
    latest_reminders: list[Reminder]  # newest first, at most LATEST_REMINDERS_SHOWN
    undelivered_count: int

    @property
    def days_left(self) -> int:
        """Days until the last day to report; 0 on the day itself, negative once it has passed."""
        return self.period.days_left(self.today)

    @property
    def deadline_passed(self) -> bool:
        return self.days_left < 0

    @property
    def days_late(self) -> int:
        return -self.days_left

    @property
    def deadline_close(self) -> bool:
        return 0 <= self.days_left < DEADLINE_CLOSE_DAYS

    @property
    def reports_missing(self) -> int:
        return self.figures.expected - self.figures.reported

    @property
    def organisations_owing(self) -> int:
        """Organisations that owe at least one report in the period."""
        return len(self.figures.rows)

    @property
    def organisations_done(self) -> int:
        return self.organisations_owing - len(self.figures.late)

    @property
    def commitments_share(self) -> int:
        """Per cent of the commitments in scope that have every report they owe."""
        total = self.figures.commitments_in_scope
        return round(100 * self.figures.commitments_fully_reported / total) if total else 100


def period_dashboard_read(
    *, period: ReportingPeriod, user, today: datetime.date
) -> PeriodDashboard:
    """What the dashboard shows of one period for one person, in a fixed number of queries."""
    waiting = waiting_for_review(period, user)
    return PeriodDashboard(
        period=period,
        today=today,
        figures=period_figures(period),
        waiting_count=waiting.count(),
        oldest_waiting=list(
            waiting.select_related("commitment", "organisation").order_by(*REVIEW_ORDER)[
                :OLDEST_WAITING_SHOWN
            ]
        ),
        # Ordered as the reminder log is (reminder_log_idx, read backwards).
        latest_reminders=list(
            period.reminders.select_related("recipient", "organisation").order_by(
                "-claimed_at", "-pk"
            )[:LATEST_REMINDERS_SHOWN]
        ),
        undelivered_count=undelivered_reminders(period).count(),
    )
