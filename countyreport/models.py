"""The yearly county report (Regional lägesrapport): its texts, and every build of its files."""

import datetime

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from actionplan.models import Goal
from followup.models import ReportingPeriod


def private_storage():
    """The built files' storage, outside MEDIA_ROOT: they are served by a view that checks
    permission, never by a public media URL (settings STORAGES["countyreport"])."""
    return storages["countyreport"]


class CountyReport(models.Model):
    """The county report of one reporting period's year, with county staff's texts."""

    period = models.OneToOneField(
        ReportingPeriod,
        on_delete=models.PROTECT,
        related_name="county_report",
        verbose_name=_("rapporteringsperiod"),
    )
    summary = models.TextField(_("sammanfattning"), blank=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("regional lägesrapport")
        verbose_name_plural = _("regionala lägesrapporter")

    def __str__(self):
        return str(_("Lägesrapport %(year)s") % {"year": self.year})

    @property
    def year(self) -> int:
        return self.period.year


class GoalAnalysis(models.Model):
    """County staff's analysis of one goal in one year's report."""

    report = models.ForeignKey(
        CountyReport,
        on_delete=models.CASCADE,
        related_name="analyses",
        verbose_name=_("lägesrapport"),
    )
    goal = models.ForeignKey(
        Goal, on_delete=models.PROTECT, related_name="+", verbose_name=_("mål")
    )
    text = models.TextField(_("analys"), blank=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("analys av ett mål")
        verbose_name_plural = _("analyser av mål")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "goal"],
                name="goalanalysis_one_per_report_and_goal",
                violation_error_message=_("Rapporten har redan en analys av målet."),
            )
        ]

    def __str__(self):
        return f"{self.report} – {self.goal.number}"


class ReportBuildQuerySet(models.QuerySet):
    def published(self) -> "ReportBuildQuerySet":
        return self.filter(published_at__isnull=False, state=ReportBuild.State.DONE)

    def visible_to(self, access) -> "ReportBuildQuerySet":
        """County staff and administrators read every build; everyone else the published ones."""
        return self if access.sees_all_reports else self.published()


class ReportBuild(models.Model):
    """One build of a county report: its state while it runs, then its input and three files.

    The row is the truth about the build (not Celery's result backend): the page polls it, the
    task claims it, and a build the broker delivers again finds it and completes it once.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("I kö")
        RUNNING = "running", _("Byggs")
        DONE = "done", _("Klar")
        FAILED = "failed", _("Misslyckades")

    class Step(models.TextChoices):
        WAITING = "waiting", _("Väntar på sin tur")
        COLLECT = "collect", _("Hämtar uppgifterna")
        PDF = "pdf", _("Skapar PDF")
        XLSX = "xlsx", _("Skapar Excel-filen")
        DOCX = "docx", _("Skapar Word-filen")
        SAVE = "save", _("Sparar filerna")
        FINISHED = "finished", _("Klar")

    report = models.ForeignKey(
        CountyReport,
        on_delete=models.PROTECT,
        related_name="builds",
        verbose_name=_("lägesrapport"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beställd av"),
    )
    state = models.CharField(_("läge"), max_length=16, choices=State.choices, default=State.QUEUED)
    step = models.CharField(_("steg"), max_length=16, choices=Step.choices, default=Step.WAITING)
    percent = models.PositiveSmallIntegerField(_("klart (%)"), default=0)
    error = models.TextField(_("fel"), blank=True)
    input_checksum = models.CharField(_("kontrollsumma för indata"), max_length=64, blank=True)
    pdf = models.FileField(_("PDF"), storage=private_storage, blank=True)
    xlsx = models.FileField(_("Excel"), storage=private_storage, blank=True)
    docx = models.FileField(_("Word"), storage=private_storage, blank=True)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    created_at = models.DateTimeField(_("beställd"), auto_now_add=True)
    started_at = models.DateTimeField(_("startad"), null=True, blank=True)
    finished_at = models.DateTimeField(_("färdig"), null=True, blank=True)
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("publicerad av"),
    )

    objects = ReportBuildQuerySet.as_manager()

    class Meta:
        verbose_name = _("bygge av lägesrapport")
        verbose_name_plural = _("byggen av lägesrapporter")
        constraints = [
            models.UniqueConstraint(
                fields=["report"],
                condition=Q(published_at__isnull=False),
                name="reportbuild_one_published_per_report",
                violation_error_message=_("Rapporten har redan en publicerad version."),
            ),
            models.CheckConstraint(
                name="reportbuild_percent_between_0_and_100",
                condition=Q(percent__gte=0) & Q(percent__lte=100),
            ),
            models.CheckConstraint(
                name="reportbuild_published_only_when_done",
                condition=Q(published_at__isnull=True) | Q(state="done"),
            ),
        ]
        indexes = [models.Index(fields=["report", "-created_at"])]

    def __str__(self):
        return f"{self.report} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_stale(self) -> bool:
        """Queued or running for longer than any build may run: its message was lost (the
        broker was down when it was queued) or its worker died with the whole machine (Redis
        would hand it on only after the visibility timeout). It may be retried."""
        if self.state not in (self.State.QUEUED, self.State.RUNNING):
            return False
        since = self.started_at or self.created_at
        return since is not None and since < timezone.now() - stale_after()

    def can_retry(self) -> bool:
        return self.state == self.State.FAILED or self.is_stale

    def can_publish(self) -> bool:
        return self.state == self.State.DONE and not self.is_published

    def file_for(self, kind: str):
        """The built file of a format (pdf, xlsx, docx), or None."""
        return getattr(self, kind) if kind in FORMATS else None

    def download_name(self, kind: str) -> str:
        return f"lagesrapport-{self.report.period.year}-{self.pk}.{kind}"


FORMATS = ("pdf", "xlsx", "docx")


def stale_after() -> datetime.timedelta:
    """Longer than the task's hard time limit: a build still unfinished by then is dead."""
    return datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 5 * 60)
