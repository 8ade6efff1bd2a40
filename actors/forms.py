"""The administration pages' forms. They validate and nothing else: the views call the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from actors.models import Membership, Organisation, User
from actors.widgets import PlainSelect


class OrganisationForm(forms.ModelForm):
    """Adding or changing an organisation. The slug is made from the short name by the service;
    administrators never see it."""

    class Meta:
        model = Organisation
        fields = ["name", "short_name", "kind", "affiliation", "municipality_code", "contact_email"]
        labels = {"affiliation": _("Roll i samverkan")}
        help_texts = {
            "name": _("Hela namnet, till exempel Försäkringskassan eller Huddinge kommun."),
            "short_name": _("Det korta namnet i listor och tabeller, till exempel Polisen."),
            "affiliation": _(
                "Medlem i Operation Kvinnofrid, samverkanspart med egna åtaganden, eller kommun "
                "som företräds av Storsthlm."
            ),
        }
        error_messages = {
            "name": {"unique": _("Det finns redan en organisation med det namnet.")},
            "short_name": {"unique": _("Det finns redan en organisation med det kortnamnet.")},
        }

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_short_name(self):
        return self.cleaned_data["short_name"].strip()

    def clean_municipality_code(self):
        return self.cleaned_data["municipality_code"].strip()

    def clean(self):
        cleaned = super().clean()
        kind, code = cleaned.get("kind"), cleaned.get("municipality_code")
        if kind is None or code is None:
            return cleaned
        if kind == Organisation.Kind.MUNICIPALITY:
            if not code:
                self.add_error("municipality_code", _("Ange kommunkoden, fyra siffror."))
            elif not (len(code) == 4 and code.isascii() and code.isdigit()):
                self.add_error(
                    "municipality_code", _("Kommunkoden ska vara fyra siffror, till exempel 0180.")
                )
            elif not code.startswith("01"):
                self.add_error(
                    "municipality_code",
                    _("Kommunkoden ska börja på 01: kommunerna i Stockholms län har koder 01xx."),
                )
            elif (
                Organisation.objects.filter(municipality_code=code)
                .exclude(pk=self.instance.pk)
                .exists()
            ):
                self.add_error(
                    "municipality_code", _("Kommunkoden används redan av en annan organisation.")
                )
        elif code:
            self.add_error(
                "municipality_code", _("Bara kommuner har en kommunkod. Lämna fältet tomt.")
            )
        return cleaned


class OrganisationChoiceField(forms.ModelChoiceField):
    widget = PlainSelect

    def label_from_instance(self, obj):
        return obj.name


class MembershipForm(forms.Form):
    """A person's place in the collaboration: at which organisation, in which role, and whether
    they are its contact person. Moving a person is choosing another organisation here."""

    organisation = OrganisationChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        empty_label=_("Välj organisation"),
        error_messages={
            "required": _("Välj en organisation."),
            "invalid_choice": _("Välj en organisation i listan."),
        },
    )
    role = forms.ChoiceField(
        label=_("Roll"),
        widget=forms.RadioSelect,
        choices=[
            (
                Membership.Role.COORDINATOR,
                _("Samordnare: rapporterar om organisationens åtaganden"),
            ),
            (
                Membership.Role.COLLEAGUE,
                _("Medarbetare: rapporterar bara om åtaganden som delegerats till hen"),
            ),
            (
                Membership.Role.COUNTY_STAFF,
                _("Kansli: följer upp och granskar hela länets rapporter"),
            ),
        ],
        error_messages={
            "required": _("Välj en roll."),
            "invalid_choice": _("Välj en av rollerna."),
        },
    )
    is_contact_person = forms.BooleanField(
        label=_("Kontaktperson"),
        required=False,
        help_text=_("Får besked när organisationen ligger efter med sin rapportering."),
    )

    def __init__(self, *args, user: User, membership: Membership | None = None, **kwargs):
        self.user = user
        self.membership = membership
        if membership is not None:
            kwargs.setdefault(
                "initial",
                {
                    "organisation": membership.organisation_id,
                    "role": membership.role,
                    "is_contact_person": membership.is_contact_person,
                },
            )
        super().__init__(*args, **kwargs)
        # Active organisations, and the one the person is at now (it may have been deactivated).
        active = Organisation.objects.filter(is_active=True)
        if membership is not None:
            active = Organisation.objects.filter(is_active=True) | Organisation.objects.filter(
                pk=membership.organisation_id
            )
        self.fields["organisation"].queryset = active.order_by("name")

    def clean_organisation(self):
        organisation = self.cleaned_data["organisation"]
        current = self.membership.organisation_id if self.membership else None
        if (
            organisation.pk != current
            and Membership.objects.filter(user=self.user, organisation=organisation).exists()
        ):
            raise forms.ValidationError(
                _("Personen hör redan till %(organisation)s. Ändra det medlemskapet i stället."),
                params={"organisation": organisation.name},
                code="duplicate",
            )
        return organisation


class PersonAccessForm(forms.Form):
    """Whether a person is an administrator and whether they may sign in at all."""

    is_administrator = forms.BooleanField(
        label=_("Administratör"),
        required=False,
        help_text=_(
            "Sköter organisationer, personer, roller, handlingsplaner och åtaganden, och når den "
            "tekniska administrationen."
        ),
    )
    is_active = forms.BooleanField(
        label=_("Kan logga in"),
        required=False,
        help_text=_(
            "Utan kryss kan personen inte logga in, och den som är inloggad loggas ut vid nästa "
            "klick. Medlemskapen finns kvar till personen får logga in igen."
        ),
    )

    def __init__(self, *args, person: User, **kwargs):
        self.person = person
        kwargs.setdefault(
            "initial", {"is_administrator": person.is_superuser, "is_active": person.is_active}
        )
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        person = self.person
        if not (person.is_superuser and person.is_active):
            return cleaned
        others = User.objects.filter(is_superuser=True, is_active=True).exclude(pk=person.pk)
        if others.exists():
            return cleaned
        message = _(
            "%(name)s är portalens enda aktiva administratör. Gör någon annan till administratör "
            "först."
        )
        if not cleaned.get("is_administrator"):
            self.add_error("is_administrator", message % {"name": person})
        elif not cleaned.get("is_active"):
            self.add_error("is_active", message % {"name": person})
        return cleaned
