"""The administration pages' forms. They validate and nothing else: the views call the services."""

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from actors.models import ERASED_USERNAME_PREFIX, Invitation, Membership, Organisation, User
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


# --- Invitations ---------------------------------------------------------------------------------

email_errors = {
    "required": _("Skriv personens e-postadress."),
    "invalid": _("Skriv en giltig e-postadress, till exempel namn@kommun.se."),
}


def existing_member_error(email: str, organisation: Organisation | None):
    """The error for an address whose active account already belongs to the organisation."""
    if organisation is None:
        return None
    if Membership.objects.filter(
        organisation=organisation, user__is_active=True, user__email__iexact=email
    ).exists():
        return _("Personen med den adressen hör redan till %(organisation)s.") % {
            "organisation": organisation
        }
    return None


class InvitationForm(forms.Form):
    """An administrator invites a person to an organisation with a role."""

    email = forms.EmailField(label=_("E-postadress"), error_messages=email_errors)
    role = forms.ChoiceField(
        label=_("Roll"),
        choices=Invitation.Role.choices,
        help_text=_("En administratör sköter portalen och hör inte till någon organisation."),
        error_messages={
            "required": _("Välj en roll."),
            "invalid_choice": _("Välj en av rollerna i listan."),
        },
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.active(),
        required=False,
        empty_label=_("Ingen (för en administratör)"),
        error_messages={"invalid_choice": _("Välj en av organisationerna i listan.")},
    )
    is_contact_person = forms.BooleanField(
        label=_("Kontaktperson"),
        required=False,
        help_text=_("Får besked när organisationen ligger efter med sin rapportering."),
    )

    def clean(self):
        cleaned = super().clean()
        email, role = cleaned.get("email"), cleaned.get("role")
        organisation = cleaned.get("organisation")
        if role == Invitation.Role.ADMINISTRATOR:
            if organisation is not None:
                self.add_error(
                    "organisation",
                    _(
                        "En administratör bjuds in utan organisation. "
                        "Välj ”Ingen” eller en annan roll."
                    ),
                )
            if cleaned.get("is_contact_person"):
                self.add_error(
                    "is_contact_person", _("En administratör kan inte vara kontaktperson.")
                )
            if (
                email
                and User.objects.filter(
                    is_active=True, is_superuser=True, email__iexact=email
                ).exists()
            ):
                self.add_error("email", _("Personen med den adressen är redan administratör."))
        elif role and organisation is None and "organisation" not in self.errors:
            self.add_error("organisation", _("Välj organisationen som personen bjuds in till."))
        if email and (error := existing_member_error(email, organisation)):
            self.add_error("email", error)
        if email and role and not self.errors:
            pending = Invitation.objects.pending().filter(
                email__iexact=email, organisation=organisation
            )
            if pending.exists():
                self.add_error(
                    "email",
                    _(
                        "En inbjudan till den adressen väntar redan på svar. "
                        "Skicka den igen i listan över inbjudningar."
                    ),
                )
        return cleaned


class InvitationAcceptForm(forms.Form):
    """The invited person makes their account: name, user name and password."""

    first_name = forms.CharField(
        label=_("Förnamn"),
        max_length=150,
        error_messages={"required": _("Skriv ditt förnamn.")},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Efternamn"),
        max_length=150,
        error_messages={"required": _("Skriv ditt efternamn.")},
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    username = forms.CharField(
        label=_("Användarnamn"),
        max_length=150,
        help_text=_("Det du loggar in med. Bokstäver, siffror och tecknen @ . + - _"),
        error_messages={
            "required": _("Välj ett användarnamn."),
            "max_length": _("Användarnamnet får vara högst %(limit_value)d tecken."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password1 = forms.CharField(
        label=_("Lösenord"),
        strip=False,
        help_text=_("Minst 12 tecken, inte bara siffror och inte ett vanligt lösenord."),
        error_messages={"required": _("Välj ett lösenord.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Lösenordet igen"),
        strip=False,
        error_messages={"required": _("Skriv lösenordet en gång till.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation: Invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        try:
            User.username_validator(username)
        except forms.ValidationError:
            raise forms.ValidationError(
                _("Använd bara bokstäver, siffror och tecknen @ . + - _ i användarnamnet.")
            ) from None
        if username.casefold().startswith(ERASED_USERNAME_PREFIX) or (
            User.objects.filter(username__iexact=username).exists()
        ):
            raise forms.ValidationError(_("Användarnamnet är upptaget. Välj ett annat."))
        return username

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error(
                "password2", _("Lösenorden är inte lika. Skriv samma lösenord två gånger.")
            )
        elif password1:
            candidate = User(
                username=cleaned.get("username", ""),
                email=self.invitation.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


def username_suggestion(email: str) -> str:
    """A user name to start from: the address's part before the @, if nobody has it."""
    local = email.split("@", 1)[0].casefold()
    suggestion = "".join(c for c in local if c.isalnum() or c in "@.+-_")[:150]
    if not suggestion or User.objects.filter(username__iexact=suggestion).exists():
        return ""
    return suggestion
