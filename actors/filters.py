"""The filters of the administrators' lists of organisations and people, and their exports.

The parameters (documented in the README, "Exports"): organisations `q`, `kind`,
`affiliation`, `is_active`; people `q`, `organisation`, `role`.
"""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from actors.models import Membership, Organisation, User
from actors.widgets import PlainSelect


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Sök"),
        method="search",
        max_length=200,
        help_text=_("Namn, kortnamn eller kommunkod."),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Typ"), choices=Organisation.Kind.choices, empty_label=_("Alla"), widget=PlainSelect
    )
    affiliation = django_filters.ChoiceFilter(
        label=_("Roll i samverkan"),
        choices=Organisation.Affiliation.choices,
        empty_label=_("Alla"),
        widget=PlainSelect,
    )
    is_active = django_filters.BooleanFilter(label=_("Aktiv"))

    class Meta:
        model = Organisation
        fields = ["q", "kind", "affiliation", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(short_name__icontains=value)
            | Q(municipality_code__icontains=value)
        )


class PersonFilter(django_filters.FilterSet):
    """People; `organisation` and `role` keep those who hold such a membership."""

    q = django_filters.CharFilter(
        label=_("Sök"), method="search", max_length=200, help_text=_("För- eller efternamn.")
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        method="with_membership",
        queryset=Organisation.objects.all(),
        empty_label=_("Alla organisationer"),
        widget=PlainSelect,
    )
    role = django_filters.ChoiceFilter(
        label=_("Roll"),
        method="with_membership",
        choices=Membership.Role.choices,
        empty_label=_("Alla"),
        widget=PlainSelect,
    )

    class Meta:
        model = User
        fields = ["q", "organisation", "role"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(first_name__icontains=value) | Q(last_name__icontains=value))

    def with_membership(self, queryset, name, value):
        # Both filters at once, on one membership: a coordinator *at* the organisation.
        if name == "role" and self.form.cleaned_data.get("organisation"):
            return queryset  # applied with the organisation
        return queryset.filter(Exists(self.memberships().filter(user=OuterRef("pk"))))

    def memberships(self):
        """The memberships the filter asks for (call after the filter has been applied)."""
        memberships = Membership.objects.all()
        if organisation := self.form.cleaned_data.get("organisation"):
            memberships = memberships.filter(organisation=organisation)
        if role := self.form.cleaned_data.get("role"):
            memberships = memberships.filter(role=role)
        return memberships
