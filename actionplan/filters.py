import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from actionplan.models import ActionPlan, Commitment, Goal, ViolenceArea
from actors.models import Organisation
from actors.widgets import PlainSelect


class CommitmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Sök"), method="search", max_length=200, help_text=_("Nummer, titel eller text.")
    )
    plan = django_filters.ModelChoiceFilter(
        label=_("Handlingsplan"), queryset=ActionPlan.objects.all(), empty_label=_("Alla planer")
    )
    goal = django_filters.ModelChoiceFilter(
        label=_("Mål"),
        field_name="goals",
        queryset=Goal.objects.all(),
        empty_label=_("Alla mål"),
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        method="responsible",
        queryset=Organisation.objects.active(),
        empty_label=_("Alla organisationer"),
        widget=PlainSelect,
    )
    state = django_filters.ChoiceFilter(
        label=_("Status"), choices=Commitment.State.choices, empty_label=_("Alla")
    )
    violence_area = django_filters.ModelChoiceFilter(
        label=_("Våldsområde"),
        field_name="violence_areas",
        queryset=ViolenceArea.objects.all(),
        empty_label=_("Alla områden"),
    )

    class Meta:
        model = Commitment
        fields = ["q", "plan", "goal", "organisation", "state", "violence_area"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(code__icontains=value) | Q(title__icontains=value) | Q(description__icontains=value)
        )

    def responsible(self, queryset, name, value):
        # Exists rather than a join: no DISTINCT over whole rows for the page and its count.
        participates = Commitment.participating_organisations.through.objects.filter(
            commitment=OuterRef("pk"), organisation=value
        )
        return queryset.filter(Q(lead_organisation=value) | Q(Exists(participates)))
