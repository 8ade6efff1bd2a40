"""The county report's operations: its texts, its builds and their publication.

A build is a row first (queued), then a Celery task that claims the row, builds the three files
and marks it done, exactly once. The row holds what the page shows: state, step, percent, the
reason of a failure. Views, the task and `manage.py build_county_report` call these functions.
"""

import hashlib
import json
import logging
import time
from dataclasses import asdict, replace

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from actionplan.models import Goal
from actors.permissions import Access
from audit.events import Event, record_event
from countyreport import formats
from countyreport.content import ReportContent, collect
from countyreport.models import CountyReport, GoalAnalysis, ReportBuild, stale_after
from followup.models import ReportingPeriod

logger = logging.getLogger(__name__)

# The step a build reaches, and how far along that is.
PROGRESS = {
    ReportBuild.Step.COLLECT: 5,
    ReportBuild.Step.PDF: 20,
    ReportBuild.Step.XLSX: 60,
    ReportBuild.Step.DOCX: 75,
    ReportBuild.Step.SAVE: 90,
}


class CountyReportError(Exception):
    """An operation that the report's state does not allow; the message is for the person."""


def may_build(user) -> bool:
    """County staff write, build and publish the report (administrators only read it)."""
    return user is not None and Access(user).is_county_staff


def county_report_for_year(year: int) -> CountyReport:
    """The report of a reporting period's year, created empty the first time it is opened.

    Raises ReportingPeriod.DoesNotExist for a year without a period.
    """
    period = ReportingPeriod.objects.get(year=year)
    report, _created = CountyReport.objects.select_related("period").get_or_create(period=period)
    return report


def county_report_save_summary(*, report: CountyReport, summary: str, user) -> CountyReport:
    report.summary = summary
    report._history_user = user
    report.save(update_fields=["summary", "updated_at"])
    return report


def goal_analysis_save(*, report: CountyReport, goal: Goal, text: str, user) -> GoalAnalysis:
    with transaction.atomic():
        # One history record per save: created with its first text, not empty and then changed.
        analysis = GoalAnalysis.objects.select_for_update().filter(
            report=report, goal=goal
        ).first() or GoalAnalysis(report=report, goal=goal)
        analysis.text = text
        analysis._history_user = user
        analysis.save()
    return analysis


def content_checksum(content: ReportContent) -> str:
    """sha256 of the content, serialised with sorted keys: the same data, the same checksum.

    The day it was built is left out: it is when, not what, the report says.
    """
    data = asdict(replace(content, built_on=None))
    serialised = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(serialised.encode()).hexdigest()


# --- Builds -----------------------------------------------------------------------------------


def build_create(*, report: CountyReport, user) -> ReportBuild:
    """A queued build, not yet handed to a worker (the command runs it itself)."""
    return ReportBuild.objects.create(report=report, requested_by=user)


def build_request(*, report: CountyReport, user) -> ReportBuild:
    """Queue a build of the report; the task is sent once the row is committed."""
    if not may_build(user):
        raise CountyReportError(_("Bara kansliet kan bygga rapporten."))
    with transaction.atomic():
        build = build_create(report=report, user=user)
        _queue_after_commit(build.pk)
    return build


def build_retry(*, build: ReportBuild, user) -> ReportBuild:
    """Queue a failed build again, keeping its row (and its attempts)."""
    if not may_build(user):
        raise CountyReportError(_("Bara kansliet kan bygga rapporten."))
    stale = Q(
        state__in=(ReportBuild.State.QUEUED, ReportBuild.State.RUNNING),
        created_at__lt=timezone.now() - stale_after(),
    ) & (Q(started_at__isnull=True) | Q(started_at__lt=timezone.now() - stale_after()))
    with transaction.atomic():
        retried = ReportBuild.objects.filter(
            Q(state=ReportBuild.State.FAILED) | stale, pk=build.pk
        ).update(
            state=ReportBuild.State.QUEUED,
            step=ReportBuild.Step.WAITING,
            percent=0,
            error="",
            requested_by=user,
            finished_at=None,
        )
        if not retried:
            raise CountyReportError(
                _("Bara ett misslyckat bygge, eller ett som har fastnat, kan göras om.")
            )
        _queue_after_commit(build.pk)
    build.refresh_from_db()
    return build


def _queue_after_commit(build_id: int) -> None:
    from countyreport.tasks import county_report_build

    # robust: a broker that is down must not fail the request that saved the build; the build
    # stays queued, and once it is stale (ReportBuild.is_stale) county staff retry it.
    transaction.on_commit(lambda: county_report_build.delay(build_id), robust=True)


def build_run(build_id: int) -> bool:
    """Build the files of a queued build; True when this call completed it.

    Safe to run twice: a build already done or failed is left alone, one still marked running
    (its worker was killed) is claimed again, and the files have fixed names, so a second run
    writes the same files and only the first to finish marks the build done.
    """
    build = _claim(build_id)
    if build is None:
        return False
    if build.requested_by_id is not None and not may_build(build.requested_by):
        _fail(
            build_id,
            _("Den som beställde bygget är inte längre kansli och får inte bygga rapporten."),
        )
        return False
    step = ReportBuild.Step.COLLECT
    try:
        with translation.override("sv"):  # the county report is written in Swedish
            content = collect(build.report.period.year)
            checksum = content_checksum(content)
            files = {}
            for step, kind, render in (
                (ReportBuild.Step.PDF, "pdf", formats.render_pdf),
                (ReportBuild.Step.XLSX, "xlsx", formats.render_xlsx),
                (ReportBuild.Step.DOCX, "docx", formats.render_docx),
            ):
                _progress(build, step)
                files[kind] = render(content)
            step = ReportBuild.Step.SAVE
            _progress(build, step)
            names = {kind: _save_file(build, kind, data) for kind, data in files.items()}
    except Exception as error:
        logger.exception("County report build %s failed at %s", build_id, step)
        with translation.override("sv"):
            _fail(
                build_id,
                _("Bygget stannade vid steget ”%(step)s”: %(error)s. Försök igen.")
                % {"step": ReportBuild.Step(step).label, "error": _technical(error)},
            )
        return False
    return _finish(build_id, checksum, names)


def _claim(build_id: int) -> ReportBuild | None:
    with transaction.atomic():
        build = (
            ReportBuild.objects.select_for_update(of=("self",))
            .select_related("report__period", "requested_by")
            .filter(pk=build_id, state__in=(ReportBuild.State.QUEUED, ReportBuild.State.RUNNING))
            .first()
        )
        if build is None:
            return None
        build.state = ReportBuild.State.RUNNING
        build.step = ReportBuild.Step.COLLECT
        build.percent = PROGRESS[ReportBuild.Step.COLLECT]
        build.attempts = F("attempts") + 1
        build.started_at = timezone.now()
        build.save(update_fields=["state", "step", "percent", "attempts", "started_at"])
    build.refresh_from_db(fields=["attempts"])
    return build


def _progress(build: ReportBuild, step: str) -> None:
    ReportBuild.objects.filter(pk=build.pk, state=ReportBuild.State.RUNNING).update(
        step=step, percent=PROGRESS[step]
    )
    # Test-only (settings): lets the SIGKILL test kill the worker in the middle of a build.
    if step == settings.COUNTYREPORT_PAUSE_AT_STEP and build.attempts == 1:
        time.sleep(settings.COUNTYREPORT_PAUSE_SECONDS)


def _save_file(build: ReportBuild, kind: str, data: bytes) -> str:
    # A fixed name per build and format: the storage overwrites (allow_overwrite), so a build
    # delivered again leaves one set of files, not two.
    name = f"{build.report.period.year}/{build.pk}/lagesrapport-{build.report.period.year}.{kind}"
    return getattr(build, kind).storage.save(name, ContentFile(data))


def _finish(build_id: int, checksum: str, names: dict[str, str]) -> bool:
    with transaction.atomic():
        build = (
            ReportBuild.objects.select_for_update(of=("self",))
            .select_related("report", "requested_by")
            .filter(pk=build_id, state=ReportBuild.State.RUNNING)
            .first()
        )
        if build is None:
            return False  # another delivery of the same build finished first
        build.state = ReportBuild.State.DONE
        build.step = ReportBuild.Step.FINISHED
        build.percent = 100
        build.input_checksum = checksum
        build.finished_at = timezone.now()
        for kind, name in names.items():
            setattr(build, kind, name)
        build.save()
        record_event(
            Event.REPORT_BUILD,
            actor=build.requested_by,
            target=build.report,
            details={"build": build.pk, "checksum": checksum},
        )
    return True


def _fail(build_id: int, reason: str) -> None:
    ReportBuild.objects.filter(
        pk=build_id, state__in=(ReportBuild.State.QUEUED, ReportBuild.State.RUNNING)
    ).update(state=ReportBuild.State.FAILED, error=str(reason), finished_at=timezone.now())


def _technical(error: Exception) -> str:
    return str(error)[:300] or error.__class__.__name__


# --- Publication ------------------------------------------------------------------------------


def build_publish(*, build: ReportBuild, user, request=None) -> ReportBuild:
    """Publish a finished build: it replaces the year's published build, if any."""
    if not may_build(user):
        raise CountyReportError(_("Bara kansliet kan publicera rapporten."))
    with transaction.atomic():
        # One publication of a report at a time: the report's row is the lock.
        CountyReport.objects.select_for_update().filter(pk=build.report_id).first()
        build.refresh_from_db()
        if not build.can_publish():
            raise CountyReportError(
                _("Bara ett färdigt bygge som inte redan är publicerat kan publiceras.")
            )
        ReportBuild.objects.filter(report=build.report_id, published_at__isnull=False).update(
            published_at=None, published_by=None
        )
        build.published_at = timezone.now()
        build.published_by = user
        build.save(update_fields=["published_at", "published_by"])
        record_event(
            Event.REPORT_PUBLISH,
            actor=user,
            request=request,
            target=build.report,
            details={"build": build.pk},
        )
    return build
