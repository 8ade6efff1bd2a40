"""County staff's pages for the indicators (administrators may use them too): the list, an
indicator's form, one year's values or survey answers, and importing a file of values with a
preview before anything is saved.

The import follows the commitments' import (actionplan.administration_views): between the upload
and the confirmation the parsed records wait in the cache under a random id that is also kept in
the person's session, and the entry names the person; confirming claims the entry, checks the
records again against the database as it is then, and saves them all or none.
"""

import secrets
from pathlib import Path

from django.contrib import messages
from django.core.cache import cache
from django.db import IntegrityError
from django.db.models import Max, Min
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import ListView

from actionplan.models import Strategy
from actors import permissions
from actors.pagination import KeysFirstPaginationMixin, query_without
from indicators import imports, services
from indicators.forms import (
    IndicatorFilterForm,
    IndicatorForm,
    IndicatorImportForm,
    YearAnswersForm,
    YearValuesForm,
)
from indicators.models import Area, Indicator

PREVIEW_SECONDS = 30 * 60
SESSION_KEY = "indicator-imports"
PREVIEW_ROWS = 200
ERRORS_SHOWN = 500


class IndicatorListView(
    permissions.FollowUpReaderRequiredMixin, KeysFirstPaginationMixin, ListView
):
    template_name = "indicators/indicator_list.html"
    paginate_by = 50
    http_method_names = ["get", "head"]

    def get_queryset(self):
        self.filter_form = IndicatorFilterForm(self.request.GET)
        indicators = Indicator.objects.order_by("name")
        if self.filter_form.is_valid() and self.filter_form.cleaned_data["goal"]:
            indicators = indicators.filter(goals=self.filter_form.cleaned_data["goal"])
        return indicators

    def page_rows(self, keys):
        return Indicator.objects.for_management_list().in_bulk(keys)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter_form=self.filter_form,
            query_without_page=query_without(self.request),
            years=strategy_years(),
            **kwargs,
        )


def strategy_years() -> list[int]:
    """The years values may be entered for: those of the strategies."""
    span = Strategy.objects.aggregate(first=Min("start_year"), last=Max("end_year"))
    if span["first"] is None:
        return []
    return list(range(span["first"], span["last"] + 1))


class IndicatorCreateView(permissions.FollowUpReaderRequiredMixin, View):
    def get(self, request):
        return self._render(request, IndicatorForm())

    def post(self, request):
        form = IndicatorForm(request.POST)
        if form.is_valid():
            indicator = services.indicator_save(
                indicator=form.save(commit=False), goals=form.cleaned_data["goals"]
            )
            messages.success(request, _("Indikatorn %(name)s är skapad.") % {"name": indicator})
            return redirect("indicators:manage-edit", pk=indicator.pk)
        return self._render(request, form)

    def _render(self, request, form):
        return render(request, "indicators/indicator_form.html", {"form": form, "indicator": None})


class IndicatorEditView(permissions.FollowUpReaderRequiredMixin, View):
    def get(self, request, pk):
        indicator = _indicator(pk)
        return self._render(request, indicator, IndicatorForm(instance=indicator))

    def post(self, request, pk):
        indicator = _indicator(pk)
        form = IndicatorForm(request.POST, instance=indicator)
        if form.is_valid():
            services.indicator_save(
                indicator=form.save(commit=False), goals=form.cleaned_data["goals"]
            )
            messages.success(request, _("Indikatorn %(name)s är sparad.") % {"name": indicator})
            return redirect("indicators:manage-edit", pk=indicator.pk)
        return self._render(request, indicator, form)

    def _render(self, request, indicator, form):
        return render(
            request,
            "indicators/indicator_form.html",
            {"form": form, "indicator": indicator, "years": strategy_years()},
        )


def _indicator(pk) -> Indicator:
    return permissions.get_object_or_404_scoped(Indicator.objects.all(), pk=pk)


class YearValuesView(permissions.FollowUpReaderRequiredMixin, View):
    """One year of one indicator: every area's value, or for a yes/no question every unit's
    answer."""

    def _look_up(self, pk, year):
        # After the permission check (the mixin's dispatch), so refused people learn nothing.
        self.indicator = _indicator(pk)
        if year not in strategy_years():
            raise Http404

    def _form(self, data=None):
        year = self.kwargs["year"]
        if self.indicator.is_yes_no:
            areas = [area for area in Area.objects.all() if area.answers_surveys]
            existing = dict(
                self.indicator.survey_answers.filter(year=year).values_list("area_id", "answer")
            )
            return YearAnswersForm(data, areas=areas, existing=existing)
        existing = {
            (area_id, sex): value
            for area_id, sex, value in self.indicator.values.filter(year=year).values_list(
                "area_id", "sex", "value"
            )
        }
        return YearValuesForm(
            data, indicator=self.indicator, areas=list(Area.objects.all()), existing=existing
        )

    def get(self, request, pk, year):
        self._look_up(pk, year)
        return self._render(request, self._form())

    def post(self, request, pk, year):
        self._look_up(pk, year)
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render(request, form)
        if self.indicator.is_yes_no:
            services.survey_answers_save(
                indicator=self.indicator, year=year, answers=form.answers()
            )
        else:
            services.indicator_values_save(
                indicator=self.indicator, year=year, values=form.values()
            )
        messages.success(
            request,
            _("Värdena för %(year)s är sparade.") % {"year": year},
        )
        return redirect("indicators:manage-year", pk=self.indicator.pk, year=year)

    def _render(self, request, form):
        year = self.kwargs["year"]
        share = None
        if self.indicator.is_yes_no:
            share = (
                self.indicator.survey_answers.filter(year=year)
                .county_shares()
                .get((self.indicator.pk, year))
            )
        return render(
            request,
            "indicators/year_values.html",
            {
                "indicator": self.indicator,
                "year": year,
                "years": strategy_years(),
                "form": form,
                "county_share": share,
            },
        )


class IndicatorImportView(permissions.FollowUpReaderRequiredMixin, View):
    """Upload a file: every problem is listed at once; a right file goes to the preview."""

    def get(self, request):
        return render_import_page(request, IndicatorImportForm())

    def post(self, request):
        form = IndicatorImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render_import_page(request, form)
        upload = form.cleaned_data["file"]
        try:
            parsed = imports.read_file(upload.read(imports.MAX_FILE_BYTES + 1))
            result = imports.check_records(parsed)
        except imports.ImportFileError as error:
            form.add_error("file", str(error))
            return render_import_page(request, form)
        if result.errors:
            return render_import_page(request, form, errors=result.errors)
        token = secrets.token_urlsafe(24)
        cache.set(
            _cache_key(token),
            {"user": request.user.pk, "name": upload.name, "file": imports.records_as_data(parsed)},
            PREVIEW_SECONDS,
        )
        request.session[SESSION_KEY] = [*request.session.get(SESSION_KEY, [])[-4:], token]
        return redirect("indicators:manage-import-preview", token=token)


SAMPLES = Path(__file__).resolve().parent / "samples"
SAMPLE_FILES = {
    "csv": ("indikatorvarden.csv", "text/csv; charset=utf-8"),
    "json": ("kolada.json", "application/json"),
}


class ImportSampleView(permissions.FollowUpReaderRequiredMixin, View):
    """The sample files the project wrote (indicators/samples), which import into the demo."""

    http_method_names = ["get", "head"]

    def get(self, request, extension):
        if extension not in SAMPLE_FILES:
            raise Http404
        name, content_type = SAMPLE_FILES[extension]
        response = HttpResponse((SAMPLES / name).read_bytes(), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


def render_import_page(request, form, errors=(), status=200):
    return render(
        request,
        "indicators/import.html",
        {
            "form": form,
            "columns": imports.COLUMNS,
            "areas": Area.objects.all(),
            "errors": list(errors[:ERRORS_SHOWN]),
            "errors_count": len(errors),
            "errors_hidden": max(0, len(errors) - ERRORS_SHOWN),
        },
        status=status,
    )


def _cache_key(token: str) -> str:
    return f"indicators:import:{token}"


class IndicatorImportPreviewView(permissions.FollowUpReaderRequiredMixin, View):
    """What the file would add and change; confirming saves it all, in one transaction."""

    def _pending(self, request, token):
        if token not in request.session.get(SESSION_KEY, []):
            return None
        pending = cache.get(_cache_key(token))
        if not isinstance(pending, dict) or pending.get("user") != request.user.pk:
            return None
        return pending

    def _gone(self, request):
        return render(request, "indicators/import_gone.html", status=404)

    def _check(self, pending):
        return imports.check_records(imports.records_from_data(pending["file"]))

    def get(self, request, token):
        pending = self._pending(request, token)
        if pending is None:
            return self._gone(request)
        try:
            result = self._check(pending)
        except imports.ImportFileError:
            return self._gone(request)
        if result.errors:
            # An indicator or its goals changed since the upload.
            return render_import_page(request, IndicatorImportForm(), result.errors)
        rows = [*result.values, *result.answers]
        return render(
            request,
            "indicators/import_preview.html",
            {
                "file_name": pending["name"],
                "result": result,
                "rows": rows[:PREVIEW_ROWS],
                "hidden": max(0, len(rows) - PREVIEW_ROWS),
                "skipped": result.skipped_missing + result.skipped_by_sex,
                "minutes": PREVIEW_SECONDS // 60,
            },
        )

    def post(self, request, token):
        pending = self._pending(request, token)
        # Claiming the entry makes a second confirmation (a double click) find nothing.
        if pending is None or not cache.delete(_cache_key(token)):
            return self._gone(request)
        request.session[SESSION_KEY] = [
            known for known in request.session.get(SESSION_KEY, []) if known != token
        ]
        try:
            result = self._check(pending)
        except imports.ImportFileError:
            return self._gone(request)
        if result.errors:
            return render_import_page(request, IndicatorImportForm(), result.errors)
        try:
            services.indicator_values_import(
                checked=result, file_name=pending["name"], user=request.user, request=request
            )
        except IntegrityError:
            # An indicator or area was deleted in between.
            form = IndicatorImportForm()
            form.add_error(
                None, _("Indikatorerna ändrades medan du granskade. Ladda upp filen igen.")
            )
            return render_import_page(request, form)
        messages.success(
            request,
            ngettext(
                "%(count)s värde har sparats: %(new)s nya och %(changed)s ändrade.",
                "%(count)s värden har sparats: %(new)s nya och %(changed)s ändrade.",
                result.total,
            )
            % {"count": result.total, "new": result.new, "changed": result.changed},
        )
        return redirect("indicators:manage-list")
