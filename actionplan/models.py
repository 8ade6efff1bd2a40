from dataclasses import dataclass

from django.conf import settings
from django.db import connection, models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase
from simple_history.models import HistoricalRecords

from actors.models import Invitation, Membership, Organisation


def _years_in_order(prefix: str):
    return models.CheckConstraint(
        name=f"{prefix}_years_in_order",
        condition=Q(start_year__lte=F("end_year")),
        violation_error_message=_("Startåret får inte ligga efter slutåret."),
    )


class Strategy(models.Model):
    title = models.CharField(_("titel"), max_length=300, unique=True)
    short_title = models.CharField(_("kort titel"), max_length=100)
    start_year = models.PositiveSmallIntegerField(_("från år"))
    end_year = models.PositiveSmallIntegerField(_("till och med år"))

    class Meta:
        ordering = ["-start_year"]
        verbose_name = _("strategi")
        verbose_name_plural = _("strategier")
        constraints = [_years_in_order("strategy")]

    def __str__(self):
        return self.short_title


class Goal(models.Model):
    strategy = models.ForeignKey(
        Strategy, on_delete=models.PROTECT, related_name="goals", verbose_name=_("strategi")
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)

    class Meta:
        # By the strategy's key: ordering through it would join the strategy into every read.
        ordering = ["strategy_id", "number"]
        verbose_name = _("regionalt mål")
        verbose_name_plural = _("regionala mål")
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "number"],
                name="goal_unique_number_in_strategy",
                violation_error_message=_("Strategin har redan ett mål med det numret."),
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class ViolenceArea(models.Model):
    name = models.CharField(_("namn"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("våldsområde")
        verbose_name_plural = _("våldsområden")

    def __str__(self):
        return self.name


class ActionPlan(models.Model):
    strategy = models.ForeignKey(
        Strategy,
        on_delete=models.PROTECT,
        related_name="action_plans",
        verbose_name=_("strategi"),
    )
    title = models.CharField(_("titel"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    # A plan may outlast its strategy's period (2024–2027 under the strategy 2020–2026).
    start_year = models.PositiveSmallIntegerField(_("från år"))
    end_year = models.PositiveSmallIntegerField(_("till och med år"))

    class Meta:
        ordering = ["-start_year"]
        verbose_name = _("handlingsplan")
        verbose_name_plural = _("handlingsplaner")
        constraints = [_years_in_order("actionplan")]

    def __str__(self):
        return self.title


class CommitmentQuerySet(models.QuerySet):
    def in_scope_for_year(self, year: int):
        """Commitments that run during the year and are not cancelled."""
        return self.filter(start_year__lte=year, end_year__gte=year).exclude(
            state=Commitment.State.CANCELLED
        )

    def for_list(self):
        """Everything the commitment list shows, in a fixed number of queries."""
        return self.select_related("plan", "lead_organisation").prefetch_related(
            "goals", "violence_areas", "participating_organisations"
        )


class Commitment(models.Model):
    class State(models.TextChoices):
        PLANNED = "planned", _("Planerat")
        ACTIVE = "active", _("Pågående")
        COMPLETED = "completed", _("Avslutat")
        CANCELLED = "cancelled", _("Avbrutet")

    class Relation(models.TextChoices):
        CONTINUES = "continues", _("Fortsätter")
        REPLACES = "replaces", _("Ersätter")

    plan = models.ForeignKey(
        ActionPlan,
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("handlingsplan"),
    )
    code = models.CharField(
        _("nummer"), max_length=20, help_text=_("Åtagandets nummer i planen, till exempel 2.3.")
    )
    title = models.CharField(_("titel"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)
    goals = models.ManyToManyField(Goal, related_name="commitments", verbose_name=_("mål"))
    violence_areas = models.ManyToManyField(
        ViolenceArea, related_name="commitments", blank=True, verbose_name=_("våldsområden")
    )
    lead_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="led_commitments",
        verbose_name=_("ansvarig organisation"),
    )
    participating_organisations = models.ManyToManyField(
        Organisation,
        related_name="joint_commitments",
        blank=True,
        verbose_name=_("medverkande organisationer"),
        help_text=_("Fylls i för myndighetsgemensamma satsningar."),
    )
    start_year = models.PositiveSmallIntegerField(_("från år"))
    end_year = models.PositiveSmallIntegerField(_("till och med år"))
    state = models.CharField(_("läge"), max_length=16, choices=State.choices, default=State.ACTIVE)
    # The line across the plans: the commitment in an earlier plan that this one continues or
    # replaces. Indexed concurrently in a migration of its own (the table is big).
    predecessor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        related_name="successors",
        verbose_name=_("föregångare"),
        help_text=_("Åtagandet i en tidigare handlingsplan som det här fortsätter eller ersätter."),
    )
    predecessor_relation = models.CharField(
        _("förhållande till föregångaren"),
        max_length=16,
        choices=Relation.choices,
        blank=True,
        default="",
        db_default="",
    )
    is_demo = models.BooleanField(
        _("demodata"), default=False, help_text=_("Påhittat åtagande från seed_demo.")
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    history = HistoricalRecords(
        m2m_fields=[goals, participating_organisations], no_db_index=["predecessor"]
    )

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        # By the plan's key, not through the plan (which would join it into every bulk read);
        # the unique (plan, code) index serves this order. Pages order what they show.
        ordering = ["plan_id", "code"]
        verbose_name = _("åtagande")
        verbose_name_plural = _("åtaganden")
        permissions = [("report_on_commitment", _("Kan rapportera om åtagandet"))]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"],
                name="commitment_unique_code_in_plan",
                violation_error_message=_("Planen har redan ett åtagande med det numret."),
            ),
            _years_in_order("commitment"),
        ]
        indexes = [
            # The successors of a commitment (its line across the plans); few rows have one.
            models.Index(
                fields=["predecessor"],
                condition=Q(predecessor__isnull=False),
                name="commitment_predecessor_idx",
            )
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def in_scope_for_year(self, year: int) -> bool:
        """The same rule as CommitmentQuerySet.in_scope_for_year, for one loaded row."""
        return self.start_year <= year <= self.end_year and self.state != self.State.CANCELLED

    def responsible_organisations(self) -> list[Organisation]:
        """The lead first, then the participants (uses the prefetch when there is one)."""
        return [self.lead_organisation, *self.participating_organisations.all()]


# A line longer than this is a loop made by hand in the admin, not a history of plans.
LINEAGE_MAX_STEPS = 50


@dataclass(frozen=True)
class LineageEntry:
    """One commitment in a line across the plans (see `Commitment.lineage`)."""

    pk: int
    code: str
    title: str
    state: str
    relation: str
    plan_title: str
    plan_start_year: int
    is_current: bool

    def get_state_display(self) -> str:
        return Commitment.State(self.state).label

    def get_relation_display(self) -> str:
        return Commitment.Relation(self.relation).label if self.relation else ""


def commitment_lineage(commitment_pk: int) -> list[LineageEntry]:
    """The commitment's line across the plans, oldest first: every predecessor back to the
    first, the commitment, and every successor after it (a commitment split in two has two).

    One query, however long the line (a recursive query both ways).
    """
    table = Commitment._meta.db_table
    plans = ActionPlan._meta.db_table
    sql = f"""
        WITH RECURSIVE
        ancestors (id, predecessor_id, depth) AS (
            SELECT id, predecessor_id, 0 FROM {table} WHERE id = %(pk)s
            UNION ALL
            SELECT c.id, c.predecessor_id, a.depth - 1
            FROM {table} c JOIN ancestors a ON c.id = a.predecessor_id
            WHERE a.depth > -%(steps)s
        ),
        descendants (id, depth) AS (
            SELECT id, 0 FROM {table} WHERE id = %(pk)s
            UNION ALL
            SELECT c.id, d.depth + 1
            FROM {table} c JOIN descendants d ON c.predecessor_id = d.id
            WHERE d.depth < %(steps)s
        ),
        line (id, depth) AS (
            SELECT id, MIN(depth) FROM (
                SELECT id, depth FROM ancestors UNION SELECT id, depth FROM descendants
            ) steps GROUP BY id
        )
        SELECT c.id, c.code, c.title, c.state, c.predecessor_relation, p.title, p.start_year
        FROM line JOIN {table} c ON c.id = line.id JOIN {plans} p ON p.id = c.plan_id
        ORDER BY line.depth, p.start_year, c.code, c.id
    """  # only the models' own table names are formatted in; the values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, {"pk": commitment_pk, "steps": LINEAGE_MAX_STEPS})
        rows = cursor.fetchall()
    return [
        LineageEntry(
            pk=pk,
            code=code,
            title=title,
            state=state,
            relation=relation or "",
            plan_title=plan_title,
            plan_start_year=plan_start_year,
            is_current=pk == commitment_pk,
        )
        for pk, code, title, state, relation, plan_title, plan_start_year in rows
    ]


class CommitmentGroupObjectPermission(GroupObjectPermissionBase):
    """Guardian's direct foreign-key table of the report grants.

    Every grant goes to a group: an organisation's coordinator group, or one member's
    delegation group (actors.models). actionplan.services writes them, nothing else.
    """

    content_object = models.ForeignKey(Commitment, on_delete=models.CASCADE)


class Delegation(models.Model):
    """A coordinator hands one commitment of their organisation to a named colleague.

    Made on the organisation's behalf through the colleague's membership: it ends when the
    membership ends, and when the organisation stops being responsible for the commitment.
    """

    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.CASCADE,
        related_name="delegations",
        verbose_name=_("åtagande"),
    )
    membership = models.ForeignKey(
        Membership,
        on_delete=models.CASCADE,
        related_name="delegations",
        verbose_name=_("delegerad till"),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("delegerad av"),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("delegering")
        verbose_name_plural = _("delegeringar")
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "membership"],
                name="delegation_unique",
                violation_error_message=_("Åtagandet är redan delegerat till personen."),
            )
        ]

    def __str__(self):
        return f"{self.commitment.code} → {self.delegate}"

    @property
    def delegate(self):
        return self.membership.user

    @property
    def organisation(self) -> Organisation:
        return self.membership.organisation


class PendingDelegation(models.Model):
    """A commitment a coordinator delegates to the colleague they invite, once they accept.

    Kept here, not on the invitation: actors knows nothing of commitments. Accepting the
    invitation turns it into a Delegation (actionplan.services.pending_delegations_fulfil,
    registered as an invitation hook in ActionPlanConfig.ready) and deletes it.
    """

    invitation = models.ForeignKey(
        Invitation,
        on_delete=models.CASCADE,
        related_name="pending_delegations",
        verbose_name=_("inbjudan"),
    )
    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.CASCADE,
        related_name="pending_delegations",
        verbose_name=_("åtagande"),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("väntande delegering")
        verbose_name_plural = _("väntande delegeringar")
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "commitment"], name="pending_delegation_unique"
            )
        ]

    def __str__(self):
        return f"{self.commitment.code} → {self.invitation.email}"
