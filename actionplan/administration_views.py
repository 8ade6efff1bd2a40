"""The administrators' pages for action plans: the plans, a plan's commitments, and importing
commitments from a file, with a preview before anything is saved.

Between the upload and the confirmation, the file's rows wait in the cache (Redis in
production, shared by every web process) under a random id for PREVIEW_SECONDS; the id is also
kept in the person's session, and the entry names the person and the plan, so an id from
anyone else, another plan or a guess finds nothing. The client never sends the rows back.
Confirming claims the entry (deleting it), checks the rows again against the database as it is
then, and saves them all or none.
"""

import secrets

from django.contrib import messages
from django.core.cache import cache
from django.db import IntegrityError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import ListView

from actionplan import imports, services
from actionplan.forms import ActionPlanForm, CommitmentCloseForm, CommitmentImportForm
from actionplan.models import ActionPlan, Commitment
from actors import permissions
from actors.pagination import KeysFirstPaginationMixin

PREVIEW_SECONDS = 30 * 60
SESSION_KEY = "actionplan-imports"
# The preview shows this many of the new commitments, and the page of errors this many errors.
PREVIEW_ROWS = 200
ERRORS_SHOWN = 500


class PlanListView(permissions.AdministratorRequiredMixin, View):
    """Every action plan, and the form for a new one."""

    def get(self, request):
        return self._render(request, ActionPlanForm())

    def post(self, request):
        form = ActionPlanForm(request.POST)
        if form.is_valid():
            plan = services.action_plan_create(**form.cleaned_data)
            messages.success(request, _("Handlingsplanen %(plan)s är skapad.") % {"plan": plan})
            return redirect("actionplan:plan-detail", pk=plan.pk)
        return self._render(request, form)

    def _render(self, request, form):
        plans = list(ActionPlan.objects.select_related("strategy").order_by("-start_year", "title"))
        counts = dict(
            Commitment.objects.order_by()
            .values("plan")
            .annotate(count=Count("pk"))
            .values_list("plan", "count")
        )
        for plan in plans:
            plan.commitment_count = counts.get(plan.pk, 0)
        return render(request, "actionplan/plan_list.html", {"plans": plans, "form": form})


class PlanDetailView(permissions.AdministratorRequiredMixin, KeysFirstPaginationMixin, ListView):
    """A plan's commitments, a page at a time, with a way to close each."""

    template_name = "actionplan/plan_detail.html"
    paginate_by = 50
    http_method_names = ["get", "head"]

    def get_queryset(self):
        self.plan = permissions.get_object_or_404_scoped(
            ActionPlan.objects.select_related("strategy"), pk=self.kwargs["pk"]
        )
        return Commitment.objects.filter(plan=self.plan).order_by("code")

    def page_rows(self, keys):
        return (
            Commitment.objects.select_related("lead_organisation", "predecessor__plan")
            .prefetch_related("goals", "participating_organisations")
            .in_bulk(keys)
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            plan=self.plan,
            close_form=CommitmentCloseForm(),
            closable={Commitment.State.PLANNED, Commitment.State.ACTIVE},
            **kwargs,
        )


class ImportTemplateView(permissions.AdministratorRequiredMixin, View):
    """The file to fill in: the header row and one example row, text only (no formulas)."""

    http_method_names = ["get", "head"]

    def get(self, request, extension):
        return import_template(extension)


def import_template(extension: str) -> HttpResponse:
    if extension == "xlsx":
        content = imports.template_xlsx()
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif extension == "csv":
        content = imports.template_csv()
        content_type = "text/csv; charset=utf-8"
    else:
        raise Http404
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="mall-ataganden.{extension}"'
    return response


class PlanMixin(permissions.AdministratorRequiredMixin):
    """Administrators only (checked first), then the plan of the URL, or 404."""

    def dispatch(self, request, *args, **kwargs):
        self.plan = None
        return super().dispatch(request, *args, **kwargs)

    def get_plan(self) -> ActionPlan:
        if self.plan is None:
            self.plan = permissions.get_object_or_404_scoped(
                ActionPlan.objects.select_related("strategy"), pk=self.kwargs["pk"]
            )
        return self.plan


class CommitmentImportView(PlanMixin, View):
    """Upload a file: every problem is listed at once; a right file goes to the preview."""

    def get(self, request, pk):
        return render_import_page(request, self.get_plan(), CommitmentImportForm())

    def post(self, request, pk):
        self.get_plan()
        form = CommitmentImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render_import_page(request, self.plan, form)
        upload = form.cleaned_data["file"]
        try:
            rows = imports.read_table(upload.read(imports.MAX_FILE_BYTES + 1))
            result = imports.check_rows(self.plan, rows)
        except imports.ImportFileError as error:
            form.add_error("file", str(error))
            return render_import_page(request, self.plan, form)
        if result.errors:
            return render_import_page(request, self.plan, form, errors=result.errors)
        token = secrets.token_urlsafe(24)
        cache.set(
            _cache_key(token),
            {"plan": self.plan.pk, "user": request.user.pk, "name": upload.name, "rows": rows},
            PREVIEW_SECONDS,
        )
        request.session[SESSION_KEY] = [*request.session.get(SESSION_KEY, [])[-4:], token]
        return redirect("actionplan:commitment-import-preview", pk=self.plan.pk, token=token)


def render_import_page(request, plan, form, errors=(), status=200):
    return render(
        request,
        "actionplan/commitment_import.html",
        {
            "plan": plan,
            "form": form,
            "columns": imports.COLUMNS,
            "max_rows": imports.MAX_ROWS,
            "errors": list(errors[:ERRORS_SHOWN]),
            "errors_count": len(errors),
            "errors_hidden": max(0, len(errors) - ERRORS_SHOWN),
        },
        status=status,
    )


def _cache_key(token: str) -> str:
    return f"actionplan:import:{token}"


class CommitmentImportPreviewView(PlanMixin, View):
    """What the file would create; confirming saves it all, in one transaction."""

    def _pending(self, request, token):
        self.get_plan()
        if token not in request.session.get(SESSION_KEY, []):
            return None
        pending = cache.get(_cache_key(token))
        if (
            not isinstance(pending, dict)
            or pending.get("plan") != self.plan.pk
            or pending.get("user") != request.user.pk
        ):
            return None
        return pending

    def _gone(self, request):
        return render(
            request, "actionplan/commitment_import_gone.html", {"plan": self.plan}, status=404
        )

    def get(self, request, pk, token):
        pending = self._pending(request, token)
        if pending is None:
            return self._gone(request)
        try:
            result = imports.check_rows(self.plan, pending["rows"])
        except imports.ImportFileError:
            return self._gone(request)
        if result.errors:
            # The plan or the organisations changed since the upload.
            return render_import_page(request, self.plan, CommitmentImportForm(), result.errors)
        return render(
            request,
            "actionplan/commitment_import_preview.html",
            {
                "plan": self.plan,
                "file_name": pending["name"],
                "rows": result.rows[:PREVIEW_ROWS],
                "count": len(result.rows),
                "hidden": max(0, len(result.rows) - PREVIEW_ROWS),
                "minutes": PREVIEW_SECONDS // 60,
            },
        )

    def post(self, request, pk, token):
        pending = self._pending(request, token)
        # Claiming the entry makes a second confirmation (a double click) find nothing.
        if pending is None or not cache.delete(_cache_key(token)):
            return self._gone(request)
        request.session[SESSION_KEY] = [
            known for known in request.session.get(SESSION_KEY, []) if known != token
        ]
        try:
            result = imports.check_rows(self.plan, pending["rows"])
        except imports.ImportFileError:
            return self._gone(request)
        if result.errors:
            return render_import_page(request, self.plan, CommitmentImportForm(), result.errors)
        try:
            created = services.commitments_import(
                plan=self.plan, rows=result.commitments, user=request.user
            )
        except IntegrityError:
            # Somebody added a commitment with one of the codes in between.
            form = CommitmentImportForm()
            form.add_error(None, _("Planen ändrades medan du granskade. Ladda upp filen igen."))
            return render_import_page(request, self.plan, form)
        messages.success(
            request,
            ngettext(
                "%(count)s åtagande har sparats i %(plan)s.",
                "%(count)s åtaganden har sparats i %(plan)s.",
                len(created),
            )
            % {"count": len(created), "plan": self.plan},
        )
        return redirect("actionplan:plan-detail", pk=self.plan.pk)


class CommitmentCloseView(permissions.AdministratorRequiredMixin, View):
    """Close one commitment as completed or cancelled."""

    http_method_names = ["post"]

    def post(self, request, pk):
        return commitment_close(request, pk)


def commitment_close(request, pk):
    commitment = permissions.get_object_or_404_scoped(Commitment.objects.all(), pk=pk)
    form = CommitmentCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["state"][0])
    elif commitment.state in (Commitment.State.COMPLETED, Commitment.State.CANCELLED):
        messages.error(
            request, _("Åtagandet %(code)s är redan avslutat.") % {"code": commitment.code}
        )
    else:
        services.commitment_close(commitment=commitment, state=form.cleaned_data["state"])
        messages.success(
            request,
            _("Åtagandet %(code)s är nu %(state)s.")
            % {"code": commitment.code, "state": commitment.get_state_display().lower()},
        )
    return redirect(reverse("actionplan:plan-detail", kwargs={"pk": commitment.plan_id}))
