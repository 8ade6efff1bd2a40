import re
from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from actionplan import permissions as reporting
from actionplan.models import Commitment, Delegation, commitment_lineage
from actors import exports, permissions
from actors.models import Organisation
from actors.pagination import KeysFirstPaginationMixin, query_without
from followup import overview, reminders, services
from followup.dashboard import undelivered_reminders
from followup.filters import REVIEW_ORDER, ProgressReportFilter, ReviewQueueFilter
from followup.forms import (
    REVIEW_QUEUE_PARAMETERS,
    OrganisationObligationsFilterForm,
    OverviewFilterForm,
    ProgressReportForm,
    ReportingPeriodForm,
    ReturnForm,
    ReviewForm,
    review_queue_url,
)
from followup.history import history_entries, report_history_visible_to
from followup.models import (
    CommitmentFollow,
    ProgressReport,
    ReportingPeriod,
    ReportState,
)

MY_TASKS_PER_PAGE = 50


@login_required
@require_safe
def my_tasks(request):
    """Mina uppgifter: what the person's organisations must report in the open period.

    The headline counts are SQL aggregates and only one page of tasks is built, so the page does
    the same work for a coordinator of one commitment and of a thousand.
    """
    today = timezone.localdate()
    period = ReportingPeriod.objects.current(today)
    show = request.GET.get("visa")
    if show not in ("kvar", "inskickade"):
        show = ""
    rows, page_obj, total, done = [], None, 0, 0
    if period is not None:
        # Done is the rank of a submitted or approved report (REPORTED_STATES).
        keys = reporting.reporting_task_keys(request.user, year=period.year).annotate(
            urgency=_task_urgency(period)
        )
        counts = keys.aggregate(
            total=Count("content_object"),
            done=Count("content_object", filter=Q(urgency=TASK_DONE)),
        )
        total, done = counts["total"], counts["done"]
        if show == "inskickade":
            keys = keys.filter(urgency=TASK_DONE)
        elif show:
            keys = keys.exclude(urgency=TASK_DONE)
        # What needs the person most comes first (issue 10); by code within each group.
        keys = keys.order_by(
            "urgency", "content_object__plan__start_year", "content_object__code", "organisation_id"
        )
        paginator = Paginator(keys, MY_TASKS_PER_PAGE)
        # Known already: no second count.
        paginator.count = {"": total, "inskickade": done, "kvar": total - done}[show]
        page_obj = paginator.get_page(request.GET.get("page"))
        tasks = reporting.reporting_tasks_from(page_obj.object_list)
        reports = {
            (report.commitment_id, report.organisation_id): report
            for report in ProgressReport.objects.filter(
                period=period,
                commitment__in={task.commitment.pk for task in tasks},
                organisation__in={task.organisation.pk for task in tasks},
            )
        }
        rows = [(task, reports.get((task.commitment.pk, task.organisation.pk))) for task in tasks]
    return render(
        request,
        "followup/my_tasks.html",
        {
            "period": period,
            "days_left": period.days_left(today) if period else None,
            "days_late": -period.days_left(today) if period else None,
            "rows": rows,
            "page_obj": page_obj,
            "total": total,
            "done": done,
            "left": total - done,
            "show": show,
            "query_without_page": query_without(request),
            "access": permissions.access_for(request),
        },
    )


# The order of Mina uppgifter: returned for completion, not started, draft, sent in.
TASK_RETURNED, TASK_NOT_STARTED, TASK_DRAFT, TASK_DONE = range(4)


def _task_urgency(period: ReportingPeriod):
    """An SQL expression ranking a task by what its report needs, for ordering the page.

    A returned report stays first while the organisation works on it as a draft again: county
    staff's comment is still waiting for an answer. One subquery per task (there is at most one
    report per commitment, organisation and period), since the page sorts all of a person's tasks.
    """
    report_urgency = (
        ProgressReport.objects.filter(
            period=period,
            commitment=OuterRef("content_object"),
            organisation=OuterRef("organisation_id"),
        )
        .annotate(
            urgency=Case(
                When(
                    Q(state=ReportState.RETURNED)
                    | (Q(state=ReportState.DRAFT) & ~Q(review_comment="")),
                    then=Value(TASK_RETURNED),
                ),
                When(state=ReportState.DRAFT, then=Value(TASK_DRAFT)),
                default=Value(TASK_DONE),
            )
        )
        .values("urgency")[:1]
    )
    return Coalesce(Subquery(report_urgency), Value(TASK_NOT_STARTED))


def _reportable(request, commitment_pk, organisation_slug):
    """The commitment and organisation of a report form, or 404/403 as the rules say."""
    commitment = permissions.get_object_or_404_scoped(
        Commitment.objects.for_list(), pk=commitment_pk
    )
    organisation = permissions.get_object_or_404_scoped(
        Organisation.objects.all(), slug=organisation_slug
    )
    if organisation not in commitment.responsible_organisations():
        raise Http404
    if organisation not in reporting.reporting_organisations(request.user, commitment):
        if permissions.access_for(request).sees_all_reports:
            raise PermissionDenied
        raise Http404
    return commitment, organisation


@login_required
def report_edit(request, commitment_pk, organisation_slug):
    commitment, organisation = _reportable(request, commitment_pk, organisation_slug)
    today = timezone.localdate()
    period = ReportingPeriod.objects.current(today)
    if period is None or not commitment.in_scope_for_year(period.year):
        if request.method == "POST":
            raise PermissionDenied
        return render(
            request,
            "followup/report_closed.html",
            {"commitment": commitment, "organisation": organisation, "period": period},
        )
    report = (
        ProgressReport.objects.for_task(commitment, organisation, period)
        .select_related("reviewed_by", "submitted_by")
        .first()
    )
    if report is not None and not report.can_submit():
        if request.method == "POST":
            raise PermissionDenied
        return redirect("followup:report-detail", pk=report.pk)

    instance = report or ProgressReport(
        commitment=commitment, organisation=organisation, period=period
    )
    latest = None
    autosave = _wants_json(request)
    # A body too large to read never gets here: RequestBodyLimitMiddleware answers it with 413.
    if request.method == "POST":
        action = ProgressReportForm.SUBMIT if "submit" in request.POST else ProgressReportForm.SAVE
        form = ProgressReportForm(request.POST, instance=instance, action=action)
        if form.is_valid():
            try:
                saved = services.progress_report_save(
                    commitment=commitment,
                    organisation=organisation,
                    period=period,
                    user=request.user,
                    data=form.cleaned_data,
                    expected_version=form.cleaned_data["version"],
                    submit=action == ProgressReportForm.SUBMIT,
                )
            except services.StaleReportError as error:
                latest = ProgressReport.objects.for_task(commitment, organisation, period).first()
                form.add_error(None, str(error))
                # Saving again after reading the newer version is a deliberate choice.
                form.data = form.data.copy()
                form.data["version"] = latest.version if latest else 0
            except services.ReportDataError as error:
                for field, message in error.errors.items():
                    form.add_error(field, message)
            except services.FollowUpError as error:
                form.add_error(None, str(error))
            else:
                if saved.is_submitted:
                    messages.success(request, _("Rapporten är inskickad. Tack!"))
                    return redirect("followup:commitment-detail", pk=commitment.pk)
                saved_message = draft_saved_message(saved)
                if autosave:
                    return JsonResponse({"version": saved.version, "message": saved_message})
                # The person stays on the form, to go on writing.
                messages.success(request, saved_message)
                return redirect(request.path)
        if autosave:
            # The page keeps the typed text; the person sees what is wrong when saving by hand.
            return JsonResponse(
                {"message": _("Utkastet kunde inte sparas automatiskt: spara det själv.")},
                status=409 if latest is not None or "version" in form.errors else 400,
            )
    else:
        form = ProgressReportForm(instance=instance)
    if autosave:
        return JsonResponse({"message": _("Skicka utkastet med POST.")}, status=405)
    last_year = (
        ProgressReport.objects.visible_to(request.user, access=permissions.access_for(request))
        .filter(commitment=commitment, organisation=organisation, period__year=period.year - 1)
        .select_related("period")
        .first()
    )
    if last_year is not None and request.method == "GET" and request.GET.get("kopiera") == "1":
        # Without JavaScript: last year's figures in the fields that are still empty; nothing is
        # saved until the person saves.
        form = ProgressReportForm(instance=instance, initial=_copy_into_empty(instance, last_year))
    return render(
        request,
        "followup/report_form.html",
        {
            "form": form,
            "commitment": commitment,
            "organisation": organisation,
            "period": period,
            "report": report,
            "latest": latest,
            "last_year": last_year,
        },
    )


def _wants_json(request) -> bool:
    """The autosave (static/js/report-autosave.js) asks for JSON; a form posted by hand never."""
    return request.headers.get("X-Report-Autosave") == "1"


def draft_saved_message(report: ProgressReport) -> str:
    # Swedish writes the time with a full stop (14.32), in the site's time zone.
    when = timezone.localtime(report.updated_at)
    return _("Utkast sparat kl. %(time)s.") % {"time": f"{when:%H.%M}"}


def _copy_into_empty(report: ProgressReport, last_year: ProgressReport) -> dict:
    copied = {}
    for name in services.REPORT_FIELDS:
        if getattr(report, name) in ("", None) and getattr(last_year, name) not in ("", None):
            copied[name] = getattr(last_year, name)
    return copied


def _visible_report(request, pk) -> ProgressReport:
    queryset = ProgressReport.objects.visible_to(
        request.user, access=permissions.access_for(request)
    ).select_related("commitment__plan", "organisation", "period", "submitted_by", "reviewed_by")
    return permissions.get_object_or_404_scoped(queryset, pk=pk)


def _render_report_detail(request, report, return_form=None, *, queue=""):
    own = reporting.reporting_organisations(request.user, report.commitment)
    records = (
        report_history_visible_to(
            ProgressReport.history.filter(id=report.pk), [organisation.pk for organisation in own]
        )
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    access = permissions.access_for(request)
    reviewer = access.may_review and report.is_reviewable()
    own_report = report.is_own_for(request.user, reporting_for=own)
    review_initial = {"version": report.version, "queue": queue}
    return render(
        request,
        "followup/report_detail.html",
        {
            "report": report,
            "history": history_entries(records, subject=lambda record: ""),
            "may_review": reviewer and not own_report,
            "own_report": reviewer and own_report,
            "may_edit": report.can_submit() and report.organisation in own,
            "approve_form": ReviewForm(initial=review_initial),
            "return_form": return_form or ReturnForm(initial=review_initial),
            # Reached from the review queue: back to it, and on to its next report.
            "queue": queue,
            "focus_heading": _takes_focus_after_review(request, report.pk),
        },
    )


@login_required
@require_safe
def report_detail(request, pk):
    return _render_report_detail(
        request,
        _visible_report(request, pk),
        queue=review_queue_url(request.GET.get("queue")),
    )


def _reviewable(request, pk) -> ProgressReport:
    report = _visible_report(request, pk)
    if not permissions.access_for(request).may_review or report.is_own_for(request.user):
        raise PermissionDenied
    return report


# The page a review leads to puts the focus on its heading, so that a keyboard or screen reader
# user goes on from the top of the next report (static/js/focus-heading.js). Kept in the session
# for the one page after the redirect: the key holds that report's pk, or "queue".
REVIEW_FOCUS_SESSION_KEY = "followup_review_focus"


def _takes_focus_after_review(request, page) -> bool:
    if REVIEW_FOCUS_SESSION_KEY not in request.session:
        return False
    return request.session.pop(REVIEW_FOCUS_SESSION_KEY) == page


def _after_review(request, report: ProgressReport, form: ReviewForm, done: str):
    """Where a review leads: the queue's next report ("… och nästa"), else the same report.

    The next report is the one after this in the queue the reviewer came from, with the same
    filters, among the reports the reviewer may review (never their own organisation's); when
    none is left, the queue itself, saying so.
    """
    queue = form.cleaned_data["queue"]
    if not (queue and form.cleaned_data["and_next"]):
        messages.success(request, done)
        request.session[REVIEW_FOCUS_SESSION_KEY] = report.pk
        return redirect(_report_url(report.pk, queue))
    following = ReviewQueueFilter(
        QueryDict(urlsplit(queue).query), queryset=_review_queue(request.user)
    ).next_after(report)
    if following is None:
        none_left = _("Inga fler rapporter att granska.")
        messages.success(request, f"{done} {none_left}")
        request.session[REVIEW_FOCUS_SESSION_KEY] = "queue"
        return redirect(queue)
    next_one = _("Här är nästa rapport i kön.")
    messages.success(request, f"{done} {next_one}")
    request.session[REVIEW_FOCUS_SESSION_KEY] = following.pk
    return redirect(_report_url(following.pk, queue))


def _report_url(pk: int, queue: str) -> str:
    url = reverse("followup:report-detail", args=[pk])
    return f"{url}?{urlencode({'queue': queue})}" if queue else url


@login_required
@require_POST
def report_approve(request, pk):
    report = _reviewable(request, pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.progress_report_approve(
                report=report, user=request.user, expected_version=form.cleaned_data["version"]
            )
        except services.FollowUpError as error:
            messages.error(request, str(error))
        else:
            return _after_review(request, report, form, _("Rapporten är godkänd."))
    else:
        messages.error(request, _("Sidan var inaktuell. Läs rapporten igen och försök på nytt."))
    return redirect(_report_url(report.pk, form.cleaned_data.get("queue", "")))


@login_required
@require_POST
def report_return(request, pk):
    report = _reviewable(request, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.progress_report_return(
                report=report,
                user=request.user,
                expected_version=form.cleaned_data["version"],
                comment=form.cleaned_data["comment"],
            )
        except services.FollowUpError as error:
            form.add_error(None, str(error))
        else:
            return _after_review(
                request, report, form, _("Rapporten är återsänd för komplettering.")
            )
    return _render_report_detail(
        request, report, return_form=form, queue=form.cleaned_data.get("queue", "")
    )


def _review_queue(user):
    return ProgressReport.objects.reviewable_by(user).order_by(*REVIEW_ORDER)


class ReviewQueueView(
    permissions.FollowUpReaderRequiredMixin, KeysFirstPaginationMixin, FilterView
):
    """County staff's list of submitted reports waiting for review, but their own, filtered by
    period (the open one unless another is chosen), organisation and goal."""

    filterset_class = ReviewQueueFilter
    template_name = "followup/review_queue.html"
    paginate_by = 50
    strict = True  # a filter that is not valid shows its error and no reports

    def get_queryset(self):
        return _review_queue(self.request.user)

    def page_rows(self, keys):
        return ProgressReport.objects.select_related(
            "commitment__plan", "organisation", "period", "submitted_by"
        ).in_bulk(keys)

    def get_context_data(self, **kwargs):
        filters = [
            (name, value)
            for name in REVIEW_QUEUE_PARAMETERS
            for value in self.request.GET.getlist(name)
        ]
        queue = review_queue_url(f"{self.request.path}?{urlencode(filters)}")
        return super().get_context_data(
            query_without_page=query_without(self.request),
            # Each report's link carries the queue, for "Godkänn och nästa" on its page.
            queue_query=urlencode({"queue": queue}),
            focus_heading=_takes_focus_after_review(self.request, "queue"),
            **kwargs,
        )


REPORT_EXPORT_HEADERS = [
    _lazy("Åtagande"),
    _lazy("Titel"),
    _lazy("Handlingsplan"),
    _lazy("Organisation"),
    _lazy("År"),
    _lazy("Läge"),
    _lazy("Status"),
    _lazy("Andel genomfört (%)"),
    _lazy("Vad har gjorts"),
    _lazy("Resultat"),
    _lazy("Hinder"),
    _lazy("Nästa steg"),
    _lazy("Kommentar från kansliet"),
    _lazy("Inskickad"),
    _lazy("Granskad"),
]


@login_required
@require_safe
def report_export(request):
    """The progress reports the person may read, filtered, as a page and then as a file.

    Read through ProgressReport.visible_to: county staff and administrators get what has been
    sent in, coordinators their organisations' reports, and drafts never leave the
    organisation that writes them.
    """
    reports = ProgressReport.objects.visible_to(
        request.user, access=permissions.access_for(request)
    )
    filterset = ProgressReportFilter(request.GET, queryset=reports)
    if "format" not in request.GET:
        valid = filterset.is_valid()
        return render(
            request,
            "followup/report_export.html",
            {
                "filter": filterset,
                "count": filterset.qs.count() if valid else None,
                "max_rows": exports.max_rows(len(REPORT_EXPORT_HEADERS)),
            },
        )
    if not filterset.is_valid():
        return exports.error_response(request, _("Filtret är ogiltigt. Välj i listorna."))
    return exports.export_response(
        request,
        queryset=filterset.qs,
        headers=REPORT_EXPORT_HEADERS,
        rows=_report_rows,
        title=_("Lägesrapporter"),
        file_stem="lagesrapporter",
    )


def _report_rows(reports):
    """One row per report, in one query."""
    states = {value: str(label) for value, label in ProgressReport.State.choices}
    statuses = {value: str(label) for value, label in ProgressReport.Status.choices}
    columns = (
        "commitment__code",
        "commitment__title",
        "commitment__plan__title",
        "organisation__name",
        "period__year",
        "state",
        "status",
        "percent_done",
        "work_done",
        "results",
        "obstacles",
        "next_steps",
        "review_comment",
        "submitted_at",
        "reviewed_at",
    )
    for row in (
        reports.order_by("-period__year", "commitment__code", "organisation__name", "pk")
        .values_list(*columns)
        .iterator()
    ):
        row = list(row)
        row[5] = states.get(row[5], row[5])
        row[6] = statuses.get(row[6], row[6])
        yield row


def _period(year) -> ReportingPeriod:
    return permissions.get_object_or_404_scoped(ReportingPeriod.objects.all(), year=year)


@login_required
def period_list(request):
    permissions.require_follow_up_access(request, write=request.method == "POST")
    form = ReportingPeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.reporting_period_open(**form.cleaned_data)
        except services.FollowUpError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(period)s är skapad.") % {"period": period})
            return redirect("followup:period-overview", year=period.year)
    periods = list(ReportingPeriod.objects.all())
    today = timezone.localdate()
    for period in periods:
        period.state = period.state_on(today)
    return render(request, "followup/period_list.html", {"periods": periods, "form": form})


# Organisations per page of the overview's matrix and of its list of late organisations (each
# with its reminder form): a page costs about the same for thirty organisations as for 800.
MATRIX_PAGE_SIZE = 50
LATE_PAGE_SIZE = 25


def _matrix_cells(figures, row) -> list[tuple]:
    """A matrix row's cells as (goal, missing, the link's accessible name).

    The names are made here rather than by a template tag in each cell: a page has up to
    50 × 8 cells, and a {% blocktranslate %} in each cost 6 of the page's 30 ms of CPU at
    national scale.
    """
    return [
        (
            goal,
            missing,
            ngettext(
                "%(missing)s saknad rapport från %(name)s, mål %(number)s",
                "%(missing)s saknade rapporter från %(name)s, mål %(number)s",
                missing,
            )
            % {"missing": missing, "name": row.short_name, "number": goal.number},
        )
        for goal, missing in figures.with_goals(row)
    ]


@login_required
@require_safe
def period_overview(request, year):
    permissions.require_follow_up_access(request)
    period = _period(year)
    figures = overview.period_figures(period)
    filter_form = OverviewFilterForm(request.GET)
    chosen = filter_form.cleaned_data if filter_form.is_valid() else {}
    rows = figures.rows_matching(
        text=chosen.get("q", ""),
        kind=chosen.get("kind", ""),
        affiliation=chosen.get("affiliation", ""),
    )
    late_page = Paginator(figures.late, LATE_PAGE_SIZE).get_page(request.GET.get("late_page"))
    # Who to call and when each was last reminded: two queries for the page, not two a row.
    late_page.object_list = overview.late_organisations_detail(period, list(late_page))
    matrix_page = Paginator(rows, MATRIX_PAGE_SIZE).get_page(request.GET.get("page"))
    matrix_page.object_list = [(row, _matrix_cells(figures, row)) for row in matrix_page]
    today = timezone.localdate()
    return render(
        request,
        "followup/period_overview.html",
        {
            "period": period,
            "overview": figures,
            "filter_form": filter_form,
            "matrix_page": matrix_page,
            "matrix_query": query_without(request),
            "late_page": late_page,
            "late_query": query_without(request, "late_page"),
            "today": today,
            "reminders_open": period.accepts_reports_on(today),
            "undelivered": undelivered_reminders(period).count(),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def period_lock(request, year):
    """Lock a period: the page says what locking leaves unfinished, its form locks."""
    permissions.require_follow_up_access(request, write=True)
    period = _period(year)
    if request.method == "POST":
        period = services.reporting_period_lock(period=period)
        messages.success(request, _("%(period)s är låst.") % {"period": period})
        return redirect("followup:period-overview", year=period.year)
    return render(
        request,
        "followup/period_lock.html",
        {"period": period, "summary": None if period.is_locked else overview.lock_summary(period)},
    )


@login_required
@require_POST
def remind_now(request, year, organisation_slug):
    permissions.require_follow_up_access(request, write=True)
    period = _period(year)
    back = reverse("followup:period-overview", args=[period.year])
    if re.fullmatch(r"[1-9][0-9]{0,5}", late_page := request.POST.get("late_page", "")):
        # Back to the page of the late organisations the button was on.
        back += f"?late_page={late_page}#late-heading"
    organisation = permissions.get_object_or_404_scoped(
        Organisation.objects.all(), slug=organisation_slug
    )
    if not period.accepts_reports_on(timezone.localdate()):
        messages.error(request, _("Perioden är stängd; påminnelser skickas inte längre."))
    elif not organisation.is_active:
        messages.error(
            request,
            _("%(name)s är inaktiv och påminns inte.") % {"name": organisation.short_name},
        )
    else:
        try:
            sent = reminders.reminders_send_now(
                period=period, organisation=organisation, user=request.user
            )
        except reminders.TooSoonError:
            messages.error(
                request,
                _("%(name)s fick en påminnelse för mindre än ett dygn sedan.")
                % {"name": organisation.short_name},
            )
        else:
            if not sent:
                messages.error(
                    request,
                    _(
                        "Ingen på %(name)s kunde påminnas: ingen med en e-postadress rapporterar "
                        "för organisationen, eller så saknas inga rapporter."
                    )
                    % {"name": organisation.short_name},
                )
                return redirect(back)
            messages.success(
                request,
                ngettext(
                    "Påminnelse skickad till %(count)d person på %(name)s.",
                    "Påminnelse skickad till %(count)d personer på %(name)s.",
                    len(sent),
                )
                % {"count": len(sent), "name": organisation.short_name},
            )
    return redirect(back)


def _reminding_refused(period: ReportingPeriod) -> str:
    """Why no reminder may be sent in the period now, or ""."""
    if not period.accepts_reports_on(timezone.localdate()):
        return _("Perioden är stängd; påminnelser skickas inte längre.")
    return ""


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def remind_all_late(request, year):
    """Remind every late organisation at once: the page previews the e-mail, its form sends."""
    permissions.require_follow_up_access(request, write=True)
    period = _period(year)
    if refused := _reminding_refused(period):
        if request.method == "POST":
            messages.error(request, refused)
            return redirect("followup:period-overview", year=period.year)
        return render(
            request, "followup/remind_all_late.html", {"period": period, "refused": refused}
        )
    if request.method != "POST":
        plan = reminders.reminders_preview_all_late(period=period)
        return render(
            request,
            "followup/remind_all_late.html",
            {"period": period, "plan": plan, "preview": plan.preview()},
        )
    plan = reminders.reminders_send_all_late(period=period, user=request.user)
    if plan.claimed:
        messages.success(
            request,
            ngettext(
                "Påminnelser skickade till %(people)d person på %(count)d organisation.",
                "Påminnelser skickade till %(people)d personer på %(count)d organisationer.",
                len(plan.reminded),
            )
            % {"people": len(plan.claimed), "count": len(plan.reminded)},
        )
    else:
        messages.error(
            request,
            _(
                "Inga påminnelser skickades: alla sena organisationer har fått en påminnelse "
                "det senaste dygnet, eller ingen med en e-postadress rapporterar för dem."
            ),
        )
    return redirect(reverse("followup:period-overview", args=[period.year]) + "#late-heading")


PERIOD_ORGANISATION_PAGE_SIZE = 50


@login_required
@require_safe
def period_organisation(request, year, organisation_slug):
    """One organisation's commitments in a period with the state of its report on each: where
    the overview's organisation names and matrix cells lead."""
    permissions.require_follow_up_access(request)
    period = _period(year)
    organisation = permissions.get_object_or_404_scoped(
        Organisation.objects.all(), slug=organisation_slug
    )
    filter_form = OrganisationObligationsFilterForm(request.GET)
    chosen = filter_form.cleaned_data if filter_form.is_valid() else {}
    commitments = overview.organisation_obligations(
        period, organisation, goal=chosen.get("goal"), missing_only=bool(chosen.get("missing"))
    )
    return render(
        request,
        "followup/period_organisation.html",
        {
            "period": period,
            "organisation": organisation,
            "filter_form": filter_form,
            "page_obj": Paginator(commitments, PERIOD_ORGANISATION_PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
            "query_without_page": query_without(request),
            "contacts": overview.contacts_by_organisation([organisation.pk]).get(
                organisation.pk, []
            ),
            "last_reminded": overview.last_reminded(period, [organisation.pk]).get(organisation.pk),
            "sent_in_states": [ReportState.SUBMITTED, ReportState.RETURNED, ReportState.APPROVED],
        },
    )


class ReminderLogView(permissions.FollowUpReaderRequiredMixin, ListView):
    template_name = "followup/reminder_log.html"
    paginate_by = 50

    def get_queryset(self):
        self.period = _period(self.kwargs["year"])
        return self.period.reminders.select_related(
            "recipient", "organisation", "triggered_by"
        ).order_by("-claimed_at", "-pk")  # as reminder_log_idx, read backwards

    def get_context_data(self, **kwargs):
        return super().get_context_data(period=self.period, **kwargs)


@login_required
@require_POST
def follow_toggle(request, commitment_pk):
    commitment = permissions.get_object_or_404_scoped(Commitment.objects.all(), pk=commitment_pk)
    if request.POST.get("follow") == "1":
        services.commitment_follow(user=request.user, commitment=commitment)
        messages.success(request, _("Du bevakar nu åtagandet."))
    else:
        services.commitment_unfollow(user=request.user, commitment=commitment)
        messages.success(
            request,
            _("Du bevakar inte längre %(code)s %(title)s.")
            % {"code": commitment.code, "title": commitment.title},
        )
    if request.POST.get("back") == "my-follows":
        # A fixed name, never an address from the form: no open redirect.
        return redirect("followup:my-follows")
    return redirect("followup:commitment-detail", pk=commitment.pk)


MY_FOLLOWS_PER_PAGE = 50


@login_required
@require_safe
def my_follows(request):
    """Mina bevakningar: the commitments a person follows, and those delegated to them.

    Two lists, each paginated; the reports of one page are read in one query per list.
    """
    user = request.user
    delegations = Paginator(
        Delegation.objects.filter(membership__user=user, membership__organisation__is_active=True)
        .select_related("commitment", "membership__organisation")
        .order_by("commitment__code", "membership__organisation__name", "pk"),
        MY_FOLLOWS_PER_PAGE,
    ).get_page(request.GET.get("delegerade"))
    follows = Paginator(
        CommitmentFollow.objects.filter(user=user)
        .select_related("commitment")
        .order_by("commitment__code", "pk"),
        MY_FOLLOWS_PER_PAGE,
    ).get_page(request.GET.get("bevakade"))
    visible = ProgressReport.objects.visible_to(
        user, access=permissions.access_for(request)
    ).select_related("organisation", "period")
    delegated_reports = _latest_reports(
        visible.filter(
            commitment__in={delegation.commitment_id for delegation in delegations},
            organisation__in={delegation.membership.organisation_id for delegation in delegations},
        )
    )
    followed_reports = _latest_reports(
        visible.filter(commitment__in={follow.commitment_id for follow in follows})
    )
    return render(
        request,
        "followup/my_follows.html",
        {
            "delegations": [
                (
                    delegation,
                    delegated_reports.get(delegation.commitment_id, {}).get(
                        delegation.membership.organisation_id
                    ),
                )
                for delegation in delegations
            ],
            "delegations_page": delegations,
            "follows": [
                (follow, list(followed_reports.get(follow.commitment_id, {}).values()))
                for follow in follows
            ],
            "follows_page": follows,
            "delegations_query": query_without(request, "delegerade"),
            "follows_query": query_without(request, "bevakade"),
        },
    )


def _latest_reports(reports) -> dict[int, dict[int, ProgressReport]]:
    """Per commitment, each organisation's report of the latest year that has one."""
    latest: dict[int, dict[int, ProgressReport]] = {}
    for report in reports.order_by("commitment", "-period__year", "organisation__name"):
        by_organisation = latest.setdefault(report.commitment_id, {})
        year = next(iter(by_organisation.values())).period.year if by_organisation else None
        if year in (None, report.period.year):
            by_organisation.setdefault(report.organisation_id, report)
    return latest


class CommitmentDetailView(DetailView):
    """A commitment with its reports year by year, delegations and history."""

    template_name = "followup/commitment_detail.html"

    def get_object(self, queryset=None):
        return permissions.get_object_or_404_scoped(
            Commitment.objects.for_list(), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        user = self.request.user
        commitment = self.object
        reports = list(
            ProgressReport.objects.visible_to(user, access=permissions.access_for(self.request))
            .filter(commitment=commitment)
            .select_related("organisation", "period", "submitted_by", "reviewed_by")
            .order_by("-period__year", "organisation__name")
        )
        reporting_for = reporting.reporting_organisations(user, commitment)
        coordinated = set(
            reporting.delegating_organisations(user, commitment).values_list("pk", flat=True)
        )
        context = super().get_context_data(
            reports_by_year=_group_by_year(reports),
            reporting_for=reporting_for,
            may_delegate=bool(coordinated),
            # One query, however long the line across the plans.
            lineage=commitment_lineage(commitment.pk),
            # practices: the published methods the commitment builds on (one query). Through
            # the reverse relation, so that followup does not import the app above it.
            practices=list(
                commitment.practices.public()
                .order_by("title")
                .only("slug", "title", "is_example", "is_demo")
            ),
            **kwargs,
        )
        involved = bool(coordinated or reporting_for)
        if involved or permissions.access_for(self.request).sees_all_reports:
            context["delegations"] = list(
                Delegation.objects.filter(commitment=commitment)
                .select_related("membership__user", "membership__organisation", "granted_by")
                .order_by("membership__user__last_name", "pk")
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


ORGANISATION_PEOPLE_PER_PAGE = 50


@login_required
@require_safe
def organisation_detail(request, pk):
    """An organisation as administrators manage it: its people and roles, the commitments it
    leads or takes part in, and its reporting record, period by period.

    In followup, not actors, because the record counts progress reports (actors imports
    nothing above it); the organisation's forms are actors' (actors:organisation-*).
    """
    permissions.require_administrator(request)
    organisation = permissions.get_object_or_404_scoped(Organisation.objects, pk=pk)
    people = Paginator(
        organisation.memberships.select_related("user").order_by(
            "user__last_name", "user__first_name", "user__username"
        ),
        ORGANISATION_PEOPLE_PER_PAGE,
    ).get_page(request.GET.get("personer"))
    commitments = Commitment.objects.aggregate(
        leads=Count("pk", filter=Q(lead_organisation=organisation)),
        participates=Count(
            "pk",
            filter=Q(
                Exists(
                    Commitment.participating_organisations.through.objects.filter(
                        commitment=OuterRef("pk"), organisation=organisation
                    )
                )
            ),
        ),
    )
    return render(
        request,
        "followup/organisation_detail.html",
        {
            "organisation": organisation,
            "people": people,
            "commitments": commitments,
            "record": overview.organisation_record(organisation),
        },
    )
