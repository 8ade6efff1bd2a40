from django import forms
from django.utils.translation import gettext_lazy as _

from actionplan.models import Commitment, Goal, ViolenceArea
from actors.models import Organisation
from practices.models import Practice
from practices.services import CONTENT_FIELDS


class _NamedMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class _CommitmentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.plan.title}: {obj.code} {obj.title}"


def _choose(what):
    return {
        "required": _("Välj minst %(what)s.") % {"what": what},
        "invalid_choice": _("Välj i listan."),
        "invalid_pk_value": _("Välj i listan."),
    }


class PracticeForm(forms.ModelForm):
    """An entry's content. The proposing organisation is offered only among the ones the person
    may propose for (their own, for a coordinator), and is fixed after creation."""

    proposing_organisation = forms.ModelChoiceField(
        label=_("Föreslås av"),
        queryset=Organisation.objects.none(),
        empty_label=_("Välj organisation"),
        help_text=_("Organisationen som föreslår exemplet. Du kan välja de du är samordnare för."),
        error_messages={
            "required": _("Välj vilken organisation som föreslår exemplet."),
            "invalid_choice": _("Välj en av dina organisationer i listan."),
        },
    )
    organisations = _NamedMultipleChoiceField(
        label=_("Organisationer som arbetar så"),
        queryset=Organisation.objects.active(),
        required=False,
        help_text=_("Lämna tomt om bara den föreslående organisationen arbetar så."),
        error_messages=_choose(_("en organisation")),
    )
    municipalities = _NamedMultipleChoiceField(
        label=_("Kommuner"),
        queryset=Organisation.objects.active().municipalities(),
        required=False,
        help_text=_("Kommunerna där arbetssättet används."),
        error_messages=_choose(_("en kommun")),
    )
    goals = forms.ModelMultipleChoiceField(
        label=_("Regionala mål"),
        queryset=Goal.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages=_choose(_("ett mål")),
    )
    violence_areas = forms.ModelMultipleChoiceField(
        label=_("Våldsområden"),
        queryset=ViolenceArea.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages=_choose(_("ett våldsområde")),
    )
    commitments = _CommitmentChoiceField(
        label=_("Åtaganden som bygger på metoden"),
        queryset=Commitment.objects.select_related("plan").order_by("-plan__start_year", "code"),
        required=False,
        help_text=_("Åtagandena i handlingsplanerna som använder arbetssättet."),
        error_messages=_choose(_("ett åtagande")),
    )

    class Meta:
        model = Practice
        fields = ["proposing_organisation", *CONTENT_FIELDS]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "what_is_done": forms.Textarea(attrs={"rows": 6}),
            "organisation_of_work": forms.Textarea(attrs={"rows": 6}),
            "cost": forms.Textarea(attrs={"rows": 3}),
            "sources": forms.Textarea(attrs={"rows": 4}),
            "evidence_level": forms.RadioSelect,
        }
        help_texts = {
            "summary": _("Två eller tre meningar om vad arbetssättet är. Högst 600 tecken."),
            "what_is_done": _("Vad görs, med vem och hur ofta?"),
            "organisation_of_work": _("Vem gör vad, vilka samverkar och hur styrs arbetet?"),
            "cost": _("Till exempel tid, utbildning, licenser och material per år."),
            "contact_consented": _(
                "Fyll bara i en kontakt som har gått med på att namn, e-post och telefon visas "
                "öppet i biblioteket. Utan samtycke visas ingen kontakt."
            ),
        }
        error_messages = {
            "title": {"required": _("Skriv en titel.")},
            "summary": {
                "required": _("Skriv en kort sammanfattning."),
                "max_length": _("Sammanfattningen får vara högst 600 tecken."),
            },
            "target_group": {"required": _("Välj en målgrupp.")},
            "what_is_done": {"required": _("Beskriv vad som görs.")},
            "organisation_of_work": {"required": _("Beskriv hur arbetet är organiserat.")},
            "evidence_level": {"required": _("Välj vad som är känt om effekten.")},
            "contact_email": {"invalid": _("Skriv en giltig e-postadress, som namn@exempel.se.")},
        }

    def __init__(self, *args, proposing_organisations, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["proposing_organisation"]
        if self.instance.pk:
            # The organisation that holds an entry does not change hands.
            del self.fields["proposing_organisation"]
        else:
            field.queryset = proposing_organisations
        self.fields["evidence_level"].choices = Practice.EvidenceLevel.choices
        self.fields["target_group"].choices = [
            ("", _("Välj målgrupp")),
            *Practice.TargetGroup.choices,
        ]

    def clean(self):
        cleaned = super().clean()
        named_contact = any(
            cleaned.get(name) for name in ("contact_name", "contact_email", "contact_phone")
        )
        if named_contact and not cleaned.get("contact_consented"):
            self.add_error(
                "contact_consented",
                _(
                    "Kryssa i att kontakten har gått med på att visas, eller töm "
                    "kontaktuppgifterna."
                ),
            )
        return cleaned

    def content(self) -> dict:
        return {name: self.cleaned_data[name] for name in CONTENT_FIELDS}

    def relations(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in (
                "organisations",
                "municipalities",
                "goals",
                "violence_areas",
                "commitments",
            )
        }


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Vad behöver ändras?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Skriv vad organisationen behöver ändra."),
            "max_length": _("Kommentaren får vara högst 2000 tecken."),
        },
    )
