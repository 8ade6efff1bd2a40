from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from countyreport.models import CountyReport, GoalAnalysis, ReportBuild


class GoalAnalysisInline(admin.StackedInline):
    model = GoalAnalysis
    extra = 0


@admin.register(CountyReport)
class CountyReportAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "updated_at"]
    inlines = [GoalAnalysisInline]


@admin.register(ReportBuild)
class ReportBuildAdmin(admin.ModelAdmin):
    # Builds are made by the task and published from the report's page: here they are read.
    list_display = ["__str__", "state", "step", "percent", "created_at", "published_at"]
    list_filter = ["state"]
    readonly_fields = [field.name for field in ReportBuild._meta.fields]

    def has_add_permission(self, request):
        return False
