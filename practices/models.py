"""The good-practice library: ways of working that organisations in the county share.

An entry is proposed by a coordinator for their organisation and public only once county staff
approve it. Its address (the slug) follows the title while it is a draft and is frozen from the
first approval on, so that a shared link keeps working.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from actionplan.models import Commitment, Goal, ViolenceArea
from actors.models import Membership, Organisation


def _coordinates(user):
    # Exists rather than a join: no DISTINCT over whole rows for a page and its count.
    return Membership.objects.filter(
        user=user,
        role=Membership.Role.COORDINATOR,
        organisation=OuterRef("proposing_organisation"),
        organisation__is_active=True,
    )


class PracticeQuerySet(models.QuerySet):
    def public(self):
        return self.filter(state=Practice.State.APPROVED)

    def visible_to(self, user, *, sees_all: bool):
        """Approved entries for everyone; the others for county staff and administrators
        (`sees_all`) and for the coordinators of the proposing organisation."""
        if sees_all:
            return self.all()
        if not (user.is_authenticated and user.is_active):
            return self.public()
        return self.filter(Q(state=Practice.State.APPROVED) | Q(Exists(_coordinates(user))))

    def of_coordinator(self, user):
        """The entries of the organisations the person coordinates, in every state."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(Exists(_coordinates(user)))

    def for_list(self):
        """Everything a list of entries shows, in a fixed number of queries."""
        return self.select_related("proposing_organisation").prefetch_related(
            "organisations", "municipalities", "goals", "violence_areas"
        )

    def for_detail(self):
        return self.for_list().select_related("proposed_by", "approved_by")


class Practice(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        PROPOSED = "proposed", _("Föreslaget")
        RETURNED = "returned", _("Återsänt")
        APPROVED = "approved", _("Publicerat")

    class TargetGroup(models.TextChoices):
        CHILDREN = "children", _("Barn")
        YOUNG_PEOPLE = "young_people", _("Unga")
        ADULTS_EXPOSED = "adults_exposed", _("Vuxna som utsätts för våld")
        ADULTS_USING_VIOLENCE = "adults_using_violence", _("Vuxna som utövar våld")
        PROFESSIONALS = "professionals", _("Yrkesverksamma")
        PUBLIC = "public", _("Allmänheten")

    class EvidenceLevel(models.IntegerChoices):
        # Ordered: a higher number says more about the effect.
        DESCRIBED = 1, _("Beskriven")
        FOLLOWED_UP = 2, _("Uppföljd")
        EVALUATED = 3, _("Utvärderad")
        CONTROLLED = 4, _("Utvärderad med kontrollgrupp")

    EVIDENCE_EXPLANATIONS = {
        EvidenceLevel.DESCRIBED: _(
            "Arbetssättet är beskrivet: vad som görs, för vem och hur. Effekten är inte undersökt."
        ),
        EvidenceLevel.FOLLOWED_UP: _(
            "Arbetet följs upp, till exempel med hur många som deltar och vad deltagarna tycker, "
            "men effekten är inte utvärderad."
        ),
        EvidenceLevel.EVALUATED: _(
            "En utvärdering har jämfört läget före och efter insatsen, utan en jämförelsegrupp. "
            "Förändringar kan därför ha andra orsaker."
        ),
        EvidenceLevel.CONTROLLED: _(
            "Effekten är utvärderad med en kontrollgrupp som inte fick insatsen. Det är den "
            "starkaste kunskap om effekt som biblioteket anger."
        ),
    }

    slug = models.SlugField(
        _("adress"),
        max_length=80,
        unique=True,
        help_text=_("Exemplets adress. Ändras inte efter att exemplet har publicerats."),
    )
    title = models.CharField(_("titel"), max_length=200)
    summary = models.TextField(_("sammanfattning"), max_length=600)
    proposing_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="proposed_practices",
        verbose_name=_("föreslås av"),
    )
    organisations = models.ManyToManyField(
        Organisation,
        related_name="practices",
        verbose_name=_("organisationer som arbetar så"),
    )
    municipalities = models.ManyToManyField(
        Organisation,
        related_name="practices_in_municipality",
        blank=True,
        limit_choices_to={"kind": Organisation.Kind.MUNICIPALITY},
        verbose_name=_("kommuner"),
    )
    goals = models.ManyToManyField(Goal, related_name="practices", verbose_name=_("mål"))
    violence_areas = models.ManyToManyField(
        ViolenceArea, related_name="practices", verbose_name=_("våldsområden")
    )
    target_group = models.CharField(_("målgrupp"), max_length=32, choices=TargetGroup.choices)
    target_group_details = models.CharField(
        _("målgruppen närmare"),
        max_length=200,
        blank=True,
        help_text=_("Till exempel åldrar eller årskurser."),
    )
    what_is_done = models.TextField(_("vad som görs"))
    organisation_of_work = models.TextField(_("hur arbetet är organiserat"))
    cost = models.TextField(_("vad det kostar"), blank=True)
    evidence_level = models.PositiveSmallIntegerField(
        _("kunskap om effekt"), choices=EvidenceLevel.choices
    )
    sources = models.TextField(
        _("källor"), blank=True, help_text=_("En källa per rad: rapporter, utvärderingar, länkar.")
    )
    contact_name = models.CharField(_("kontaktperson"), max_length=200, blank=True)
    contact_role = models.CharField(_("roll eller funktion"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-post till kontakten"), blank=True)
    contact_phone = models.CharField(_("telefon till kontakten"), max_length=40, blank=True)
    contact_consented = models.BooleanField(_("kontakten har gått med på att visas"), default=False)
    commitments = models.ManyToManyField(
        Commitment,
        related_name="practices",
        blank=True,
        verbose_name=_("åtaganden som bygger på metoden"),
    )
    state = models.CharField(_("läge"), max_length=16, choices=State.choices, default=State.DRAFT)
    return_comment = models.TextField(_("kansliets kommentar"), blank=True)
    is_example = models.BooleanField(
        _("exempel"), default=False, help_text=_("Levereras med portalen som exempel.")
    )
    is_demo = models.BooleanField(
        _("demodata"), default=False, help_text=_("Påhittat exempel från seed_demo.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skapat av"),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("föreslaget av"),
    )
    proposed_at = models.DateTimeField(_("föreslaget"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("godkänt av"),
    )
    approved_at = models.DateTimeField(_("publicerat"), null=True, blank=True)
    created_at = models.DateTimeField(_("skapat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrat"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[organisations, goals, commitments])

    objects = PracticeQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("gott exempel")
        verbose_name_plural = _("goda exempel")
        constraints = [
            models.CheckConstraint(
                name="practice_approved_has_time",
                condition=~Q(state="approved") | Q(approved_at__isnull=False),
                violation_error_message=_(
                    "Ett publicerat exempel har en tidpunkt för godkännandet."
                ),
            ),
        ]
        indexes = [models.Index(fields=["state", "proposed_at"], name="practice_state_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("practices:practice-detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.state == self.State.APPROVED

    @property
    def is_editable_by_proposer(self) -> bool:
        """The proposing organisation writes while it holds the entry: before it is sent for
        review, and when it comes back."""
        return self.state in (self.State.DRAFT, self.State.RETURNED)

    @property
    def slug_is_frozen(self) -> bool:
        # Once public, the address may have been shared.
        return self.approved_at is not None

    @property
    def evidence_explanation(self) -> str:
        return self.EVIDENCE_EXPLANATIONS[self.EvidenceLevel(self.evidence_level)]

    @property
    def has_contact(self) -> bool:
        return self.contact_consented and bool(
            self.contact_name or self.contact_email or self.contact_phone
        )

    def source_lines(self) -> list[str]:
        return [line.strip() for line in self.sources.splitlines() if line.strip()]
