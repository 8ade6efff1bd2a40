from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from actors import services
from actors.models import Delegation, Membership, Organisation, User


class SyncAccessAfterMembershipChanges:
    """Memberships decide access: after any inline change, bring the people's access in line."""

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Membership:
            changed = [*formset.new_objects, *formset.deleted_objects]
            changed += [membership for membership, _fields in formset.changed_objects]
            for user_id in {membership.user_id for membership in changed}:
                services.membership_sync_access(user=User.objects.get(pk=user_id))


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user", "organisation"]


@admin.register(User)
class UserAdmin(SyncAccessAfterMembershipChanges, DjangoUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_active", "memberships__role", "memberships__organisation"]


@admin.register(Organisation)
class OrganisationAdmin(SyncAccessAfterMembershipChanges, admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "affiliation", "municipality_code", "is_active"]
    list_filter = ["kind", "affiliation", "is_active"]
    search_fields = ["name", "short_name", "municipality_code"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [MembershipInline]
    actions = ["deactivate"]

    @admin.action(description=_("Markera som inaktiva"))
    def deactivate(self, request, queryset):
        queryset.update(is_active=False)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "is_contact_person", "created_at"]
    list_filter = ["role", "is_contact_person", "organisation__kind"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.membership_sync_access(user=obj.user)
        if change and "user" in form.changed_data and form.initial.get("user"):
            services.membership_sync_access(user=User.objects.get(pk=form.initial["user"]))

    def delete_model(self, request, obj):
        services.membership_revoke(membership=obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user"):
            services.membership_revoke(membership=membership)


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ["commitment", "organisation", "delegate", "granted_by", "created_at"]
    list_filter = ["organisation"]
    search_fields = ["commitment__code", "commitment__title", "delegate__username"]
    list_select_related = ["commitment", "organisation", "delegate", "granted_by"]
    readonly_fields = ["commitment", "organisation", "delegate", "granted_by", "created_at"]

    def has_add_permission(self, request):
        # Delegations are made by coordinators in the portal, where the rules are checked.
        return False

    def delete_model(self, request, obj):
        services.delegation_revoke(delegation=obj)

    def delete_queryset(self, request, queryset):
        for delegation in queryset:
            services.delegation_revoke(delegation=delegation)
