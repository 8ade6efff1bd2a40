from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from actors.models import Membership, Organisation, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user", "organisation"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_active", "memberships__role", "memberships__organisation"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
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
