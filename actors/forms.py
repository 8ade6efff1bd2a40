from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from actors.models import ERASED_USERNAME_PREFIX, Invitation, Membership, Organisation, User

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
