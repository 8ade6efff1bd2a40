import datetime
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeBoundary, RangeOperators
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from actionplan import permissions as reporting
from actionplan.models import Commitment
from actors.models import Organisation
from actors.permissions import Access


class DateRange(models.Func):
    """PostgreSQL's daterange(lower, upper, bounds)."""

    function = "DATERANGE"
    output_field = DateRangeField()


class PostgresExclusionConstraint(ExclusionConstraint):
    """An exclusion constraint on PostgreSQL; the SQLite quick start goes without it.

    SQLite has no exclusion constraints, so there it creates nothing and checks nothing, and the
    forms' own checks are all there is.
    """

    @staticmethod
    def _on_postgresql(connection) -> bool:
        return connection.vendor == "postgresql"

    def constraint_sql(self, model, schema_editor):
        if self._on_postgresql(schema_editor.connection):
            return super().constraint_sql(model, schema_editor)
        return None

    def create_sql(self, model, schema_editor):
        if self._on_postgresql(schema_editor.connection):
            return super().create_sql(model, schema_editor)
        return None

    def remove_sql(self, model, schema_editor):
        if self._on_postgresql(schema_editor.connection):
            return super().remove_sql(model, schema_editor)
        return None

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        if self._on_postgresql(connections[using]):
            super().validate(model, instance, exclude=exclude, using=using)


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
            ),
            # Reports and reminders belong to the one period open on a given day. Both ends
            # are included: two periods may not share a day.
            PostgresExclusionConstraint(
                name="reportingperiod_no_overlap",
                expressions=[
                    (
                        DateRange("opens_on", "closes_on", RangeBoundary(inclusive_upper=True)),
                        RangeOperators.OVERLAPS,
                    )
                ],
                violation_error_message=_("Perioden överlappar en annan rapporteringsperiod."),
            ),
        ]

    def __str__(self):
        return str(_("Uppföljning %(year)s") % {"year": self.year})

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    def state_on(self, day: datetime.date) -> str:
        if self.is_locked:
            return _("Låst")
        if day < self.opens_on:
            return _("Öppnar senare")
        if day > self.closes_on:
            return _("Stängd")
        return _("Öppen för rapporter")

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


# A report counts as sent in once submitted; approval does not undo that.
REPORTED_STATES = (ReportState.SUBMITTED, ReportState.APPROVED)
# Work on these is the organisation's own and may be saved as a draft.
DRAFTABLE_STATES = (ReportState.DRAFT, ReportState.RETURNED)
DEVIATIONS = (ReportStatus.MINOR_DEVIATION, ReportStatus.MAJOR_DEVIATION)


class ProgressReportQuerySet(models.QuerySet):
    def for_task(
        self, commitment: Commitment, organisation: Organisation, period: ReportingPeriod
    ) -> "ProgressReportQuerySet":
        """The report (at most one) of an organisation on a commitment in a period."""
        return self.filter(commitment=commitment, organisation=organisation, period=period)

    def reviewable(self) -> "ProgressReportQuerySet":
        """What county staff may approve or return: see ProgressReport.is_reviewable."""
        return self.filter(state=ReportState.SUBMITTED, period__locked_at=None)

    def reviewable_by(self, user) -> "ProgressReportQuerySet":
        """What this person may review: reviewable, and not their own (see is_own_for)."""
        if not user.is_authenticated:
            return self.none()
        return self.reviewable().exclude(submitted_by=user).exclude(reporting.reports_for(user))

    def visible_to(self, user, *, access: Access | None = None) -> "ProgressReportQuerySet":
        """The reports the person may read.

        A view passes the request's `access` (actors.permissions.access_for), so that the
        person's roles are read once per request.

        A draft is the reporting organisation's own work in progress. What it has sent in, and
        what was returned to it, the organisations that carry the commitment, county staff and
        administrators read. An approved report is public.
        """
        if not user.is_authenticated or not user.is_active:
            return self.filter(state=ReportState.APPROVED)
        sent_in = ~Q(state=ReportState.DRAFT)
        if (access or Access(user)).sees_all_reports:
            return self.filter(sent_in | reporting.reports_for(user))
        return self.filter(
            Q(state=ReportState.APPROVED)
            | (sent_in & reporting.reports_for(user, any_organisation=True))
            | reporting.reports_for(user)
        )


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
    # Both may be left empty in a draft (issue 10: a draft saves whatever is filled in); a
    # submission needs both, see errors_in().
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, blank=True)
    percent_done = models.PositiveSmallIntegerField(_("andel genomfört (%)"), null=True, blank=True)
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

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        # No default ordering: one through the period would join it into every query, and into
        # the row locks of select_for_update. Pages order what they show.
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
                condition=Q(status__in=ReportStatus.values) | Q(status="", state=ReportState.DRAFT),
                violation_error_message=_("Välj en status i listan."),
            ),
            models.CheckConstraint(
                name="progressreport_state_valid",
                condition=Q(state__in=ReportState.values),
                violation_error_message=_("Okänt läge."),
            ),
        ]
        indexes = [
            models.Index(fields=["period", "state"]),
            # The review queue: submitted reports, oldest first, read a page at a time.
            models.Index(
                fields=["submitted_at", "id"],
                condition=Q(state=ReportState.SUBMITTED),
                name="progressreport_review_idx",
            ),
        ]

    def __str__(self):
        return f"{self.commitment.code} {self.organisation.short_name} {self.period.year}"

    @property
    def counts_as_reported(self) -> bool:
        return self.state in REPORTED_STATES

    @property
    def is_submitted(self) -> bool:
        return self.state == ReportState.SUBMITTED

    @property
    def asks_for_completion(self) -> bool:
        """County staff returned it with a comment, and the organisation is still on it."""
        return bool(self.review_comment) and self.state in DRAFTABLE_STATES

    def can_save_draft(self) -> bool:
        # A report that was sent in changes only by submitting again, under the submission
        # rules, so that what the county has read never silently turns back into a draft.
        return self.state in DRAFTABLE_STATES

    def can_submit(self) -> bool:
        """The reporting organisation may still change it (the period aside)."""
        return self.state != ReportState.APPROVED

    def is_reviewable(self) -> bool:
        """County staff may approve or return it; the same rule as the queryset's."""
        return self.state == ReportState.SUBMITTED and not self.period.is_locked

    def is_own_for(self, user, *, reporting_for: list[Organisation] | None = None) -> bool:
        """The person sent it in, or reports for its organisation: nobody reviews their own report.

        `reporting_for` is reporting_organisations(user, self.commitment), if already known.
        """
        if self.submitted_by_id is not None and self.submitted_by_id == user.pk:
            return True
        if reporting_for is None:
            reporting_for = reporting.reporting_organisations(user, self.commitment)
        return self.organisation_id in {organisation.pk for organisation in reporting_for}

    @staticmethod
    def errors_in(data: Mapping[str, Any], *, submit: bool) -> dict[str, str]:
        """What is wrong with `data` for a save (or, with `submit`, a submission), by field.

        A draft may be unfinished; what is sent in must say what was done, and why the work
        deviates from the plan when it does.
        """
        errors = {}
        status = data.get("status") or ""
        if status not in ReportStatus.values and (submit or status):
            errors["status"] = (
                _("Välj en status innan du skickar in.")
                if submit and not status
                else _("Välj en av statusarna i listan.")
            )
        percent = data.get("percent_done")
        if percent is None:
            if submit:
                errors["percent_done"] = _(
                    "Ange hur stor andel som är genomförd, från 0 till 100, innan du skickar in."
                )
        elif not isinstance(percent, int) or isinstance(percent, bool) or not 0 <= percent <= 100:
            errors["percent_done"] = _("Andelen ska vara mellan 0 och 100 procent.")
        if submit:
            if not str(data.get("work_done") or "").strip():
                errors["work_done"] = _("Beskriv vad som har gjorts innan du skickar in.")
            if data.get("status") in DEVIATIONS and not str(data.get("obstacles") or "").strip():
                errors["obstacles"] = _("Beskriv hindren när arbetet avviker från planen.")
        return errors


def _validate_days_before_due(value: str) -> None:
    try:
        days = [int(part) for part in value.split(",") if part.strip()]
    except ValueError:
        raise ValidationError(
            _("Skriv hela dagar åtskilda med kommatecken, till exempel 14,3.")
        ) from None
    if not days or any(day < 1 or day > 90 for day in days):
        raise ValidationError(_("Varje antal dagar ska vara mellan 1 och 90."))


class ReminderSettings(models.Model):
    """The reminder steps, one row that administrators edit in the admin."""

    days_before_due = models.CharField(
        _("påminnelser före sista dag (dagar)"),
        max_length=60,
        default="14,3",
        validators=[_validate_days_before_due],
        help_text=_("Antal dagar före sista dagen, åtskilda med kommatecken, till exempel 14,3."),
    )
    weekly_overdue = models.BooleanField(
        _("veckovisa påminnelser efter sista dagen"),
        default=True,
        help_text=_("Efter påminnelsen dagen efter sista dagen, en påminnelse varje vecka."),
    )
    escalate_after_days = models.PositiveSmallIntegerField(
        _("meddela kontaktperson och kansli efter (dagar)"),
        default=14,
        help_text=_("Så många dagar efter sista dagen får kontaktpersonen och kansliet besked."),
    )

    class Meta:
        verbose_name = _("inställningar för påminnelser")
        verbose_name_plural = _("inställningar för påminnelser")
        constraints = [models.CheckConstraint(name="remindersettings_singleton", condition=Q(pk=1))]

    def __str__(self):
        return str(_("Inställningar för påminnelser"))

    @classmethod
    def load(cls) -> "ReminderSettings":
        settings_row, _created = cls.objects.get_or_create(pk=1)
        return settings_row

    @property
    def days_before_due_list(self) -> list[int]:
        return sorted({int(part) for part in self.days_before_due.split(",") if part.strip()})


class ClaimedDelivery(models.Model):
    """The delivery state of one claimed e-mail: what the claim, queue and send machinery of
    followup.reminders needs on a row, whichever app's reminder it is.

    A concrete model adds what it is about (a period, a prize call), a `kind` and a `step`, a
    unique key that makes each reminder claimable once, and the hooks `delivery_items()` and
    `email_template` with which reminder_deliver() sends it.
    """

    email = models.EmailField(_("mottagare"))
    # What the e-mail lists, captured when claimed, so a retry sends the same message.
    payload = models.JSONField(_("innehåll"), default=dict)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skickad av"),
    )
    claim_token = models.UUIDField(_("anspråk"), db_index=True)
    claimed_at = models.DateTimeField(_("skapad"), default=timezone.now)
    # The day the sweep was run for (send_reminders --today may differ from the clock).
    sweep_day = models.DateField(_("utskicksdag"), default=timezone.localdate)
    sent_at = models.DateTimeField(_("levererad till e-postservern"), null=True, blank=True)
    # When a worker should next try to send it; a reminder left unsent past this time may have
    # been lost on the way (broker down, worker gone) and is then queued again.
    next_attempt_at = models.DateTimeField(_("nästa försök"), default=timezone.now)
    # When its message was last handed to the broker; empty while none is known to be there.
    # A queued message that waits is not lost (Redis redelivers what a worker took and dropped);
    # one that never got there is.
    queued_at = models.DateTimeField(_("lagd i kön"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    # Why it failed, or why it was not sent after all.
    last_error = models.TextField(_("senaste fel"), blank=True)
    failed_at = models.DateTimeField(_("gav upp"), null=True, blank=True)
    # Not sent after all: by the time it was due to go, the person had left, lost the
    # commitments or been deactivated, or the reports had come in.
    cancelled_at = models.DateTimeField(_("skickades inte"), null=True, blank=True)

    # What reminder_deliver() reads with the row (select_related).
    DELIVERY_RELATED: tuple[str, ...] = ("recipient",)

    class Meta:
        abstract = True

    @property
    def email_template(self) -> str:
        """The e-mail's template prefix for actors.emails.send_templated."""
        raise NotImplementedError

    def delivery_items(self) -> tuple[list[dict], str]:
        """What the e-mail lists now, or why it should not be sent at all (checked again when
        sending: retries go on for days)."""
        raise NotImplementedError

    def email_context(self, items: list[dict]) -> dict[str, Any]:
        return {
            "reminder": self,
            "name": self.payload.get("name", ""),
            "items": items,
            "event": self.payload.get("event", ""),
        }

    @property
    def delivery_state(self) -> str:
        if self.sent_at:
            return "sent"
        if self.failed_at:
            return "failed"
        if self.cancelled_at:
            return "cancelled"
        return "pending"


class Reminder(ClaimedDelivery):
    """One reminder e-mail: claimed (a row) before it is sent, marked once it is.

    The unique key makes a sweep that runs twice, or on two workers at once, claim each
    reminder once only.
    """

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Inbjudan")
        BEFORE_DUE = "before_due", _("Påminnelse före sista dag")
        OVERDUE = "overdue", _("Försenad")
        ESCALATION = "escalation", _("Besked till kontaktperson och kansli")
        MANUAL = "manual", _("Påminnelse från kansliet")
        NOTIFICATION = "notification", _("Bevakning")

    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("period"),
    )
    step = models.CharField(_("steg"), max_length=80)
    kind = models.CharField(_("typ"), max_length=16, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("organisation"),
    )

    class Meta:
        ordering = ["-claimed_at", "pk"]
        verbose_name = _("påminnelse")
        verbose_name_plural = _("påminnelser")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "email", "step"], name="reminder_once_per_address_and_step"
            )
        ]
        indexes = [
            models.Index(fields=["period", "sent_at"]),
            # The reminder log: a period's reminders, newest first, a page at a time.
            models.Index(fields=["period", "claimed_at", "id"], name="reminder_log_idx"),
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(
                    sent_at__isnull=True, failed_at__isnull=True, cancelled_at__isnull=True
                ),
                name="reminder_unsent_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.step} → {self.email}"

    DELIVERY_RELATED = ("period", "organisation", "recipient")

    @property
    def email_template(self) -> str:
        return f"followup/emails/{self.kind}"

    def delivery_items(self) -> tuple[list[dict], str]:
        from followup.reminders import still_due  # the reminders module reads these models

        return still_due(self)

    def email_context(self, items: list[dict]) -> dict[str, Any]:
        # Counted on the day the e-mail goes out (a retry may go a day later), so that the
        # days left or passed that it states are true when it is read.
        days_left = self.period.days_left(timezone.localdate())
        return {
            **super().email_context(items),
            "period": self.period,
            "days_left": days_left,
            "days_passed": max(0, -days_left),
        }


class CommitmentFollow(models.Model):
    """A person who wants to hear when a report on the commitment is submitted or returned."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="followed_commitments",
        verbose_name=_("person"),
    )
    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="followers", verbose_name=_("åtagande")
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("bevakning")
        verbose_name_plural = _("bevakningar")
        constraints = [models.UniqueConstraint(fields=["user", "commitment"], name="follow_once")]

    def __str__(self):
        return f"{self.user} → {self.commitment.code}"
