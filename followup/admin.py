from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from followup.models import ProgressReport, ReportingPeriod


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["year", "opens_on", "due_on", "closes_on", "locked_at"]
    date_hierarchy = "due_on"


@admin.register(ProgressReport)
class ProgressReportAdmin(SimpleHistoryAdmin):
    list_display = [
        "commitment",
        "organisation",
        "period",
        "state",
        "status",
        "percent_done",
        "updated_at",
    ]
    list_filter = ["period", "state", "status", "organisation__kind", "commitment__plan"]
    search_fields = ["commitment__code", "commitment__title", "organisation__name"]
    autocomplete_fields = ["commitment", "organisation", "submitted_by", "reviewed_by"]
    list_select_related = ["commitment", "organisation", "period"]
    readonly_fields = ["version", "created_at", "updated_at"]
