"""Writes of the follow-up: progress reports and their review.

Every write checks the version the person started from, so that two people editing the same
report never overwrite each other silently, and records who did it in the report's history.

Every write locks in one order, the period first and then the report, so that two writes on the
same report wait for each other instead of deadlocking.
"""

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actionplan.models import Commitment
from actors import cache_versions
from actors.models import Organisation, User
from followup import reminders
from followup.models import (
    CommitmentFollow,
    ProgressReport,
    ReportingPeriod,
    ReportState,
)
from followup.overview import period_scope

REPORT_FIELDS = ("status", "percent_done", "work_done", "results", "obstacles", "next_steps")


class FollowUpError(Exception):
    """A write that the rules refuse; the message is meant for the person."""


class StaleReportError(FollowUpError):
    def __init__(self):
        super().__init__(
            _(
                "Någon annan har ändrat rapporten medan du skrev. Din text finns kvar i "
                "formuläret: jämför med den senaste versionen nedan och spara igen."
            )
        )


class ReportingClosedError(FollowUpError):
    pass


class ReportDataError(FollowUpError):
    """The report breaks the rules for a draft or a submission; `errors` says what, by field."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(str(message) for message in errors.values()))
        self.errors = errors


class PeriodConflictError(FollowUpError):
    def __init__(self):
        super().__init__(
            _("Perioden överlappar en annan rapporteringsperiod, eller så finns året redan.")
        )


def _now_and_today() -> tuple[datetime.datetime, datetime.date]:
    now = timezone.now()
    return now, timezone.localdate(now)


def _check_period_open(period: ReportingPeriod, today: datetime.date) -> None:
    if not period.accepts_reports_on(today):
        raise ReportingClosedError(
            _("Perioden %(period)s är stängd för ändringar.") % {"period": period}
        )


def _locked_period(pk: int) -> ReportingPeriod:
    return ReportingPeriod.objects.select_for_update().get(pk=pk)


def _locked_report(queryset) -> ProgressReport | None:
    # Only the report's row: the period is locked before, by the caller, never through a join.
    return queryset.select_for_update(of=("self",)).first()


def progress_report_lock(*, pk: int) -> ProgressReport | None:
    """The report, locked for a write in the one lock order (its period, then the report).

    For use inside a transaction; None if the report is gone.
    """
    period_id = ProgressReport.objects.filter(pk=pk).values_list("period_id", flat=True).first()
    if period_id is None:
        return None
    period = _locked_period(period_id)
    report = _locked_report(ProgressReport.objects.filter(pk=pk, period=period))
    if report is not None:
        report.period = period
    return report


@transaction.atomic
def progress_report_save(
    *,
    commitment: Commitment,
    organisation: Organisation,
    period: ReportingPeriod,
    user: User,
    data: dict[str, Any],
    expected_version: int,
    submit: bool,
) -> ProgressReport:
    """Save a report as a draft or submit it.

    `expected_version` is the version the person's form was built from (0 for a report that did
    not exist yet); anything else in the database means somebody saved in between.
    """
    now, today = _now_and_today()
    # Locking the period row makes a lock by county staff wait for, or win over, this save.
    period = _locked_period(period.pk)
    _check_period_open(period, today)
    report = _locked_report(ProgressReport.objects.for_task(commitment, organisation, period))
    if report is None:
        if expected_version != 0:
            raise StaleReportError
        report = ProgressReport(
            commitment=commitment, organisation=organisation, period=period, version=0
        )
    elif report.version != expected_version:
        raise StaleReportError
    state_before = report.state if report.pk else None
    if not report.can_submit():
        raise ReportingClosedError(_("Rapporten är redan godkänd och kan inte ändras."))
    if not submit and not report.can_save_draft():
        raise FollowUpError(_("Rapporten är inskickad: skicka in ändringarna i stället."))
    if errors := ProgressReport.errors_in(data, submit=submit):
        raise ReportDataError(errors)

    for field in REPORT_FIELDS:
        setattr(report, field, data[field])
    if submit:
        report.state = ReportState.SUBMITTED
        report.submitted_at = now
        report.submitted_by = user
    else:
        # Work in progress on a returned report is a draft again, private to the organisation.
        report.state = ReportState.DRAFT
    report.version += 1
    report._history_user = user
    report._change_reason = "submit" if submit else "save"
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        # Somebody created the same report in the instant since we looked.
        raise StaleReportError from None
    if report.state != state_before:
        cache_versions.bump(period_scope(period.pk))
    if submit:
        reminders.followers_notify(report=report, event="submitted", actor=user)
    return report


def _review(
    *, report: ProgressReport, user: User, expected_version: int, state: str, comment: str
) -> ProgressReport:
    locked = progress_report_lock(pk=report.pk)
    if locked is None or locked.version != expected_version:
        raise StaleReportError
    if locked.is_own_for(user):
        raise FollowUpError(
            _(
                "Du kan inte granska er egen rapport: du har skickat in den, eller rapporterar "
                "för organisationen. Någon annan på kansliet granskar den."
            )
        )
    if locked.period.is_locked:
        raise ReportingClosedError(_("Perioden %(period)s är låst.") % {"period": locked.period})
    if not locked.is_reviewable():
        raise FollowUpError(_("Bara inskickade rapporter kan granskas."))
    locked.state = state
    locked.review_comment = comment
    locked.reviewed_at = timezone.now()
    locked.reviewed_by = user
    locked.version += 1
    locked._history_user = user
    locked._change_reason = state
    locked.save()
    cache_versions.bump(period_scope(locked.period_id))
    if state == ReportState.RETURNED:
        reminders.report_returned_notify(report=locked, actor=user)
    return locked


@transaction.atomic
def progress_report_admin_save(
    *, report: ProgressReport, user: User, expected_version: int | None
) -> ProgressReport:
    """An administrator's edit in the admin: checked and counted like every other write.

    `expected_version` is the version the admin's form was built from (None when adding).
    """
    periods = {report.period_id}
    if report.pk is not None:
        current = progress_report_lock(pk=report.pk)
        if current is None or current.version != expected_version:
            raise StaleReportError
        report.version = current.version + 1
        periods.add(current.period_id)
    report._history_user = user
    report.save()
    # The administrator may have changed anything: the state, even the period.
    cache_versions.bump(*map(period_scope, periods))
    return report


@transaction.atomic
def progress_report_approve(
    *, report: ProgressReport, user: User, expected_version: int
) -> ProgressReport:
    return _review(
        report=report,
        user=user,
        expected_version=expected_version,
        state=ReportState.APPROVED,
        comment="",
    )


@transaction.atomic
def progress_report_return(
    *, report: ProgressReport, user: User, expected_version: int, comment: str
) -> ProgressReport:
    """Send a submitted report back to the organisation for completion, with a comment."""
    return _review(
        report=report,
        user=user,
        expected_version=expected_version,
        state=ReportState.RETURNED,
        comment=comment,
    )


def commitment_follow(*, user: User, commitment: Commitment) -> None:
    CommitmentFollow.objects.get_or_create(user=user, commitment=commitment)


def commitment_unfollow(*, user: User, commitment: Commitment) -> None:
    CommitmentFollow.objects.filter(user=user, commitment=commitment).delete()


@transaction.atomic
def reporting_period_open(
    *, year: int, opens_on: datetime.date, due_on: datetime.date, closes_on: datetime.date
) -> ReportingPeriod:
    if not opens_on <= due_on <= closes_on:
        raise FollowUpError(_("Datumen ska komma i ordningen öppnar, sista dag, stänger."))
    try:
        with transaction.atomic():
            return ReportingPeriod.objects.create(
                year=year, opens_on=opens_on, due_on=due_on, closes_on=closes_on
            )
    except IntegrityError:
        # The form said so already, unless somebody opened the other period in the meantime.
        raise PeriodConflictError from None


@transaction.atomic
def reporting_period_lock(*, period: ReportingPeriod) -> ReportingPeriod:
    """Close the follow-up for good: a locked period accepts no more changes."""
    locked = _locked_period(period.pk)
    if locked.locked_at is None:
        locked.locked_at = timezone.now()
        locked.save(update_fields=["locked_at"])
    return locked
