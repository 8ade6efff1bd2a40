import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from actionplan.filters import NamedModelChoiceFilter
from actionplan.models import Goal, ViolenceArea
from actors.models import Organisation
from actors.widgets import PlainSelect
from practices.models import Practice


class PracticeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Sök"),
        method="search",
        max_length=200,
        help_text=_("Ord i titeln, sammanfattningen eller beskrivningen."),
    )
    goal = django_filters.ModelChoiceFilter(
        label=_("Mål"),
        method="with_goal",
        queryset=Goal.objects.all(),
        empty_label=_("Alla mål"),
        widget=PlainSelect,
    )
    violence_area = django_filters.ModelChoiceFilter(
        label=_("Våldsområde"),
        method="with_violence_area",
        queryset=ViolenceArea.objects.all(),
        empty_label=_("Alla områden"),
        widget=PlainSelect,
    )
    municipality = NamedModelChoiceFilter(
        label=_("Kommun"),
        method="in_municipality",
        queryset=Organisation.objects.municipalities(),
        empty_label=_("Alla kommuner"),
    )
    target_group = django_filters.ChoiceFilter(
        label=_("Målgrupp"),
        choices=Practice.TargetGroup.choices,
        empty_label=_("Alla målgrupper"),
        widget=PlainSelect,
    )
    evidence_level = django_filters.ChoiceFilter(
        label=_("Kunskap om effekt"),
        method="at_least_evidence",
        choices=Practice.EvidenceLevel.choices,
        empty_label=_("Alla nivåer"),
        widget=PlainSelect,
        help_text=_("Visar exempel med minst den nivån."),
    )

    class Meta:
        model = Practice
        fields = ["q", "goal", "violence_area", "municipality", "target_group", "evidence_level"]

    # Exists rather than joins: no duplicate rows, no DISTINCT over the page and its count.
    def with_goal(self, queryset, name, value):
        return queryset.filter(
            Exists(Practice.goals.through.objects.filter(practice=OuterRef("pk"), goal=value))
        )

    def with_violence_area(self, queryset, name, value):
        return queryset.filter(
            Exists(
                Practice.violence_areas.through.objects.filter(
                    practice=OuterRef("pk"), violencearea=value
                )
            )
        )

    def in_municipality(self, queryset, name, value):
        return queryset.filter(
            Exists(
                Practice.municipalities.through.objects.filter(
                    practice=OuterRef("pk"), organisation=value
                )
            )
        )

    def at_least_evidence(self, queryset, name, value):
        # The ordered levels: asking for one finds it and the better known ones.
        return queryset.filter(evidence_level__gte=int(value))

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(summary__icontains=value)
            | Q(what_is_done__icontains=value)
            | Q(organisation_of_work__icontains=value)
        )
