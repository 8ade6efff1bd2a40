"""The regional indicators that follow up the strategy's goals, compiled by county staff.

Figures exist for the county and, where the source gives them, per municipality or per city
district of Stockholms stad (the `Area`s). A yes/no survey question (Öppna jämförelser: "does the
municipality have a current routine for ...") is stored as one `SurveyAnswer` per unit; its
county share is computed from the answers and never typed in.
"""

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from actionplan.models import Goal
from actors.models import Organisation

COUNTY_CODE = "01"
STOCKHOLM_MUNICIPALITY_CODE = "0180"


class Area(models.Model):
    """Where a figure is for: the county, one of its 26 municipalities, or one of Stockholms
    stad's 13 city districts (stadsdelsområden).

    Municipalities have their official codes (0114 … 0192). City districts have no official
    four-digit code, so the portal gives them Stockholm's code followed by two digits in
    alphabetical order: 018001 Bromma … 018013 Östermalm (see migration 0002).
    """

    class Kind(models.TextChoices):
        COUNTY = "county", _("Län")
        MUNICIPALITY = "municipality", _("Kommun")
        CITY_DISTRICT = "city_district", _("Stadsdelsområde")

    kind = models.CharField(_("typ"), max_length=16, choices=Kind.choices)
    code = models.CharField(_("kod"), max_length=6, unique=True)
    name = models.CharField(_("namn"), max_length=100)
    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="area",
        verbose_name=_("kommunens organisation"),
    )

    class Meta:
        # The codes sort the county first, then the municipalities, each district after
        # Stockholm.
        ordering = ["code"]
        verbose_name = _("område")
        verbose_name_plural = _("områden")
        constraints = [
            models.CheckConstraint(
                name="area_code_matches_kind",
                condition=(Q(kind="county") & Q(code__regex=r"^01$"))
                | (Q(kind="municipality") & Q(code__regex=r"^01[0-9]{2}$"))
                | (Q(kind="city_district") & Q(code__regex=r"^0180[0-9]{2}$")),
                violation_error_message=_(
                    "Koden passar inte områdestypen: länet 01, kommuner 01xx, stadsdelsområden "
                    "0180xx."
                ),
            ),
            models.CheckConstraint(
                name="area_only_municipalities_have_an_organisation",
                condition=Q(kind="municipality") | Q(organisation__isnull=True),
                violation_error_message=_("Bara en kommun kan kopplas till en organisation."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_county(self) -> bool:
        return self.kind == self.Kind.COUNTY

    @property
    def answers_surveys(self) -> bool:
        """The units that answer a yes/no survey: municipalities and city districts."""
        return self.kind != self.Kind.COUNTY


class IndicatorQuerySet(models.QuerySet):
    def for_management_list(self):
        return self.prefetch_related("goals").annotate(
            value_count=Count("values", distinct=True),
            answer_count=Count("survey_answers", distinct=True),
        )

    def county_series(self) -> dict[int, dict[int, Decimal]]:
        """{indicator id: {year: county figure}} in two queries: typed county totals, and the
        computed shares of the yes/no questions."""
        indicator_ids = self.order_by().values("pk")  # a subquery, not a query of its own
        series: dict[int, dict[int, Decimal]] = defaultdict(dict)
        typed = IndicatorValue.objects.filter(
            indicator_id__in=indicator_ids,
            area__kind=Area.Kind.COUNTY,
            sex=IndicatorValue.Sex.ALL,
        ).values_list("indicator_id", "year", "value")
        for indicator_id, year, value in typed:
            series[indicator_id][year] = value
        shares = SurveyAnswer.objects.filter(indicator_id__in=indicator_ids).county_shares()
        for (indicator_id, year), share in shares.items():
            series[indicator_id][year] = share
        return dict(series)


class Indicator(models.Model):
    class Kind(models.TextChoices):
        COUNT = "count", _("Antal")
        PERCENT = "percent", _("Andel i procent")
        RATE = "rate_per_100k", _("Antal per 100 000 invånare")
        YES_NO_SHARE = "yes_no_share", _("Ja/nej-fråga, andel ja i procent")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Ökande är bättre")
        DECREASE = "decrease", _("Minskande är bättre")

    goals = models.ManyToManyField(Goal, related_name="indicators", verbose_name=_("mål"))
    name = models.CharField(_("namn"), max_length=300, unique=True)
    slug = models.SlugField(
        _("kortnamn"),
        max_length=80,
        unique=True,
        help_text=_("Används för att ange indikatorn i en importfil, till exempel valj-att-sluta."),
    )
    kind = models.CharField(_("typ"), max_length=16, choices=Kind.choices, default=Kind.COUNT)
    unit = models.CharField(_("enhet"), max_length=60)
    source = models.CharField(
        _("källa"), max_length=200, help_text=_("Till exempel Socialstyrelsens Öppna jämförelser.")
    )
    desired_direction = models.CharField(
        _("önskad riktning"), max_length=16, choices=Direction.choices
    )
    description = models.TextField(_("beskrivning"), blank=True)
    by_sex = models.BooleanField(
        _("redovisas per kön"),
        default=False,
        help_text=_("Källan ger värden för kvinnor och män utöver totalen."),
    )
    base_year = models.PositiveSmallIntegerField(_("basår"), null=True, blank=True)
    target = models.DecimalField(
        _("målvärde"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    target_year = models.PositiveSmallIntegerField(_("målår"), null=True, blank=True)
    # NULL when unset, so that only the set ones are unique (a partial unique index would do the
    # same, but Django's ModelForm turns an empty answer into NULL for such a field anyway).
    kolada_kpi = models.CharField(
        _("Kolada-nyckeltal"),
        max_length=10,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Nyckeltalets id i Kolada, till exempel N12345. Används vid import."),
    )
    is_demo = models.BooleanField(_("demodata"), default=False)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        constraints = [
            models.CheckConstraint(
                name="indicator_target_year_after_base_year",
                condition=Q(base_year__isnull=True)
                | Q(target_year__isnull=True)
                | Q(base_year__lte=F("target_year")),
                violation_error_message=_("Målåret får inte ligga före basåret."),
            ),
            models.CheckConstraint(
                name="indicator_target_has_a_year",
                condition=Q(target__isnull=True) | Q(target_year__isnull=False),
                violation_error_message=_("Ett målvärde behöver ett målår."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_yes_no(self) -> bool:
        return self.kind == self.Kind.YES_NO_SHARE

    @property
    def sexes(self) -> list[str]:
        """The breakdowns the indicator's values come in."""
        if self.by_sex:
            return list(IndicatorValue.Sex.values)
        return [IndicatorValue.Sex.ALL]


class IndicatorValue(models.Model):
    """One typed yearly figure for one area, in total or for women or men."""

    class Sex(models.TextChoices):
        ALL = "all", _("Totalt")
        WOMEN = "women", _("Kvinnor")
        MEN = "men", _("Män")

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indikator")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="values", verbose_name=_("område")
    )
    sex = models.CharField(_("kön"), max_length=8, choices=Sex.choices, default=Sex.ALL)
    value = models.DecimalField(_("värde"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["indicator_id", "year", "area_id", "sex"]
        verbose_name = _("indikatorvärde")
        verbose_name_plural = _("indikatorvärden")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "area", "sex"],
                name="indicatorvalue_unique_per_area_year_and_sex",
                violation_error_message=_(
                    "Det finns redan ett värde för indikatorn, året, området och könet."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.indicator} {self.year} {self.area}: {self.value}"

    def clean(self):
        # A check constraint cannot look at the indicator's row, so the rule lives here and in
        # the entry and import services.
        if self.indicator_id and self.indicator.is_yes_no:
            raise ValidationError(
                _(
                    "En ja/nej-fråga har inga inskrivna värden: länets andel räknas fram ur "
                    "kommunernas och stadsdelsområdenas svar."
                )
            )


class SurveyAnswerQuerySet(models.QuerySet):
    def county_shares(self) -> dict[tuple[int, int], Decimal]:
        """{(indicator id, year): percent of the answering units that said yes}, in one query.

        Units that did not answer are left out of both the numerator and the denominator.
        """
        rows = (
            self.order_by()
            .values("indicator_id", "year")
            .annotate(yes=Count("pk", filter=Q(answer=True)), answered=Count("pk"))
        )
        return {
            (row["indicator_id"], row["year"]): share_in_percent(row["yes"], row["answered"])
            for row in rows
        }


def share_in_percent(yes: int, answered: int) -> Decimal:
    return (Decimal(100) * yes / answered).quantize(Decimal("0.1"))


class SurveyAnswer(models.Model):
    """One municipality's or city district's yes or no to a yes/no indicator's question."""

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="survey_answers",
        verbose_name=_("indikator"),
    )
    year = models.PositiveSmallIntegerField(_("år"))
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="survey_answers", verbose_name=_("område")
    )
    answer = models.BooleanField(_("svar"))

    objects = SurveyAnswerQuerySet.as_manager()

    class Meta:
        ordering = ["indicator_id", "year", "area_id"]
        verbose_name = _("enkätsvar")
        verbose_name_plural = _("enkätsvar")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "area"],
                name="surveyanswer_unique_per_area_and_year",
                violation_error_message=_("Området har redan svarat för indikatorn det året."),
            ),
        ]

    def __str__(self):
        return f"{self.indicator} {self.year} {self.area}: {_('ja') if self.answer else _('nej')}"

    def clean(self):
        if self.indicator_id and not self.indicator.is_yes_no:
            raise ValidationError(_("Indikatorn är ingen ja/nej-fråga."))
        if self.area_id and not self.area.answers_surveys:
            raise ValidationError(
                _("Länet svarar inte på enkäten: dess andel räknas fram ur svaren.")
            )
