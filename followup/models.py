import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from actionplan.models import Commitment
from actors.models import Organisation


class ReportingPeriodQuerySet(models.QuerySet):
    def open_on(self, day: datetime.date):
        return self.filter(opens_on__lte=day, closes_on__gte=day, locked_at__isnull=True)

    def current(self, day: datetime.date | None = None) -> "ReportingPeriod | None":
        """The period people report in today (the latest, should two overlap)."""
        return self.open_on(day or timezone.localdate()).order_by("-year").first()


class ReportingPeriod(models.Model):
    """One round of follow-up, usually a calendar year's progress reports."""

    year = models.PositiveSmallIntegerField(_("år"), unique=True)
    opens_on = models.DateField(_("öppnar"))
    due_on = models.DateField(_("sista dag att rapportera"))
    closes_on = models.DateField(_("stänger"))
    locked_at = models.DateTimeField(_("låst"), null=True, blank=True)

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("rapporteringsperiod")
        verbose_name_plural = _("rapporteringsperioder")
        constraints = [
            models.CheckConstraint(
                name="reportingperiod_dates_in_order",
                condition=Q(opens_on__lte=F("due_on")) & Q(due_on__lte=F("closes_on")),
                violation_error_message=_(
                    "Datumen ska komma i ordningen öppnar, sista dag, stänger."
                ),
            )
        ]

    def __str__(self):
        return str(_("Uppföljning %(year)s") % {"year": self.year})

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    def accepts_reports_on(self, day: datetime.date) -> bool:
        return not self.is_locked and self.opens_on <= day <= self.closes_on

    def days_left(self, day: datetime.date) -> int:
        return (self.due_on - day).days


class ReportStatus(models.TextChoices):
    ON_TRACK = "on_track", _("Enligt plan")
    MINOR_DEVIATION = "minor_deviation", _("Mindre avvikelse")
    MAJOR_DEVIATION = "major_deviation", _("Större avvikelse")
    COMPLETED = "completed", _("Genomfört")
    NOT_STARTED = "not_started", _("Ej påbörjat")
    CANCELLED = "cancelled", _("Avbrutet")


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    SUBMITTED = "submitted", _("Inskickad")
    RETURNED = "returned", _("Återsänd för komplettering")
    APPROVED = "approved", _("Godkänd")


class ProgressReport(models.Model):
    """One organisation's account of one commitment in one reporting period."""

    # Module-level so that the constraints in Meta can name their values.
    Status = ReportStatus
    State = ReportState

    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.CASCADE,
        related_name="progress_reports",
        verbose_name=_("åtagande"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="progress_reports",
        verbose_name=_("organisation"),
    )
    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        related_name="progress_reports",
        verbose_name=_("period"),
    )
    state = models.CharField(_("läge"), max_length=16, choices=State.choices, default=State.DRAFT)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    percent_done = models.PositiveSmallIntegerField(_("andel genomfört (%)"), default=0)
    work_done = models.TextField(_("vad har gjorts"), blank=True)
    results = models.TextField(_("resultat"), blank=True)
    obstacles = models.TextField(_("hinder"), blank=True)
    next_steps = models.TextField(_("nästa steg"), blank=True)
    review_comment = models.TextField(_("kommentar från kansliet"), blank=True)
    submitted_at = models.DateTimeField(_("inskickad"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inskickad av"),
    )
    reviewed_at = models.DateTimeField(_("granskad"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granskad av"),
    )
    # Bumped on every save through the services, so that a stale form cannot overwrite
    # somebody else's newer text.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-period__year", "commitment", "organisation"]
        verbose_name = _("lägesrapport")
        verbose_name_plural = _("lägesrapporter")
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "organisation", "period"],
                name="progressreport_one_per_commitment_organisation_period",
                violation_error_message=_(
                    "Organisationen har redan en rapport om åtagandet för perioden."
                ),
            ),
            models.CheckConstraint(
                name="progressreport_percent_between_0_and_100",
                condition=Q(percent_done__gte=0) & Q(percent_done__lte=100),
                violation_error_message=_("Andelen ska vara mellan 0 och 100 procent."),
            ),
            models.CheckConstraint(
                name="progressreport_status_valid",
                condition=Q(status__in=ReportStatus.values),
                violation_error_message=_("Välj en status i listan."),
            ),
            models.CheckConstraint(
                name="progressreport_state_valid",
                condition=Q(state__in=ReportState.values),
                violation_error_message=_("Okänt läge."),
            ),
        ]
        indexes = [models.Index(fields=["period", "state"])]

    def __str__(self):
        return f"{self.commitment.code} {self.organisation.short_name} {self.period.year}"

    @property
    def counts_as_reported(self) -> bool:
        return self.state in (ReportState.SUBMITTED, ReportState.APPROVED)

    @property
    def editable_by_reporter(self) -> bool:
        return self.state != ReportState.APPROVED
