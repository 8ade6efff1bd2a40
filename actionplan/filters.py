import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField, ModelChoiceIterator

from actionplan.models import ActionPlan, Commitment, Goal, ViolenceArea
from actors.models import Organisation
from actors.widgets import PlainSelect


class _NameOptions(ModelChoiceIterator):
    """The options as (key, name) pairs from one values_list query: no model per option.

    For models whose str() is their name, as an organisation's is.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        yield from self.queryset.values_list("pk", "name")


class _NamedModelChoiceField(ModelChoiceField):
    iterator = _NameOptions


class NamedModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A ModelChoiceFilter for long lists: options read as plain pairs, drawn in one step."""

    field_class = _NamedModelChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", PlainSelect)
        super().__init__(*args, **kwargs)


class CommitmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Sök"), method="search", max_length=200, help_text=_("Nummer, titel eller text.")
    )
    plan = django_filters.ModelChoiceFilter(
        label=_("Handlingsplan"),
        queryset=ActionPlan.objects.all(),
        empty_label=_("Alla planer"),
        widget=PlainSelect,
    )
    goal = django_filters.ModelChoiceFilter(
        label=_("Mål"),
        field_name="goals",
        queryset=Goal.objects.all(),
        empty_label=_("Alla mål"),
        widget=PlainSelect,
    )
    organisation = NamedModelChoiceFilter(
        label=_("Organisation"),
        method="responsible",
        queryset=Organisation.objects.active(),
        empty_label=_("Alla organisationer"),
    )
    state = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Commitment.State.choices,
        empty_label=_("Alla"),
        widget=PlainSelect,
    )
    violence_area = django_filters.ModelChoiceFilter(
        label=_("Våldsområde"),
        field_name="violence_areas",
        queryset=ViolenceArea.objects.all(),
        empty_label=_("Alla områden"),
        widget=PlainSelect,
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
