from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from practices.models import Practice


@admin.register(Practice)
class PracticeAdmin(SimpleHistoryAdmin):
    """For corrections by hand. Proposing, approving and returning go through the portal's
    pages (practices.services), which keep who did what and tell the proposer."""

    list_display = ["title", "proposing_organisation", "state", "evidence_level", "is_example"]
    list_filter = ["state", "target_group", "evidence_level", "is_example", "is_demo"]
    search_fields = ["title", "summary", "proposing_organisation__name"]
    list_select_related = ["proposing_organisation"]
    autocomplete_fields = [
        "proposing_organisation",
        "organisations",
        "municipalities",
        "commitments",
    ]
    filter_horizontal = ["goals", "violence_areas"]
    readonly_fields = [
        "slug",
        "state",
        "return_comment",
        "created_by",
        "proposed_by",
        "proposed_at",
        "approved_by",
        "approved_at",
    ]
    # Demo data is seed_demo's mark, not something to tick by hand.
    exclude = ["is_demo"]

    def has_add_permission(self, request):
        # An entry is made through the portal's form, which gives it its address.
        return False
