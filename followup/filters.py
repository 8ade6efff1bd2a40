import django_filters
from django.db.models import Exists, OuterRef, Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from actionplan.filters import NamedModelChoiceFilter
from actionplan.models import Commitment, Goal
from actors.models import Organisation
from actors.widgets import PlainSelect
from followup.models import ProgressReport, ReportingPeriod, ReportState


class PeriodAndOrganisationFilter(django_filters.FilterSet):
    """Progress reports by period (its year) and organisation: the export's and the review
    queue's common filters."""

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


class ProgressReportFilter(PeriodAndOrganisationFilter):
    """The progress reports' export: by period, organisation and state."""

    state = django_filters.ChoiceFilter(
        label=_("Läge"), choices=ReportState.choices, empty_label=_("Alla"), widget=PlainSelect
    )

    class Meta:
        model = ProgressReport
        fields = ["period", "organisation", "state"]


# The review queue's order, oldest submission first (as progressreport_review_idx); a report
# submitted without a time (only in old imported data) comes last, as PostgreSQL sorts NULL.
REVIEW_ORDER = ("submitted_at", "pk")


class ReviewQueueFilter(PeriodAndOrganisationFilter):
    """County staff's review queue by period (its year), organisation and goal.

    Without a `period` in the query, the queue shows the open period's reports, if a period is
    open: county staff review this year's round, and the dashboard links to `?period=<year>`.
    An empty `period` ("Alla perioder") shows every year.
    """

    goal = django_filters.ModelChoiceFilter(
        label=_("Mål"),
        method="for_goal",
        queryset=Goal.objects.all(),
        empty_label=_("Alla mål"),
        widget=PlainSelect,
    )

    class Meta:
        model = ProgressReport
        fields = ["period", "organisation", "goal"]

    def __init__(self, data=None, *args, **kwargs):
        # Bound even without a query (FilterView passes None then), to filter by the default.
        data = data.copy() if data is not None else QueryDict(mutable=True)
        if "period" not in data:
            current = ReportingPeriod.objects.current()
            if current is not None:
                data["period"] = str(current.year)
        super().__init__(data, *args, **kwargs)

    def for_goal(self, queryset, name, value):
        # Exists rather than a join, as CommitmentFilter.responsible: the page's keys and total
        # come from the reports alone (KeysFirstPaginationMixin), with no rows to de-duplicate.
        follows_goal = Commitment.goals.through.objects.filter(
            commitment=OuterRef("commitment_id"), goal=value
        )
        return queryset.filter(Exists(follows_goal))

    def next_after(self, report: ProgressReport) -> ProgressReport | None:
        """The report after `report` in this filtered queue, or else its first one.

        From the start again once the end is reached, so that reports the reviewer passed over
        come back before the queue counts as done. Call it after reviewing `report`: a report
        still waiting (a failed review) is skipped here all the same.
        """
        if not self.is_valid():
            return None
        queue = self.qs.exclude(pk=report.pk).order_by(*REVIEW_ORDER)
        if report.submitted_at is None:
            later = Q(submitted_at=None, pk__gt=report.pk)
        else:
            later = (
                Q(submitted_at__gt=report.submitted_at)
                | Q(submitted_at=report.submitted_at, pk__gt=report.pk)
                | Q(submitted_at=None)
            )
        return queue.filter(later).first() or queue.first()
