"""Kvinnofridspriset: the yearly call for nominations, the nominations, the jury and the award.

Nominations, drafts and unsuccessful nominations are never public: only an Award's published
motivation, written fresh by the jury, reaches the public pages.
"""

import datetime
import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.models import Organisation
from followup.models import ClaimedDelivery

# Each attachment at most this big; the request body limit lets a form with a few through.
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
# How long a visitor's confirmation link works.
CONFIRMATION_VALID_FOR = datetime.timedelta(days=3)

# The four criteria every new call starts with; county staff may edit them per call.
DEFAULT_CRITERIA = [
    (
        _("Samverkan mellan organisationer"),
        _("Arbetet bedrivs tillsammans med andra organisationer och över gränser."),
    ),
    (
        _("Långsiktigt och en del av det ordinarie arbetet"),
        _("Arbetet är inte ett tillfälligt projekt utan ingår i verksamhetens vardag."),
    ),
    (
        _("Visade resultat"),
        _("Arbetet har följts upp och kan visa resultat."),
    ),
    (
        _("Möjligt för andra att använda"),
        _("Andra organisationer kan ta efter eller återanvända arbetet."),
    ),
]


def confirmation_token_hash(token: str) -> str:
    """What is stored of a visitor's confirmation token: its SHA-256 (as actors' invitations)."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class PrizeCallQuerySet(models.QuerySet):
    def open_on(self, day: datetime.date):
        return self.filter(opens_on__lte=day, closes_on__gte=day)


class PrizeCall(models.Model):
    """One year's call for nominations to Kvinnofridspriset."""

    class State(models.TextChoices):
        UPCOMING = "upcoming", _("Öppnar senare")
        OPEN = "open", _("Öppen för nomineringar")
        JURY = "jury", _("Juryn bedömer")
        DECIDED = "decided", _("Beslutad")
        PUBLISHED = "published", _("Vinnaren publicerad")

    year = models.PositiveSmallIntegerField(_("år"), unique=True)
    opens_on = models.DateField(_("öppnar"))
    closes_on = models.DateField(_("sista dag att nominera"))
    decision_on = models.DateField(
        _("beslutsdatum"),
        null=True,
        blank=True,
        help_text=_("Till exempel dagen för den regionala konferensen."),
    )
    description = models.TextField(_("beskrivning"), blank=True)
    # The chair opens every juror's scores to the whole jury before all have scored.
    scores_opened_at = models.DateTimeField(_("poängen öppnade"), null=True, blank=True)
    scores_opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("poängen öppnade av"),
    )
    decided_at = models.DateTimeField(_("beslutad"), null=True, blank=True)
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    objects = PrizeCallQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("nomineringsomgång")
        verbose_name_plural = _("nomineringsomgångar")
        constraints = [
            models.CheckConstraint(
                name="prizecall_dates_in_order",
                condition=Q(opens_on__lte=F("closes_on")),
                violation_error_message=_("Sista dag att nominera kan inte komma före öppnandet."),
            ),
            models.CheckConstraint(
                name="prizecall_decision_after_closing",
                condition=Q(decision_on__isnull=True) | Q(decision_on__gte=F("closes_on")),
                violation_error_message=_("Beslutsdatumet kan inte komma före sista dag."),
            ),
            models.CheckConstraint(
                name="prizecall_published_only_when_decided",
                condition=Q(published_at__isnull=True) | Q(decided_at__isnull=False),
                violation_error_message=_("Bara ett beslut kan publiceras."),
            ),
        ]

    def __str__(self):
        return str(_("Kvinnofridspriset %(year)s") % {"year": self.year})

    def state_on(self, day: datetime.date) -> str:
        if self.published_at:
            return self.State.PUBLISHED
        if self.decided_at:
            return self.State.DECIDED
        if day < self.opens_on:
            return self.State.UPCOMING
        if day <= self.closes_on:
            return self.State.OPEN
        return self.State.JURY

    @property
    def state(self) -> str:
        return self.state_on(timezone.localdate())

    def get_state_display(self) -> str:
        return self.State(self.state).label

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class Criterion(models.Model):
    """What the jury judges a nomination by; the nominator motivates each one."""

    call = models.ForeignKey(
        PrizeCall, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("omgång")
    )
    position = models.PositiveSmallIntegerField(_("ordning"))
    title = models.CharField(_("kriterium"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)

    class Meta:
        ordering = ["call", "position", "pk"]
        verbose_name = _("kriterium")
        verbose_name_plural = _("kriterier")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "position"],
                name="criterion_unique_position",
                violation_error_message=_("Två kriterier kan inte ha samma ordning."),
            )
        ]

    def __str__(self):
        return self.title


class NominationQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(state=Nomination.State.SUBMITTED)

    def for_jury(self):
        """What the jury sees: submitted (for visitors: confirmed) and not hidden by staff."""
        return self.submitted().filter(hidden_at__isnull=True)

    def by_user(self, user):
        return self.filter(nominator=user)

    def visible_to(self, access):
        """Never public. The nominator sees their own (drafts included); county staff and
        administrators all but others' drafts; jurors of a call what the jury sees of it."""
        user = access.user
        if not user.is_authenticated or not user.is_active:
            return self.none()
        visible = Q(nominator=user)
        if access.sees_all_reports:
            visible |= ~Q(state=Nomination.State.DRAFT)
        visible |= Q(
            call__jury__user=user,
            state=Nomination.State.SUBMITTED,
            hidden_at__isnull=True,
        )
        return self.filter(visible).distinct()


class Nomination(models.Model):
    """A unit of an organisation put forward for the prize, with a motivation per criterion.

    Signed-in people nominate as themselves; a visitor gives a name and an e-mail address, and
    the nomination is submitted only once the address is confirmed by a link (only the link
    token's hash is kept).
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        AWAITING_CONFIRMATION = "awaiting_confirmation", _("Väntar på bekräftad e-postadress")
        SUBMITTED = "submitted", _("Inskickad")

    call = models.ForeignKey(
        PrizeCall, on_delete=models.CASCADE, related_name="nominations", verbose_name=_("omgång")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="prize_nominations",
        verbose_name=_("nominerad organisation"),
    )
    unit_name = models.CharField(
        _("enhet eller verksamhet"),
        max_length=200,
        help_text=_("Till exempel en enhet, ett team eller en verksamhet inom organisationen."),
    )
    title = models.CharField(_("rubrik"), max_length=200)
    summary = models.TextField(_("sammanfattning"))
    state = models.CharField(_("status"), max_length=24, choices=State.choices, default=State.DRAFT)
    nominator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="prize_nominations",
        verbose_name=_("nominerad av"),
    )
    # A visitor's own name and address; empty for a signed-in nominator.
    nominator_name = models.CharField(_("ditt namn"), max_length=200, blank=True)
    nominator_email = models.EmailField(_("din e-postadress"), blank=True)
    email_confirmed_at = models.DateTimeField(_("e-postadress bekräftad"), null=True, blank=True)
    # NULL when no link is outstanding (NULLs are distinct, so unique holds for real hashes).
    confirmation_token_hash = models.CharField(
        _("bekräftelsetoken (SHA-256)"),
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        default=None,
    )
    confirmation_expires_at = models.DateTimeField(_("länken gäller till"), null=True, blank=True)
    contact_name = models.CharField(_("kontaktperson"), max_length=200, blank=True)
    contact_email = models.EmailField(_("kontaktpersonens e-postadress"), blank=True)
    # The contact person agreed to be named; when the nominator said so.
    contact_consent_at = models.DateTimeField(
        _("kontaktpersonen har samtyckt"), null=True, blank=True
    )
    hidden_at = models.DateTimeField(_("dold för juryn"), null=True, blank=True)
    hidden_reason = models.TextField(_("skäl att dölja"), blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dold av"),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    submitted_at = models.DateTimeField(_("inskickad"), null=True, blank=True)

    objects = NominationQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("nominering")
        verbose_name_plural = _("nomineringar")
        constraints = [
            models.CheckConstraint(
                name="nomination_nominator_known",
                condition=Q(nominator__isnull=False)
                | (~Q(nominator_name="") & ~Q(nominator_email="")),
                violation_error_message=_(
                    "En nominering har en inloggad avsändare eller ett namn och en e-postadress."
                ),
            ),
            models.CheckConstraint(
                name="nomination_contact_has_consent",
                condition=(Q(contact_name="") & Q(contact_email=""))
                | Q(contact_consent_at__isnull=False),
                violation_error_message=_("En kontaktperson får bara anges med samtycke."),
            ),
            models.CheckConstraint(
                name="nomination_hidden_with_reason",
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                violation_error_message=_("Ange varför nomineringen döljs."),
            ),
            models.CheckConstraint(
                name="nomination_submitted_has_time",
                condition=(Q(state="submitted") & Q(submitted_at__isnull=False))
                | (~Q(state="submitted") & Q(submitted_at__isnull=True)),
                violation_error_message=_("En inskickad nominering har en tid för inskickandet."),
            ),
            models.CheckConstraint(
                name="nomination_visitor_submitted_only_confirmed",
                condition=~Q(state="submitted")
                | Q(nominator__isnull=False)
                | Q(email_confirmed_at__isnull=False),
                violation_error_message=_(
                    "En besökares nominering skickas in först när e-postadressen är bekräftad."
                ),
            ),
        ]
        indexes = [models.Index(fields=["call", "state", "hidden_at"])]

    def __str__(self):
        return f"{self.title} ({self.unit_name}, {self.organisation})"

    @property
    def is_submitted(self) -> bool:
        return self.state == self.State.SUBMITTED

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_by_visitor(self) -> bool:
        return self.nominator_id is None and bool(self.nominator_email)

    @property
    def nominator_display(self) -> str:
        if self.nominator_id:
            return self.nominator.get_full_name() or self.nominator.username
        return self.nominator_name


class Motivation(models.Model):
    """The nominator's motivation for one criterion."""

    nomination = models.ForeignKey(
        Nomination,
        on_delete=models.CASCADE,
        related_name="motivations",
        verbose_name=_("nominering"),
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="motivations", verbose_name=_("kriterium")
    )
    text = models.TextField(_("motivering"), blank=True)

    class Meta:
        ordering = ["criterion__position"]
        verbose_name = _("motivering")
        verbose_name_plural = _("motiveringar")
        constraints = [
            models.UniqueConstraint(
                fields=["nomination", "criterion"], name="motivation_one_per_criterion"
            )
        ]

    def __str__(self):
        return f"{self.nomination_id}: {self.criterion}"


def attachment_path(attachment: "Attachment", filename: str) -> str:
    # Never the uploaded name (it is kept apart): a path that nobody can guess or abuse.
    return f"private/prize/{attachment.nomination.call.year}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A PDF or image attached to a nomination, its type detected from its content.

    Stored outside any public URL; downloaded only through a view that checks who asks.
    """

    class ContentType(models.TextChoices):
        PDF = "application/pdf", _("PDF")
        PNG = "image/png", _("PNG-bild")
        JPEG = "image/jpeg", _("JPEG-bild")
        WEBP = "image/webp", _("WebP-bild")

    nomination = models.ForeignKey(
        Nomination,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("nominering"),
    )
    file = models.FileField(_("fil"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("filnamn"), max_length=255)
    content_type = models.CharField(_("filtyp"), max_length=40, choices=ContentType.choices)
    size = models.PositiveIntegerField(_("storlek (byte)"))
    uploaded_at = models.DateTimeField(_("uppladdad"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")
        constraints = [
            models.CheckConstraint(
                name="attachment_at_most_10_mb",
                condition=Q(size__lte=ATTACHMENT_MAX_BYTES),
                violation_error_message=_("En bilaga får vara högst 10 MB."),
            )
        ]

    def __str__(self):
        return self.original_name


class JuryMember(models.Model):
    """A person appointed by county staff to the year's jury."""

    call = models.ForeignKey(
        PrizeCall, on_delete=models.CASCADE, related_name="jury", verbose_name=_("omgång")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="prize_juries",
        verbose_name=_("person"),
    )
    is_chair = models.BooleanField(_("ordförande"), default=False)
    appointed_at = models.DateTimeField(_("utsedd"), auto_now_add=True)

    class Meta:
        ordering = ["call", "-is_chair", "pk"]
        verbose_name = _("jurymedlem")
        verbose_name_plural = _("jurymedlemmar")
        constraints = [
            models.UniqueConstraint(fields=["call", "user"], name="jurymember_once_per_call"),
            models.UniqueConstraint(
                fields=["call"],
                condition=Q(is_chair=True),
                name="jurymember_one_chair_per_call",
                violation_error_message=_("Juryn har redan en ordförande."),
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.call})"


class Score(models.Model):
    """One juror's score, 1 to 5, of one nomination on one criterion."""

    juror = models.ForeignKey(
        JuryMember, on_delete=models.CASCADE, related_name="scores", verbose_name=_("jurymedlem")
    )
    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="scores", verbose_name=_("nominering")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="scores", verbose_name=_("kriterium")
    )
    value = models.PositiveSmallIntegerField(_("poäng"))
    comment = models.TextField(_("kommentar"), blank=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        ordering = ["nomination", "criterion__position", "juror"]
        verbose_name = _("poäng")
        verbose_name_plural = _("poäng")
        constraints = [
            models.CheckConstraint(
                name="score_between_1_and_5",
                condition=Q(value__gte=1) & Q(value__lte=5),
                violation_error_message=_("Poängen ska vara från 1 till 5."),
            ),
            models.UniqueConstraint(
                fields=["juror", "nomination", "criterion"],
                name="score_once_per_juror_nomination_criterion",
            ),
        ]

    def __str__(self):
        return f"{self.juror}: {self.nomination_id} / {self.criterion_id} = {self.value}"


class Award(models.Model):
    """The jury's decision: a winner of the year's prize and the motivation it publishes.

    The nomination is empty for winners from before the portal (2018); the organisation and
    unit are then the only link.
    """

    call = models.ForeignKey(
        PrizeCall, on_delete=models.CASCADE, related_name="awards", verbose_name=_("omgång")
    )
    nomination = models.OneToOneField(
        Nomination,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="award",
        verbose_name=_("nominering"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="prize_awards",
        verbose_name=_("organisation"),
    )
    unit_name = models.CharField(_("enhet eller verksamhet"), max_length=200, blank=True)
    # Written fresh by the jury: the nomination's own text is never published.
    motivation = models.TextField(_("juryns motivering"))
    decided_at = models.DateTimeField(_("beslutad"), default=timezone.now)
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)
    # The winner's entries in the good-practice library; the public page links the published.
    practices = models.ManyToManyField(
        "practices.Practice",
        blank=True,
        related_name="prize_awards",
        verbose_name=_("goda exempel"),
    )

    class Meta:
        ordering = ["-call__year", "pk"]
        verbose_name = _("pristagare")
        verbose_name_plural = _("pristagare")

    def __str__(self):
        return f"{self.call.year}: {self.unit_name or self.organisation}"


class PrizeReminder(ClaimedDelivery):
    """One e-mail of the call's reminders, claimed and sent by followup.reminders' machinery."""

    class Kind(models.TextChoices):
        CALL_OPENING = "call_opening", _("Nomineringen har öppnat")
        DEADLINE = "deadline", _("Sista dag att nominera närmar sig")
        SCORES_MISSING = "scores_missing", _("Poäng saknas")

    call = models.ForeignKey(
        PrizeCall, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("omgång")
    )
    step = models.CharField(_("steg"), max_length=80)
    kind = models.CharField(_("typ"), max_length=16, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="prize_reminders",
        verbose_name=_("person"),
    )

    class Meta:
        ordering = ["-claimed_at", "pk"]
        verbose_name = _("påminnelse om priset")
        verbose_name_plural = _("påminnelser om priset")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "email", "step"], name="prizereminder_once_per_address_and_step"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(
                    sent_at__isnull=True, failed_at__isnull=True, cancelled_at__isnull=True
                ),
                name="prizereminder_unsent_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.step} → {self.email}"

    DELIVERY_RELATED = ("call", "recipient")

    @property
    def email_template(self) -> str:
        return f"prize/emails/{self.kind}"

    def delivery_items(self) -> tuple[list[dict], str]:
        from prize.reminders import prize_reminder_still_due  # it reads these models

        return prize_reminder_still_due(self)

    def email_context(self, items: list[dict]) -> dict:
        return {**super().email_context(items), "call": self.call}
