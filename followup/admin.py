from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from actors.admin import AccessibleFieldsAdmin
from actors.cache_versions import BumpOnAdminWrite
from followup import services
from followup.models import (
    CommitmentFollow,
    ProgressReport,
    Reminder,
    ReminderSettings,
    ReportingPeriod,
)
from followup.overview import period_scope


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(AccessibleFieldsAdmin, BumpOnAdminWrite, admin.ModelAdmin):
    list_display = ["year", "opens_on", "due_on", "closes_on", "locked_at"]
    date_hierarchy = "due_on"

    def cache_scopes_of(self, obj):
        return (period_scope(obj.pk),)


class ProgressReportAdminForm(forms.ModelForm):
    # The version the administrator started from, as in the coordinator's form: an edit over a
    # newer version is refused once, and the edit raises the version, so that a coordinator's
    # form opened before it is refused in turn.
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # From the database, not the instance: reverting to an old version starts from the
        # latest too.
        self.fields["base_version"].initial = self._current_version()

    def _current_version(self) -> int | None:
        if self.instance.pk is None:
            return None
        return (
            ProgressReport.objects.filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )

    def clean(self):
        cleaned = super().clean()
        current = self._current_version()
        if current is not None and cleaned.get("base_version") != current:
            # Saving again after reading the newer version is a deliberate choice.
            self.data = self.data.copy()
            self.data["base_version"] = current
            raise ValidationError(
                _(
                    "Rapporten har ändrats sedan du öppnade den. Läs historiken, och spara "
                    "igen om dina ändringar ändå ska gälla."
                )
            )
        return cleaned


@admin.register(ProgressReport)
class ProgressReportAdmin(AccessibleFieldsAdmin, BumpOnAdminWrite, SimpleHistoryAdmin):
    form = ProgressReportAdminForm
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
    # Submitting and reviewing happen in the portal, where their rules are checked; staff who
    # may correct a report's text in the admin do not approve it there.
    workflow_fields = (
        "state",
        "submitted_at",
        "submitted_by",
        "reviewed_at",
        "reviewed_by",
        "review_comment",
    )

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return readonly
        return (*readonly, *self.workflow_fields)

    def save_model(self, request, obj, form, change):
        # The form checked the version; the service checks it again under the lock, so that
        # an edit in between is refused (as an error page, in that rare race) and never lost.
        services.progress_report_admin_save(
            report=obj, user=request.user, expected_version=form.cleaned_data.get("base_version")
        )

    def cache_scopes_of(self, obj):
        # Saves go through the service, which bumps; this covers deletions.
        return (period_scope(obj.period_id),)


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
