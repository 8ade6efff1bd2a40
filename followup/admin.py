from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from followup.models import (
    CommitmentFollow,
    ProgressReport,
    Reminder,
    ReminderSettings,
    ReportingPeriod,
)


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
    ordering = ["-period__year", "commitment__code", "organisation__name"]
    readonly_fields = ["version", "created_at", "updated_at"]


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "days_before_due", "weekly_overdue", "escalate_after_days"]

    def has_add_permission(self, request):
        return not ReminderSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["claimed_at", "kind", "step", "email", "period", "sent_at", "attempts"]
    list_filter = ["period", "kind", ("sent_at", admin.EmptyFieldListFilter), "failed_at"]
    search_fields = ["email", "step", "recipient__username", "organisation__name"]
    list_select_related = ["period"]
    readonly_fields = [field.name for field in Reminder._meta.fields]

    def has_add_permission(self, request):
        # Reminders are claimed by the sweep only, so that none is ever sent twice.
        return False


@admin.register(CommitmentFollow)
class CommitmentFollowAdmin(admin.ModelAdmin):
    list_display = ["user", "commitment", "created_at"]
    search_fields = ["user__username", "commitment__code", "commitment__title"]
    autocomplete_fields = ["user", "commitment"]
    list_select_related = ["user", "commitment"]
