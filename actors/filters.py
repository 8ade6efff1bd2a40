"""The filters of the administration's lists of organisations and people."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from actors.models import Membership, Organisation, User
from actors.widgets import PlainSelect

ACTIVE_CHOICES = [("ja", _("Aktiva")), ("nej", _("Inaktiva"))]


def _is_active(queryset, name, value):
    return queryset.filter(is_active=value == "ja")


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Sök"),
        method="search",
        max_length=200,
        help_text=_("Namn, kortnamn eller kommunkod."),
    )
    affiliation = django_filters.ChoiceFilter(
        label=_("Roll i samverkan"),
        choices=Organisation.Affiliation.choices,
        empty_label=_("Alla"),
        widget=PlainSelect,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Typ"),
        choices=Organisation.Kind.choices,
        empty_label=_("Alla typer"),
        widget=PlainSelect,
    )
    active = django_filters.ChoiceFilter(
        label=_("Aktiv"),
        choices=ACTIVE_CHOICES,
        empty_label=_("Alla"),
        method=_is_active,
        widget=PlainSelect,
    )

    class Meta:
        model = Organisation
        fields = ["q", "affiliation", "kind", "active"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(name__icontains=value)
            | Q(short_name__icontains=value)
            | Q(municipality_code__startswith=value)
        )


# The roles of the one role picker: the membership roles, the contact person flag and
# administrators (superusers). Internal groups and permissions are never offered.
ROLE_CONTACT_PERSON = "kontaktperson"
ROLE_ADMINISTRATOR = "administrator"
ROLE_NONE = "ingen"
ROLE_CHOICES = [
    (Membership.Role.COORDINATOR.value, Membership.Role.COORDINATOR.label),
    (ROLE_CONTACT_PERSON, _("Kontaktperson")),
    (Membership.Role.COUNTY_STAFF.value, Membership.Role.COUNTY_STAFF.label),
    (Membership.Role.COLLEAGUE.value, Membership.Role.COLLEAGUE.label),
    (ROLE_ADMINISTRATOR, _("Administratör")),
    (ROLE_NONE, _("Ingen roll")),
]


def _organisation_choices():
    return list(Organisation.objects.order_by("name").values_list("pk", "name"))


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Sök"),
        method="search",
        max_length=200,
        help_text=_("Namn, användarnamn eller e-postadress."),
    )
    # Organisation and role are filtered together, below: a coordinator *of* the organisation.
    organisation = django_filters.ChoiceFilter(
        label=_("Organisation"),
        choices=_organisation_choices,
        empty_label=_("Alla organisationer"),
        method="by_membership",
        widget=PlainSelect,
    )
    role = django_filters.ChoiceFilter(
        label=_("Roll"),
        choices=ROLE_CHOICES,
        empty_label=_("Alla roller"),
        method="by_membership",
        widget=PlainSelect,
    )
    active = django_filters.ChoiceFilter(
        label=_("Kan logga in"),
        choices=ACTIVE_CHOICES,
        empty_label=_("Alla"),
        method=_is_active,
        widget=PlainSelect,
    )

    class Meta:
        model = User
        fields = ["q", "organisation", "role", "active"]

    def search(self, queryset, name, value):
        query = Q()
        for word in value.split()[:5]:
            query &= (
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(username__icontains=word)
                | Q(email__icontains=word)
            )
        return queryset.filter(query)

    def by_membership(self, queryset, name, value):
        # Both fields are applied once, by filter_queryset below.
        return queryset

    def memberships(self):
        """The memberships the filter asks for: at the organisation, with the role (the people
        list keeps those who hold one; the export lists them). Call after validation."""
        organisation = self.form.cleaned_data.get("organisation")
        role = self.form.cleaned_data.get("role")
        memberships = Membership.objects.all()
        if organisation:
            memberships = memberships.filter(organisation=organisation)
        if role == ROLE_CONTACT_PERSON:
            memberships = memberships.filter(is_contact_person=True)
        elif role in Membership.Role.values:
            memberships = memberships.filter(role=role)
        return memberships

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        organisation = self.form.cleaned_data.get("organisation")
        role = self.form.cleaned_data.get("role")
        if role == ROLE_ADMINISTRATOR:
            queryset = queryset.filter(is_superuser=True)
        if role == ROLE_NONE and not organisation:
            return queryset.exclude(Exists(Membership.objects.filter(user=OuterRef("pk"))))
        if organisation or role in (ROLE_CONTACT_PERSON, *Membership.Role.values):
            # Exists rather than a join: no duplicate people and no DISTINCT for the count.
            queryset = queryset.filter(Exists(self.memberships().filter(user=OuterRef("pk"))))
        return queryset
