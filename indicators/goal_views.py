"""The public goal pages: the strategy's goals, and per goal its indicators (chart, numbers,
assessment), the county against the municipalities, and its commitments' public status."""

from django.db.models import Count, OuterRef, Subquery
from django.http import Http404
from django.utils.functional import cached_property
from django.views.generic import ListView

from actionplan.models import Commitment, Goal, Strategy
from actors.pagination import KeysFirstPaginationMixin, query_without
from followup.models import ProgressReport, ReportState, ReportStatus

from .assessment import method_paragraphs
from .figures import indicator_figures

# ?ordning= on a goal page: how the areas' tables are ordered. Anything else is ignored.
AREA_ORDERS = ("varde", "namn")


def current_strategy() -> Strategy | None:
    return Strategy.objects.order_by("-start_year").first()


class GoalListView(ListView):
    template_name = "indicators/goals/goal_list.html"
    context_object_name = "goals"

    def get_queryset(self):
        return Goal.objects.filter(strategy=self.strategy).annotate(
            indicator_count=Count("indicators", distinct=True),
            commitment_count=Count("commitments", distinct=True),
        )

    @cached_property
    def strategy(self):
        return current_strategy()

    def get_context_data(self, **kwargs):
        return super().get_context_data(strategy=self.strategy, **kwargs)


class GoalDetailView(KeysFirstPaginationMixin, ListView):
    """One goal; the list this view paginates is the goal's commitments (50 a page)."""

    template_name = "indicators/goals/goal_detail.html"
    paginate_by = 50

    @cached_property
    def goal(self) -> Goal:
        goal = (
            Goal.objects.select_related("strategy")
            .filter(number=self.kwargs["number"], strategy=current_strategy())
            .first()
        )
        if goal is None:
            raise Http404
        return goal

    def get_queryset(self):
        return Commitment.objects.filter(goals=self.goal).order_by("-plan__start_year", "code")

    def page_rows(self, keys):
        # Only approved reports are public: a draft's or a submitted report's status never shows.
        latest_approved = ProgressReport.objects.filter(
            commitment=OuterRef("pk"), state=ReportState.APPROVED
        ).order_by("-period__year", "-reviewed_at", "-pk")
        return (
            Commitment.objects.select_related("plan", "lead_organisation")
            .annotate(
                public_status=Subquery(latest_approved.values("status")[:1]),
                public_percent_done=Subquery(latest_approved.values("percent_done")[:1]),
                public_year=Subquery(latest_approved.values("period__year")[:1]),
            )
            .in_bulk(keys)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for commitment in context["object_list"]:
            commitment.public_status_label = (
                ReportStatus(commitment.public_status).label if commitment.public_status else ""
            )
        indicators = list(self.goal.indicators.order_by("name"))
        order = self.request.GET.get("ordning")
        return context | {
            "goal": self.goal,
            "figures": indicator_figures(indicators),
            "area_order": order if order in AREA_ORDERS else "varde",
            "method_paragraphs": method_paragraphs(),
            "query_without_page": query_without(self.request),
            "commitments": context["object_list"],
        }
