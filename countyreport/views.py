from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Subquery
from django.http import FileResponse, Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from actionplan.models import Goal
from actors import permissions
from countyreport import services
from countyreport.forms import PublishForm, ReportTextForm
from countyreport.models import FORMATS, CountyReport, GoalAnalysis, ReportBuild
from followup.history import history_entries
from followup.models import ReportingPeriod

YEARS_PER_PAGE = 20
BUILDS_PER_PAGE = 10
HISTORY_SHOWN = 20
SUMMARY = "summary"


def _period(year) -> ReportingPeriod:
    return permissions.get_object_or_404_scoped(ReportingPeriod.objects.all(), year=year)


def _report(period: ReportingPeriod) -> CountyReport:
    """The period's report; unsaved until somebody writes in it, so that reading creates nothing."""
    return CountyReport.objects.filter(period=period).first() or CountyReport(period=period)


def _build(request, year, pk) -> ReportBuild:
    """A build of the year's report that the person may read (404 otherwise)."""
    builds = ReportBuild.objects.visible_to(permissions.access_for(request)).filter(
        report__period__year=year
    )
    return permissions.get_object_or_404_scoped(
        builds.select_related("report__period", "requested_by"), pk=pk
    )


@login_required
@require_safe
def report_list(request):
    permissions.require_follow_up_access(request)
    builds = ReportBuild.objects.filter(report__period=OuterRef("pk"))
    periods = ReportingPeriod.objects.order_by("-year").annotate(
        latest_state=Subquery(builds.order_by("-created_at", "-pk").values("state")[:1]),
        published=Exists(builds.filter(published_at__isnull=False)),
    )
    page = Paginator(periods, YEARS_PER_PAGE).get_page(request.GET.get("page"))
    states = dict(ReportBuild.State.choices)
    for period in page:
        period.latest_state_label = states.get(period.latest_state, "")
    return render(request, "countyreport/report_list.html", {"page_obj": page})


def _goals(year: int) -> list[Goal]:
    return list(
        Goal.objects.filter(
            strategy__action_plans__start_year__lte=year,
            strategy__action_plans__end_year__gte=year,
        )
        .distinct()
        .order_by("number", "pk")
    )


def _text_forms(report, goals, bound_part=None, data=None) -> list[tuple[str, ReportTextForm]]:
    """The summary's form and one per goal, each with its own prefix; one of them bound."""
    analyses = (
        {analysis.goal_id: analysis for analysis in GoalAnalysis.objects.filter(report=report)}
        if report.pk
        else {}
    )
    parts = [(SUMMARY, _("Sammanfattning"), report.summary, report.updated_at)]
    for goal in goals:
        analysis = analyses.get(goal.pk)
        parts.append(
            (
                f"goal-{goal.pk}",
                _("Analys av mål %(number)s. %(title)s")
                % {"number": goal.number, "title": goal.title},
                analysis.text if analysis else "",
                analysis.updated_at if analysis else None,
            )
        )
    forms = []
    for part, label, text, saved_at in parts:
        form = ReportTextForm(
            data if part == bound_part else None,
            prefix=part,
            label=label,
            initial={"text": text},
        )
        form.saved_at = saved_at if report.pk else None
        forms.append((part, form))
    return forms


def _history(report, goals):
    if not report.pk:
        return []
    numbers = {goal.pk: goal.number for goal in goals}
    report_records = report.history.select_related("history_user").order_by(
        "history_date", "history_id"
    )
    analysis_records = (
        GoalAnalysis.history.filter(report_id=report.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    entries = history_entries(report_records, subject=lambda record: _("sammanfattningen"))
    entries += history_entries(
        analysis_records,
        subject=lambda record: _("mål %(number)s") % {"number": numbers.get(record.goal_id, "")},
    )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:HISTORY_SHOWN]


@login_required
def report_detail(request, year):
    access = permissions.access_for(request)
    permissions.require_follow_up_access(request, write=request.method == "POST")
    period = _period(year)
    report = _report(period)
    goals = _goals(period.year)
    forms = _text_forms(report, goals)
    if request.method == "POST":
        part = request.POST.get("part", "")
        goal = next((goal for goal in goals if part == f"goal-{goal.pk}"), None)
        if part != SUMMARY and goal is None:
            return HttpResponseBadRequest(_("Okänd del av rapporten."))
        forms = _text_forms(report, goals, bound_part=part, data=request.POST)
        form = dict(forms)[part]
        if form.is_valid():
            report = services.county_report_for_year(period.year)
            if goal is None:
                services.county_report_save_summary(
                    report=report, summary=form.cleaned_data["text"], user=request.user
                )
            else:
                services.goal_analysis_save(
                    report=report, goal=goal, text=form.cleaned_data["text"], user=request.user
                )
            messages.success(
                request,
                _("Sparat kl. %(time)s.") % {"time": timezone.localtime().strftime("%H.%M")},
            )
            return redirect(f"{reverse('countyreport:report-detail', args=[period.year])}#{part}")
    builds = (
        report.builds.select_related("requested_by", "published_by").order_by("-created_at", "-pk")
        if report.pk
        else ReportBuild.objects.none()
    )
    return render(
        request,
        "countyreport/report_detail.html",
        {
            "period": period,
            "report": report,
            "forms": forms,
            "may_write": access.is_county_staff,
            "page_obj": Paginator(builds, BUILDS_PER_PAGE).get_page(request.GET.get("page")),
            "history": _history(report, goals),
            "formats": FORMATS,
        },
    )


@login_required
@require_POST
def build_request(request, year):
    permissions.require_follow_up_access(request, write=True)
    report = services.county_report_for_year(_period(year).year)
    build = services.build_request(report=report, user=request.user)
    messages.success(
        request, _("Rapporten byggs. Du kan lämna sidan och komma tillbaka; bygget fortsätter.")
    )
    return redirect(f"{reverse('countyreport:report-detail', args=[year])}#build-{build.pk}")


def _status(build: ReportBuild) -> dict:
    year = build.report.period.year
    return {
        "state": build.state,
        "state_label": build.get_state_display(),
        "step_label": build.get_step_display(),
        "percent": build.percent,
        "error": build.error,
        "finished": build.is_finished,
        "downloads": [
            {
                "label": kind.upper(),
                "url": reverse("countyreport:build-download", args=[year, build.pk, kind]),
            }
            for kind in FORMATS
            if build.state == ReportBuild.State.DONE and build.file_for(kind)
        ],
    }


@login_required
@require_safe
def build_status(request, year, pk):
    permissions.require_follow_up_access(request)
    response = JsonResponse(_status(_build(request, year, pk)))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def build_retry(request, year, pk):
    permissions.require_follow_up_access(request, write=True)
    build = _build(request, year, pk)
    try:
        services.build_retry(build=build, user=request.user)
    except services.CountyReportError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Bygget görs om."))
    return redirect(f"{reverse('countyreport:report-detail', args=[year])}#build-{build.pk}")


@login_required
def build_publish(request, year, pk):
    permissions.require_follow_up_access(request, write=True)
    build = _build(request, year, pk)
    form = PublishForm(request.POST if request.method == "POST" else None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.build_publish(build=build, user=request.user, request=request)
        except services.CountyReportError as refused:
            error = str(refused)
        else:
            messages.success(request, _("Rapporten är publicerad och kan läsas av alla."))
            return redirect("countyreport:report-detail", year=year)
    return render(
        request,
        "countyreport/build_publish.html",
        {"build": build, "form": form, "error": error, "formats": FORMATS},
    )


@require_safe
def build_download(request, year, pk, kind):
    """A build's file, as an attachment: unpublished builds for county staff and administrators,
    published ones for everyone. Never a public media URL."""
    build = _build(request, year, pk)
    file = build.file_for(kind)
    if build.state != ReportBuild.State.DONE or not file:
        raise Http404
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=build.download_name(kind))
    if not build.is_published:
        response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def published_list(request):
    builds = ReportBuild.objects.published().select_related("report__period")
    page = Paginator(builds.order_by("-report__period__year", "-pk"), YEARS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "countyreport/published_list.html", {"page_obj": page, "formats": FORMATS}
    )
