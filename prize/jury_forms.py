"""The jury's forms: they validate and nothing else (the rules are in prize.jury)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from actors.widgets import PlainSelect
from prize import jury
from prize.models import Nomination


class JuryMemberForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Person"),
        queryset=jury.juror_candidates(),
        widget=PlainSelect,
        error_messages={
            "required": _("Välj en person."),
            "invalid_choice": _("Välj en person som finns i portalen."),
        },
    )
    is_chair = forms.BooleanField(label=_("Ordförande"), required=False)


class ScoreForm(forms.Form):
    """A score 1–5 and a comment per criterion of the call; every criterion must be scored."""

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        choices = [(value, str(value)) for value in jury.SCORE_VALUES]
        for criterion in self.criteria:
            self.fields[f"value_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.title,
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Ge en poäng från 1 till 5."),
                    "invalid_choice": _("Ge en poäng från 1 till 5."),
                },
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Kommentar"),
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def rows(self):
        """(criterion, its score field, its comment field) for the template's fieldsets."""
        return [
            (criterion, self[f"value_{criterion.pk}"], self[f"comment_{criterion.pk}"])
            for criterion in self.criteria
        ]

    def scores(self) -> dict[int, tuple[int, str]]:
        return {
            criterion.pk: (
                self.cleaned_data[f"value_{criterion.pk}"],
                self.cleaned_data[f"comment_{criterion.pk}"].strip(),
            )
            for criterion in self.criteria
        }


class AwardForm(forms.Form):
    nomination = forms.ModelChoiceField(
        label=_("Pristagare"),
        queryset=Nomination.objects.none(),
        widget=PlainSelect,
        error_messages={
            "required": _("Välj den nominering som vinner."),
            "invalid_choice": _("Välj en av nomineringarna som juryn bedömer."),
        },
    )
    motivation = forms.CharField(
        label=_("Juryns motivering"),
        help_text=_(
            "Publiceras på den offentliga sidan. Skriv den nytt: nomineringens egen text "
            "publiceras aldrig."
        ),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Skriv juryns motivering.")},
    )

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nomination"].queryset = jury.jury_nominations(call).filter(award__isnull=True)
        self.fields["nomination"].label_from_instance = lambda nomination: (
            f"{nomination.title} ({nomination.unit_name}, {nomination.organisation})"
        )

    def clean(self):
        cleaned = super().clean()
        nomination, motivation = cleaned.get("nomination"), cleaned.get("motivation")
        if (
            nomination
            and motivation
            and jury.motivation_is_copied(nomination=nomination, motivation=motivation)
        ):
            self.add_error(
                "motivation",
                _("Skriv juryns egen motivering: nomineringens text publiceras aldrig."),
            )
        return cleaned
