from django.db.models import Count
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from actionplan.filters import CommitmentFilter
from actionplan.models import Commitment, Goal, ViolenceArea
from actors import permissions
from actors.models import Delegation
from followup.history import history_entries, report_history_visible_to
from followup.models import ProgressReport


class OverviewView(TemplateView):
    """The public front page: the strategy's goals and how many commitments serve each."""

    template_name = "actionplan/overview.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            goals=list(
                Goal.objects.select_related("strategy").annotate(
                    commitment_count=Count("commitments")
                )
            ),
            violence_areas=list(ViolenceArea.objects.all()),
            **kwargs,
        )


class CommitmentListView(FilterView):
    filterset_class = CommitmentFilter
    template_name = "actionplan/commitment_list.html"
    paginate_by = 25
    strict = True

    def get_queryset(self):
        return Commitment.objects.for_list().order_by("-plan__start_year", "code")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        return context


class CommitmentDetailView(DetailView):
    template_name = "actionplan/commitment_detail.html"

    def get_queryset(self):
        return Commitment.objects.for_list()

    def get_object(self, queryset=None):
        return permissions.get_object_or_404_scoped(self.get_queryset(), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        user = self.request.user
        commitment = self.object
        reports = list(
            permissions.visible_reports(user, ProgressReport.objects.filter(commitment=commitment))
            .select_related("organisation", "period", "submitted_by", "reviewed_by")
            .order_by("-period__year", "organisation__name")
        )
        reporting_for = permissions.reporting_organisations(user, commitment)
        coordinated = set(
            permissions.delegating_organisations(user, commitment).values_list("pk", flat=True)
        )
        context = super().get_context_data(
            reports_by_year=_group_by_year(reports),
            reporting_for=reporting_for,
            may_delegate=bool(coordinated),
            **kwargs,
        )
        involved = bool(coordinated or reporting_for)
        if involved or permissions.access_for(self.request).sees_all_reports:
            context["delegations"] = list(
                Delegation.objects.filter(commitment=commitment).select_related(
                    "delegate", "organisation", "granted_by"
                )
            )
            context["revocable"] = coordinated
        if user.is_authenticated:
            context["history"] = _history(commitment, reports, reporting_for)
            context["is_following"] = commitment.followers.filter(user=user).exists()
        return context


def _group_by_year(reports):
    years = {}
    for report in reports:
        years.setdefault(report.period.year, []).append(report)
    return sorted(years.items(), reverse=True)


def _history(commitment, visible_reports, own_organisations):
    report_names = {report.pk: report.organisation.short_name for report in visible_reports}
    report_records = (
        report_history_visible_to(
            ProgressReport.history.filter(id__in=report_names),
            [organisation.pk for organisation in own_organisations],
        )
        .select_related("history_user", "period")
        .order_by("history_date", "history_id")
    )
    commitment_records = commitment.history.select_related("history_user").order_by(
        "history_date", "history_id"
    )
    entries = history_entries(
        report_records,
        subject=lambda record: f"{report_names[record.id]}, {record.period.year}",
    ) + history_entries(commitment_records, subject=lambda record: str(commitment.code))
    return sorted(entries, key=lambda entry: entry.when, reverse=True)
