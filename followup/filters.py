import django_filters
from django.utils.translation import gettext_lazy as _

from actionplan.filters import NamedModelChoiceFilter
from actors.models import Organisation
from actors.widgets import PlainSelect
from followup.models import ProgressReport, ReportingPeriod, ReportState


class ProgressReportFilter(django_filters.FilterSet):
    """The progress reports' export: by period (its year), organisation and state."""

    period = django_filters.ModelChoiceFilter(
        label=_("Period"),
        queryset=ReportingPeriod.objects.all(),
        to_field_name="year",
        empty_label=_("Alla perioder"),
        widget=PlainSelect,
    )
    organisation = NamedModelChoiceFilter(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        empty_label=_("Alla organisationer"),
    )
    state = django_filters.ChoiceFilter(
        label=_("Läge"), choices=ReportState.choices, empty_label=_("Alla"), widget=PlainSelect
    )

    class Meta:
        model = ProgressReport
        fields = ["period", "organisation", "state"]
