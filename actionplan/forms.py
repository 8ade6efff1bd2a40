from django import forms
from django.utils.translation import gettext_lazy as _

from actors.models import Membership, Organisation, User


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
