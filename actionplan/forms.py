import re

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import translation
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import translator

from actionplan.imports import MAX_FILE_BYTES
from actionplan.models import ActionPlan, Commitment
from actors.models import Membership, Organisation, User


def english_name_fields(model) -> tuple[str, ...]:
    """The fields of `model` that have an English version (actionplan/translation.py)."""
    return tuple(translator.get_options_for_model(model).all_fields)


class SwedishSourceFormMixin:
    """A form of a model with English names edits the Swedish name in the field's own column and
    the English one in `<field>_en`, whatever the interface language.

    Through the field, modeltranslation reads and writes the interface language's column; an
    administrator using the English interface would otherwise see the English name in the
    Swedish box and overwrite it. The field's own column is the Swedish name that exports, the
    county report and joins from other tables read, so it is set with Swedish active, which
    keeps `<field>_sv` equal to it. The forms leave `<field>_sv` out.

    Save the instance with Swedish active too (`translation.override`): on save, modeltranslation
    writes the field's own column in the active language."""

    def __init__(self, *args, **kwargs):
        with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
            super().__init__(*args, **kwargs)
        for name in english_name_fields(self._meta.model):
            self.fields.pop(f"{name}_sv", None)
            english = self.fields.get(f"{name}_en")
            if english is not None:
                english.required = False
                english.label = _("%(field)s på engelska") % {
                    "field": capfirst(self._meta.model._meta.get_field(name).verbose_name)
                }
                english.help_text = _("Visas när sidorna är på engelska. Tomt: det svenska.")

    def _post_clean(self):
        with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
            super()._post_clean()


class SwedishSourceModelForm(SwedishSourceFormMixin, forms.ModelForm):
    """The admin's form for the models with English names (`EnglishNamesAdmin`)."""


class DelegationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("För organisationen"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Välj en av dina organisationer.")},
    )
    delegate = forms.ModelChoiceField(
        label=_("Kollega"),
        queryset=User.objects.none(),
        help_text=_("Kollegan får rapportera om just det här åtagandet."),
        error_messages={
            "required": _("Välj en kollega."),
            "invalid_choice": _("Välj en kollega i listan."),
        },
    )

    def __init__(self, *args, organisations, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["delegate"].queryset = (
            User.objects.filter(is_active=True, memberships__organisation__in=organisations)
            .exclude(pk=user.pk)
            .distinct()
            .order_by("first_name", "last_name")
        )

    def clean(self):
        cleaned = super().clean()
        organisation, delegate = cleaned.get("organisation"), cleaned.get("delegate")
        if organisation and delegate:
            cleaned["membership"] = Membership.objects.filter(
                user=delegate, organisation=organisation
            ).first()
            if cleaned["membership"] is None:
                self.add_error("delegate", _("Kollegan hör inte till den organisationen."))
        return cleaned


class ColleagueInvitationForm(forms.Form):
    """A coordinator invites a colleague of their own organisation by e-mail; the commitment
    is delegated to the colleague when they accept."""

    organisation = forms.ModelChoiceField(
        label=_("Till organisationen"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Välj en av dina organisationer.")},
    )
    email = forms.EmailField(
        label=_("E-postadress"),
        help_text=_(
            "Kollegan får en länk för att skapa ett konto som medarbetare och kan sedan "
            "rapportera om just det här åtagandet."
        ),
        error_messages={
            "required": _("Skriv kollegans e-postadress."),
            "invalid": _("Skriv en giltig e-postadress, till exempel namn@kommun.se."),
        },
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean(self):
        cleaned = super().clean()
        email, organisation = cleaned.get("email"), cleaned.get("organisation")
        if (
            email
            and organisation is not None
            and Membership.objects.filter(
                organisation=organisation, user__is_active=True, user__email__iexact=email
            ).exists()
        ):
            self.add_error(
                "email", _("Kollegan finns redan i organisationen. Välj hen i listan ovan.")
            )
        return cleaned


class ActionPlanForm(SwedishSourceFormMixin, forms.ModelForm):
    """A new action plan. The slug is made from the title when it is left empty."""

    class Meta:
        model = ActionPlan
        fields = ["strategy", "title", "title_en", "slug", "start_year", "end_year"]
        labels = {"slug": _("Kortnamn i adresser")}
        help_texts = {
            "slug": _(
                "Planens kortnamn i adresser och i importfilers föregångare, till exempel "
                "handlingsplan-2028-2030. Tomt: görs av titeln."
            ),
            "start_year": _("Fyra siffror, till exempel 2028."),
            "end_year": _("Planen får sträcka sig längre än strategin."),
        }
        error_messages = {
            "title": {"required": _("Skriv planens titel.")},
            "strategy": {"required": _("Välj strategin som planen hör till.")},
            "start_year": {"required": _("Skriv planens första år.")},
            "end_year": {"required": _("Skriv planens sista år.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["strategy"].empty_label = None
        for name in ("start_year", "end_year"):
            self.fields[name].min_value = 2000
            self.fields[name].max_value = 2100
            self.fields[name].validators += [
                MinValueValidator(2000, _("Skriv ett år med fyra siffror, från 2000.")),
                MaxValueValidator(2100, _("Skriv ett år med fyra siffror, till och med 2100.")),
            ]
            self.fields[name].error_messages["invalid"] = _("Skriv ett år med fyra siffror.")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("slug") and cleaned.get("title"):
            # "2028–2030" with an en dash gives 2028-2030, not 20282030.
            title = re.sub(r"[\u2010-\u2015]", "-", cleaned["title"])
            cleaned["slug"] = slugify(title)[:60]
            self.instance.slug = cleaned["slug"]
            if not cleaned["slug"]:
                self.add_error("slug", _("Skriv en slug med bokstäver eller siffror."))
            elif ActionPlan.objects.filter(slug=cleaned["slug"]).exists():
                self.add_error("slug", _("Det finns redan en plan med den slugen. Skriv en annan."))
        return cleaned


class CommitmentImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fil med åtaganden"),
        help_text=_("XLSX eller CSV enligt mallen, högst 10 MB och 10 000 åtaganden."),
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


class CommitmentCloseForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Avsluta som"),
        choices=[
            (Commitment.State.COMPLETED, Commitment.State.COMPLETED.label),
            (Commitment.State.CANCELLED, Commitment.State.CANCELLED.label),
        ],
        error_messages={
            "required": _("Välj om åtagandet är avslutat eller avbrutet."),
            "invalid_choice": _("Välj om åtagandet är avslutat eller avbrutet."),
        },
    )
