import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# An erased person's account keeps its row, so that the reports they sent in keep their history,
# under this username and nothing else about them (see privacy.services.personal_data_erase).
ERASED_USERNAME_PREFIX = "borttagen-"


class User(AbstractUser):
    """A person who signs in. Kept as our own model so that it can grow without a migration
    of auth's tables later; today it only insists on an e-mail address for reminders."""

    email = models.EmailField(_("e-postadress"))

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("användare")
        verbose_name_plural = _("användare")

    def __str__(self):
        if self.is_erased:
            return str(_("borttagen användare"))
        return self.get_full_name() or self.username

    @property
    def is_erased(self) -> bool:
        return not self.is_active and self.username.startswith(ERASED_USERNAME_PREFIX)


class OrganisationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def municipalities(self):
        return self.filter(kind=Organisation.Kind.MUNICIPALITY)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        STATE_AGENCY = "state_agency", _("Statlig myndighet")
        REGION = "region", _("Region")
        MUNICIPALITY = "municipality", _("Kommun")
        MUNICIPAL_ASSOCIATION = "municipal_association", _("Kommunförbund")

    class Affiliation(models.TextChoices):
        MEMBER = "member", _("Medlem")
        PARTNER = "partner", _("Samverkanspart")
        REPRESENTED = "represented", _("Företrädd av Storsthlm")

    name = models.CharField(_("namn"), max_length=200, unique=True)
    short_name = models.CharField(_("kortnamn"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    kind = models.CharField(_("typ"), max_length=32, choices=Kind.choices)
    affiliation = models.CharField(
        _("roll i samverkan"), max_length=16, choices=Affiliation.choices
    )
    municipality_code = models.CharField(
        _("kommunkod"),
        max_length=4,
        blank=True,
        help_text=_("Officiell fyrsiffrig kommunkod, till exempel 0180. Endast för kommuner."),
    )
    contact_email = models.EmailField(
        _("funktionsadress"),
        blank=True,
        help_text=_("Organisationens gemensamma adress för påminnelser om sena rapporter."),
    )
    is_active = models.BooleanField(
        _("aktiv"),
        default=True,
        help_text=_(
            "En inaktiv organisation behåller sin historik men påminns inte, räknas inte i "
            "uppföljningen och dess personer når inte längre dess åtaganden."
        ),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        constraints = [
            models.CheckConstraint(
                name="organisation_code_only_on_municipalities",
                condition=(Q(kind="municipality") & ~Q(municipality_code=""))
                | (~Q(kind="municipality") & Q(municipality_code="")),
                violation_error_message=_("Kommuner, och bara kommuner, har en kommunkod."),
            ),
            models.CheckConstraint(
                name="organisation_municipality_code_format",
                # Stockholm county's municipalities are 01xx.
                condition=Q(municipality_code="") | Q(municipality_code__regex=r"^01[0-9]{2}$"),
                violation_error_message=_("Kommunkoden ska vara fyra siffror som börjar på 01."),
            ),
            models.UniqueConstraint(
                fields=["municipality_code"],
                condition=~Q(municipality_code=""),
                name="organisation_unique_municipality_code",
                violation_error_message=_("Kommunkoden används redan av en annan organisation."),
            ),
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A person's role at an organisation. Permissions follow from it (see actors.permissions)."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Samordnare")
        COUNTY_STAFF = "county_staff", _("Kansli")
        # A colleague reports only on the commitments a coordinator delegates to them.
        COLLEAGUE = "colleague", _("Medarbetare")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("roll"), max_length=16, choices=Role.choices)
    is_contact_person = models.BooleanField(
        _("kontaktperson"),
        default=False,
        help_text=_("Får besked när organisationen ligger efter med sin rapportering."),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        # No default ordering: one through the organisation and the person joined both into
        # every read of memberships (the access check on every page among them). Lists order
        # what they show.
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                name="membership_unique_user_organisation",
                violation_error_message=_("Personen hör redan till organisationen."),
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


def invitation_token_hash(token: str) -> str:
    """What is stored of an invitation's token: its SHA-256. The raw token (256 random bits)
    travels only in the e-mail's link, so a copy of the database opens no invitation."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class Invitation(models.Model):
    """An e-mail inviting a person to an organisation with a role, accepted once by a link.

    Only the hash of the link's token is kept; the token is made, and the link sent, by the
    e-mail task (actors.services.invitation_send), so it never rests in the database or the
    broker. An administrator invitation has no organisation: it makes the person a superuser.
    """

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Samordnare")
        COUNTY_STAFF = "county_staff", _("Kansli")
        COLLEAGUE = "colleague", _("Medarbetare")
        ADMINISTRATOR = "administrator", _("Administratör")

    class State(models.TextChoices):
        PENDING = "pending", _("Väntar på svar")
        ACCEPTED = "accepted", _("Mottagen")
        EXPIRED = "expired", _("Har gått ut")
        REVOKED = "revoked", _("Återkallad")

    email = models.EmailField(_("e-postadress"))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("roll"), max_length=16, choices=Role.choices)
    is_contact_person = models.BooleanField(_("kontaktperson"), default=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("inbjuden av"),
    )
    # None until the e-mail task has made the first token, and again when a new one is on its
    # way (NULLs are distinct, so unique holds for the real hashes only).
    token_hash = models.CharField(
        _("token (SHA-256)"), max_length=64, null=True, blank=True, unique=True, default=None
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    expires_at = models.DateTimeField(_("gäller till"))
    accepted_at = models.DateTimeField(_("mottagen"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mottagen av"),
    )
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("inbjudan")
        verbose_name_plural = _("inbjudningar")
        constraints = [
            models.CheckConstraint(
                name="invitation_organisation_unless_administrator",
                condition=(Q(role="administrator") & Q(organisation__isnull=True))
                | (~Q(role="administrator") & Q(organisation__isnull=False)),
                violation_error_message=_(
                    "En administratör bjuds in utan organisation, alla andra till en."
                ),
            ),
            models.CheckConstraint(
                name="invitation_administrator_not_contact_person",
                condition=~Q(role="administrator") | Q(is_contact_person=False),
                violation_error_message=_("En administratör är ingen kontaktperson."),
            ),
        ]

    def __str__(self):
        return f"{self.email} ({self.get_role_display()})"

    @property
    def state(self) -> str:
        if self.accepted_at is not None:
            return self.State.ACCEPTED
        if self.revoked_at is not None:
            return self.State.REVOKED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State.PENDING

    def get_state_display(self) -> str:
        return self.State(self.state).label

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING

    @property
    def is_administrator(self) -> bool:
        return self.role == self.Role.ADMINISTRATOR


# --- The derived access index -------------------------------------------------------------------
# Who may report on a commitment is stored twice: as domain rows (memberships, the commitments'
# responsible organisations, delegations) and as django-guardian grants to groups. The groups
# below are the people's side of those grants. Their members are derived from the memberships
# by actors.services alone; a group is deleted with the row it belongs to.


class CoordinatorGroup(Group):
    """An organisation's coordinators: holds the report grants on its commitments."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="coordinator_group",
        verbose_name=_("organisation"),
    )

    class Meta:
        verbose_name = _("samordnargrupp")
        verbose_name_plural = _("samordnargrupper")


class MemberGroup(Group):
    """One person at one organisation: holds the grants of the commitments delegated to them."""

    membership = models.OneToOneField(
        Membership,
        on_delete=models.CASCADE,
        related_name="member_group",
        verbose_name=_("medlemskap"),
    )

    class Meta:
        verbose_name = _("delegeringsgrupp")
        verbose_name_plural = _("delegeringsgrupper")
