from django import forms
from django.utils.translation import gettext_lazy as _

from actionplan.forms import SwedishSourceFormMixin
from actionplan.models import Goal
from indicators.imports import MAX_FILE_BYTES
from indicators.models import Area, Indicator, IndicatorValue

YEAR_RANGE_MESSAGE = _("Ange ett år mellan 2000 och 2100.")


class GoalChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, goal):
        return str(goal)


class IndicatorFilterForm(forms.Form):
    goal = forms.ModelChoiceField(
        label=_("Mål"),
        queryset=Goal.objects.order_by("strategy_id", "number"),
        required=False,
        empty_label=_("Alla mål"),
        error_messages={"invalid_choice": _("Välj ett av målen i listan.")},
    )


class IndicatorForm(SwedishSourceFormMixin, forms.ModelForm):
    goals = GoalChoiceField(
        label=_("Mål"),
        queryset=Goal.objects.select_related("strategy").order_by("strategy_id", "number"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Välj minst ett mål som indikatorn följer upp."),
            "invalid_choice": _("Välj bland målen i listan."),
            "invalid_pk_value": _("Välj bland målen i listan."),
        },
    )

    class Meta:
        model = Indicator
        fields = [
            "name",
            "name_en",
            "slug",
            "goals",
            "kind",
            "unit",
            "source",
            "desired_direction",
            "by_sex",
            "description",
            "description_en",
            "base_year",
            "target",
            "target_year",
            "kolada_kpi",
        ]
        error_messages = {
            "name": {
                "required": _("Skriv indikatorns namn."),
                "unique": _("Det finns redan en indikator med det namnet."),
            },
            "name_en": {"unique": _("Det finns redan en indikator med det engelska namnet.")},
            "slug": {
                "required": _("Skriv ett kortnamn, till exempel valj-att-sluta."),
                "invalid": _("Kortnamnet får bara ha små bokstäver a–z, siffror och bindestreck."),
                "unique": _("Kortnamnet används redan av en annan indikator."),
            },
            "unit": {"required": _("Skriv enheten, till exempel procent eller antal.")},
            "source": {"required": _("Skriv källan, till exempel Kolada.")},
            "desired_direction": {"required": _("Välj om ökande eller minskande är bättre.")},
            "kolada_kpi": {"unique": _("En annan indikator har redan det Kolada-nyckeltalet.")},
            "base_year": {"invalid": YEAR_RANGE_MESSAGE},
            "target_year": {"invalid": YEAR_RANGE_MESSAGE},
            "target": {"invalid": _("Målvärdet ska vara ett tal.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].localize = True
        self.fields["target"].widget.is_localized = True
        for name in ("base_year", "target_year"):
            self.fields[name].min_value = None
            self.fields[name].validators = []
        if self.instance.pk and (
            self.instance.values.exists() or self.instance.survey_answers.exists()
        ):
            # Typed values and survey answers do not convert into each other.
            self.fields["kind"].disabled = True
            self.fields["kind"].help_text = _(
                "Typen kan inte ändras när indikatorn har värden eller svar."
            )

    def clean_kolada_kpi(self):
        kpi = (self.cleaned_data.get("kolada_kpi") or "").strip().upper()
        return kpi or None

    def _clean_year(self, name):
        year = self.cleaned_data.get(name)
        if year is not None and not 2000 <= year <= 2100:
            raise forms.ValidationError(YEAR_RANGE_MESSAGE)
        return year

    def clean_base_year(self):
        return self._clean_year("base_year")

    def clean_target_year(self):
        return self._clean_year("target_year")

    def clean(self):
        cleaned = super().clean()
        base, target_year = cleaned.get("base_year"), cleaned.get("target_year")
        if base and target_year and target_year < base:
            self.add_error("target_year", _("Målåret får inte ligga före basåret."))
        if cleaned.get("target") is not None and not target_year:
            self.add_error("target_year", _("Ett målvärde behöver ett målår."))
        return cleaned


def value_field_name(area: Area, sex: str) -> str:
    return f"v_{area.code}_{sex}"


def answer_field_name(area: Area) -> str:
    return f"a_{area.code}"


class YearValuesForm(forms.Form):
    """Every area's value of one indicator for one year, in total and by sex where it is used.

    An empty field is no value: clearing one removes the value."""

    def __init__(self, *args, indicator: Indicator, areas: list[Area], existing: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.areas = areas
        sex_labels = dict(IndicatorValue.Sex.choices)
        self.rows = []
        for area in areas:
            cells = []
            for sex in indicator.sexes:
                name = value_field_name(area, sex)
                self.fields[name] = forms.DecimalField(
                    label=f"{area.name}, {sex_labels[sex].lower()}",
                    required=False,
                    min_value=0,
                    max_value=9999999999,
                    decimal_places=2,
                    localize=True,
                    initial=existing.get((area.pk, sex)),
                    error_messages={
                        "invalid": _("Skriv ett tal, till exempel 12,5."),
                        "min_value": _("Värdet får inte vara negativt."),
                        "max_value": _("Värdet är för stort."),
                        "max_decimal_places": _("Högst två decimaler."),
                        "max_digits": _("Värdet är för stort."),
                    },
                )
                cells.append(name)
            self.rows.append((area, cells))

    def clean(self):
        cleaned = super().clean()
        if self.indicator.kind == Indicator.Kind.PERCENT:
            for name, value in list(cleaned.items()):
                if value is not None and value > 100:
                    self.add_error(name, _("En andel i procent kan inte vara över 100."))
        return cleaned

    def values(self) -> dict:
        return {
            (area, sex): self.cleaned_data.get(value_field_name(area, sex))
            for area in self.areas
            for sex in self.indicator.sexes
        }

    def bound_rows(self):
        return [(area, [self[name] for name in names]) for area, names in self.rows]


class YearAnswersForm(forms.Form):
    """Every municipality's and city district's yes or no for one year of a yes/no question."""

    CHOICES = [("", _("Inget svar")), ("ja", _("Ja")), ("nej", _("Nej"))]

    def __init__(self, *args, areas: list[Area], existing: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = areas
        for area in areas:
            answer = existing.get(area.pk)
            self.fields[answer_field_name(area)] = forms.ChoiceField(
                label=area.name,
                choices=self.CHOICES,
                required=False,
                initial="" if answer is None else ("ja" if answer else "nej"),
                error_messages={"invalid_choice": _("Välj ja, nej eller inget svar.")},
            )

    def answers(self) -> dict:
        mapping = {"": None, "ja": True, "nej": False}
        return {
            area: mapping[self.cleaned_data.get(answer_field_name(area), "")] for area in self.areas
        }


class IndicatorImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fil med indikatorvärden"),
        help_text=_("CSV eller Koladas JSON-format, högst 10 MB."),
        error_messages={
            "required": _("Välj en fil att ladda upp."),
            "empty": _("Filen är tom."),
            "invalid": _("Välj en fil att ladda upp."),
            "missing": _("Välj en fil att ladda upp."),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("Filen är större än 10 MB. Dela upp den i flera filer."))
        return upload
