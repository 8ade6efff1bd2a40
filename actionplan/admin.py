from django.conf import settings
from django.contrib import admin
from django.utils import translation
from simple_history.admin import SimpleHistoryAdmin

from actionplan import services
from actionplan.forms import SwedishSourceModelForm, english_name_fields
from actionplan.models import (
    ActionPlan,
    Commitment,
    Delegation,
    Goal,
    PendingDelegation,
    Strategy,
    ViolenceArea,
)
from actors.admin import LabelledInlineFormSet, SlugFromNameAdmin
from actors.cache_versions import BumpOnAdminWrite


class EnglishNamesAdmin:
    """The admin of a model with English names (actionplan/translation.py): the Swedish name in
    the field's own box, the English one in "… på engelska", `<field>_sv` left out as the form
    keeps it equal to the Swedish name (`SwedishSourceFormMixin`)."""

    form = SwedishSourceModelForm

    def get_exclude(self, request, obj=None):
        swedish_copies = tuple(f"{name}_sv" for name in english_name_fields(self.model))
        return (*(super().get_exclude(request, obj) or ()), *swedish_copies)

    def get_search_fields(self, request):
        # modeltranslation turns a search on `title` into one on the interface language's
        # column; a search finds a name in either language.
        fields = list(super().get_search_fields(request))
        translated = set(english_name_fields(self.model)) & set(fields)
        return [
            *fields,
            *(f"{name}_{language}" for name in translated for language in ("sv", "en")),
        ]

    def save_model(self, request, obj, form, change):
        # A new row's slug is made from its Swedish name, whatever the interface language.
        with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
            super().save_model(request, obj, form, change)


class GoalInline(EnglishNamesAdmin, admin.TabularInline):
    model = Goal
    formset = LabelledInlineFormSet
    extra = 0


@admin.register(Strategy)
class StrategyAdmin(EnglishNamesAdmin, BumpOnAdminWrite, admin.ModelAdmin):
    list_display = ["short_title", "start_year", "end_year"]
    search_fields = ["title", "short_title"]
    inlines = [GoalInline]


@admin.register(Goal)
class GoalAdmin(EnglishNamesAdmin, BumpOnAdminWrite, admin.ModelAdmin):
    list_display = ["number", "title", "strategy"]
    list_filter = ["strategy"]
    search_fields = ["title", "description"]


@admin.register(ViolenceArea)
class ViolenceAreaAdmin(EnglishNamesAdmin, SlugFromNameAdmin, BumpOnAdminWrite, admin.ModelAdmin):
    list_display = ["name", "position"]
    search_fields = ["name"]
    slug_source = "name"


@admin.register(ActionPlan)
class ActionPlanAdmin(EnglishNamesAdmin, SlugFromNameAdmin, BumpOnAdminWrite, admin.ModelAdmin):
    list_display = ["title", "start_year", "end_year", "strategy"]
    list_filter = ["strategy"]
    search_fields = ["title"]
    slug_source = "title"


@admin.register(Commitment)
class CommitmentAdmin(BumpOnAdminWrite, SimpleHistoryAdmin):
    list_display = ["code", "title", "plan", "lead_organisation", "state", "is_demo"]
    ordering = ["-plan__start_year", "code"]
    list_filter = ["plan", "state", "goals", "violence_areas", "is_demo", "lead_organisation"]
    search_fields = ["code", "title", "description", "lead_organisation__name"]
    autocomplete_fields = ["lead_organisation", "participating_organisations", "predecessor"]
    filter_horizontal = ["goals", "violence_areas"]
    list_select_related = ["plan", "lead_organisation"]
    # Demo data is seed_demo's mark, not something to tick by hand.
    exclude = ["is_demo"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The lead and the participants may have changed: the grants follow them.
        services.commitments_access_sync(commitments=[form.instance])


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ["commitment", "membership", "granted_by", "created_at"]
    list_filter = ["membership__organisation"]
    search_fields = ["commitment__code", "commitment__title", "membership__user__username"]
    list_select_related = ["commitment", "membership__user", "membership__organisation"]
    readonly_fields = ["commitment", "membership", "granted_by", "created_at"]

    def has_add_permission(self, request):
        # Delegations are made by coordinators in the portal, where the rules are checked.
        return False

    def delete_model(self, request, obj):
        services.delegation_revoke(delegation=obj)

    def delete_queryset(self, request, queryset):
        for delegation in queryset:
            services.delegation_revoke(delegation=delegation)


@admin.register(PendingDelegation)
class PendingDelegationAdmin(admin.ModelAdmin):
    """Read only: made by a coordinator's invitation, turned into a delegation on acceptance."""

    list_display = ["commitment", "invitation", "created_at"]
    search_fields = ["commitment__code", "invitation__email"]
    list_select_related = ["commitment", "invitation"]
    readonly_fields = ["invitation", "commitment", "created_at"]

    def has_add_permission(self, request):
        return False
