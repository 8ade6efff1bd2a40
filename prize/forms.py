from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms import inlineformset_factory
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from actors.models import Organisation
from actors.widgets import PlainSelect
from prize.attachments import detect_content_type
from prize.models import ATTACHMENT_MAX_BYTES, Criterion, Nomination, PrizeCall

TEXT_LIMIT = 10_000
MAX_ATTACHMENTS = 5
too_long = _("Texten får vara högst %(limit_value)d tecken (nu %(show_value)d).")
DATE_INVALID = _("Ange ett datum som ÅÅÅÅ-MM-DD, till exempel 2027-03-31.")


class PrizeCallForm(forms.ModelForm):
    class Meta:
        model = PrizeCall
        fields = ["year", "opens_on", "closes_on", "decision_on", "description"]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "decision_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "year": _("Året då priset delas ut, till exempel 2026."),
            "description": _("Visas för den som nominerar."),
        }
        error_messages = {
            "year": {"unique": _("Det finns redan en nomineringsomgång för det året.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs.update(min=2018, max=2100)
        self.fields["year"].validators += [
            MinValueValidator(2018, _("Priset har delats ut sedan 2018.")),
            MaxValueValidator(2100, _("Ange ett rimligt år.")),
        ]
        for name in ("opens_on", "closes_on", "decision_on"):
            self.fields[name].error_messages["invalid"] = DATE_INVALID
        if self.instance.pk:
            # The year is in every address of the call and its nominations.
            self.fields["year"].disabled = True


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class BaseCriterionFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if form.cleaned_data.get("title") and not form.cleaned_data.get("DELETE")
        ]
        if not kept:
            raise forms.ValidationError(_("Omgången behöver minst ett kriterium."))
        for form in self.deleted_forms:
            if form.instance.pk and form.instance.motivations.exclude(text="").exists():
                raise forms.ValidationError(
                    _(
                        "Kriteriet ”%(title)s” har redan motiveringar i nomineringar och kan "
                        "inte tas bort."
                    )
                    % {"title": form.instance.title}
                )


CriterionFormSet = inlineformset_factory(
    PrizeCall,
    Criterion,
    form=CriterionForm,
    formset=BaseCriterionFormSet,
    extra=1,
    can_delete=True,
    max_num=12,
    validate_max=True,
)


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Skäl att dölja nomineringen för juryn"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Skriv varför nomineringen döljs för juryn.")},
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _text(label, help_text="", required=False):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=TEXT_LIMIT,
        error_messages={"max_length": too_long},
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class NominationForm(forms.ModelForm):
    """A nomination: the unit, a summary, a motivation per criterion, contact and attachments.

    A draft needs only the organisation, the unit and a title; submitting needs everything. A
    visitor gives a name and an address too, and always submits (after confirming the address).
    """

    SAVE = "save"
    SUBMIT = "submit"

    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.active(),
        widget=PlainSelect,
        error_messages={
            "required": _("Välj den organisation som verksamheten hör till."),
            "invalid_choice": _("Välj en organisation i listan."),
        },
    )
    contact_consent = forms.BooleanField(
        label=_("Kontaktpersonen har gått med på att nämnas i nomineringen."),
        required=False,
    )
    attachments = MultipleFileField(
        label=_("Bilagor"),
        required=False,
        help_text=_(
            "PDF, PNG, JPEG eller WebP, högst 10 MB per fil och högst 5 filer. Vi kontrollerar "
            "filernas innehåll, inte bara namnet."
        ),
    )

    class Meta:
        model = Nomination
        fields = [
            "nominator_name",
            "nominator_email",
            "organisation",
            "unit_name",
            "title",
            "summary",
            "contact_name",
            "contact_email",
        ]
        labels = {"title": _("Rubrik för nomineringen")}
        widgets = {"summary": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "summary": _(
                "Beskriv arbetet kort. Nämn inga privatpersoner utom kontaktpersoner som har "
                "gått med på det."
            ),
            "contact_name": _(
                "Frivilligt: någon i verksamheten som juryn kan fråga. Ange bara en person som "
                "har sagt ja till det."
            ),
        }

    def __init__(self, *args, call: PrizeCall, is_visitor: bool, submitting: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.is_visitor = is_visitor
        self.submitting = submitting or is_visitor
        self.criteria = list(call.criteria.all())
        if is_visitor:
            self.fields["nominator_name"].required = True
            self.fields["nominator_email"].required = True
            self.fields["nominator_name"].error_messages["required"] = _("Skriv ditt namn.")
            self.fields["nominator_email"].error_messages["required"] = _(
                "Skriv din e-postadress, så att du kan bekräfta nomineringen."
            )
        else:
            del self.fields["nominator_name"]
            del self.fields["nominator_email"]
        if "nominator_email" in self.fields:
            self.fields["nominator_email"].error_messages["invalid"] = _(
                "Skriv en hel e-postadress, till exempel namn@example.org."
            )
        self.fields["contact_email"].error_messages["invalid"] = _(
            "Skriv kontaktpersonens hela e-postadress, till exempel namn@example.org."
        )
        self.fields["unit_name"].error_messages["required"] = _(
            "Skriv vilken enhet eller verksamhet du nominerar."
        )
        self.fields["title"].error_messages["required"] = _("Ge nomineringen en rubrik.")
        self.fields["summary"].required = self.submitting
        self.fields["summary"].error_messages["required"] = _(
            "Beskriv arbetet kort för att skicka in nomineringen."
        )
        self.fields["contact_consent"].initial = bool(
            self.instance.pk and self.instance.contact_consent_at
        )
        motivations = {}
        if self.instance.pk:
            motivations = {
                motivation.criterion_id: motivation.text
                for motivation in self.instance.motivations.all()
            }
        for criterion in self.criteria:
            field = _text(criterion.title, criterion.description, required=self.submitting)
            field.error_messages["required"] = _(
                "Motivera nomineringen för kriteriet ”%(title)s” för att skicka in den."
            ) % {"title": criterion.title}
            field.initial = motivations.get(criterion.pk, "")
            self.fields[self.motivation_field(criterion)] = field
        self.existing_attachments = (
            list(self.instance.attachments.all()) if self.instance.pk else []
        )
        if self.existing_attachments:
            self.fields["remove_attachments"] = forms.ModelMultipleChoiceField(
                label=_("Ta bort bilagor"),
                queryset=self.instance.attachments.all(),
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    @staticmethod
    def motivation_field(criterion: Criterion) -> str:
        return f"motivation_{criterion.pk}"

    def motivation_fields(self):
        return [self[self.motivation_field(criterion)] for criterion in self.criteria]

    def contact_fields(self):
        return [self["contact_name"], self["contact_email"], self["contact_consent"]]

    def clean_attachments(self):
        uploads = self.cleaned_data.get("attachments") or []
        checked, errors = [], []
        for upload in uploads:
            if upload.size > ATTACHMENT_MAX_BYTES:
                errors.append(
                    _("%(name)s är %(size)s. En bilaga får vara högst 10 MB.")
                    % {"name": upload.name, "size": filesizeformat(upload.size)}
                )
                continue
            content_type = detect_content_type(upload)
            if content_type is None:
                errors.append(
                    _(
                        "%(name)s är inte en PDF eller en bild i PNG, JPEG eller WebP. Vi "
                        "läser filens innehåll, så ett nytt filnamn hjälper inte."
                    )
                    % {"name": upload.name}
                )
                continue
            checked.append((upload, content_type))
        if errors:
            errors.append(_("Välj filerna igen när du har rättat felet."))
            raise forms.ValidationError(errors)
        return checked

    def clean(self):
        cleaned = super().clean()
        has_contact = cleaned.get("contact_name") or cleaned.get("contact_email")
        if has_contact and not cleaned.get("contact_consent"):
            self.add_error(
                "contact_consent",
                _(
                    "Bekräfta att kontaktpersonen har gått med på att nämnas, eller ta bort "
                    "kontaktpersonen."
                ),
            )
        removed = cleaned.get("remove_attachments") or []
        kept = len(self.existing_attachments) - len(removed)
        if kept + len(cleaned.get("attachments") or []) > MAX_ATTACHMENTS:
            self.add_error(
                "attachments",
                _("En nominering kan ha högst %(count)d bilagor.") % {"count": MAX_ATTACHMENTS},
            )
        return cleaned

    def motivations(self) -> dict[int, str]:
        return {
            criterion.pk: self.cleaned_data.get(self.motivation_field(criterion), "")
            for criterion in self.criteria
        }
