from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminSplitDateTime
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.contrib.auth.models import Group
from django.forms.models import BaseInlineFormSet
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from actors import services
from actors.cache_versions import BumpOnAdminWrite
from actors.models import Invitation, Membership, Organisation, User

# The admin is the portal's technical administration, under the portal's name.
admin.site.site_header = _("Operation Kvinnofrid – teknisk administration")
admin.site.site_title = _("Uppföljningsportalen")
admin.site.index_title = _("Teknisk administration")


def unique_slug(model, text: str, *, max_length: int = 60) -> str:
    """A slug for a new row of `model`, from `text`, not yet used by another row."""
    base = slugify(text)[: max_length - 4].strip("-") or model._meta.model_name
    slug, number = base, 1
    while model.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


class SlugFromNameAdmin:
    """Slugs are the keys of addresses (a report form's, say), not something people edit: the
    admin leaves them out and makes a new row's from its name, and never changes it after."""

    slug_source: str

    def get_exclude(self, request, obj=None):
        return (*(super().get_exclude(request, obj) or ()), "slug")

    def save_model(self, request, obj, form, change):
        if not obj.slug:
            obj.slug = unique_slug(type(obj), getattr(obj, self.slug_source))
        super().save_model(request, obj, form, change)


# --- Accessible names that Django's admin leaves out (tests/e2e/test_admin_accessibility.py) ---


class LabelledSplitDateTime(AdminSplitDateTime):
    """Django's date and time boxes: the field's label points at neither, and their "Datum:"
    and "Tid:" are not labels. Each box gets the field's name and its part as its name."""

    def __init__(self, attrs=None, *, label=""):
        super().__init__(attrs)
        self.label = label

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        parts = (context["date_label"], context["time_label"])
        for subwidget, part in zip(context["widget"]["subwidgets"], parts, strict=True):
            subwidget["attrs"]["aria-label"] = f"{self.label} – {str(part).rstrip(':')}"
        return context


class AccessibleFieldsAdmin:
    """For model admins and inlines with date and time fields (see LabelledSplitDateTime)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and type(formfield.widget) is AdminSplitDateTime:
            formfield.widget = LabelledSplitDateTime(formfield.widget.attrs, label=formfield.label)
        return formfield


class LabelledInlineFormSet(BaseInlineFormSet):
    """A table of inline rows: its column headings label no box, so each box carries its
    field's name (the select of an autocomplete too, whose combobox takes it over)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for field in form.fields.values():
            widget = getattr(field.widget, "widget", field.widget)  # inside the related links
            widget.attrs.setdefault("aria-label", str(field.label))


def _membership_save(membership: Membership) -> None:
    """Save an admin-edited membership through the services, also when it changed hands."""
    if membership.pk:
        before = Membership.objects.get(pk=membership.pk)
        if (before.user_id, before.organisation_id) != (
            membership.user_id,
            membership.organisation_id,
        ):
            services.membership_revoke(membership=before)
    services.membership_grant(
        user=membership.user,
        organisation=membership.organisation,
        role=membership.role,
        is_contact_person=membership.is_contact_person,
    )


class MembershipAdminForm(forms.ModelForm):
    """A membership is access: staff who are not superusers cannot raise themselves with it.

    County staff read every organisation's reports and people, so only superusers give,
    change or move that role; and nobody but a superuser changes their own memberships.
    """

    request_user: User | None = None  # set per request by the admin classes below

    def clean(self):
        cleaned = super().clean()
        editor = self.request_user
        if editor is None or editor.is_superuser or not self.has_changed():
            return cleaned
        county_staff = Membership.Role.COUNTY_STAFF
        if county_staff in (cleaned.get("role"), self.initial.get("role")):
            self.add_error("role", _("Bara administratörer kan ge rollen Kansli."))
        if editor.pk in (getattr(cleaned.get("user"), "pk", None), self.instance.user_id):
            raise forms.ValidationError(_("Du kan inte ändra dina egna medlemskap."))
        return cleaned


def _form_for(form_class, request):
    return type(form_class.__name__, (form_class,), {"request_user": request.user})


class MembershipsThroughServices:
    """Memberships decide access: the admin's inline changes go through the services."""

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        memberships = formset.save(commit=False)
        for membership in formset.deleted_objects:
            services.membership_revoke(membership=membership)
        for membership in memberships:
            _membership_save(membership)


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipAdminForm
    formset = LabelledInlineFormSet
    extra = 0
    autocomplete_fields = ["user", "organisation"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = _form_for(formset.form, request)
        return formset


def _access_groups_excluded(queryset):
    return queryset.filter(coordinatorgroup__isnull=True, membergroup__isnull=True)


class UserChangeForm(DjangoUserChangeForm):
    # No password hash, algorithm or salt on the page: people set their passwords themselves.
    password = None


def _without_password(fieldsets):
    return [
        (name, {**options, "fields": [f for f in options["fields"] if f != "password"]})
        for name, options in fieldsets
    ]


@admin.register(User)
class UserAdmin(AccessibleFieldsAdmin, MembershipsThroughServices, DjangoUserAdmin):
    form = UserChangeForm
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["username", "password_note"]}),
        *_without_password(DjangoUserAdmin.fieldsets[1:]),
    ]
    # When the person signed in and joined is the system's record, not for editing.
    readonly_fields = ["password_note", "last_login", "date_joined"]
    list_display = ["username", "first_name", "last_name", "email", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_active", "memberships__role", "memberships__organisation"]

    # What makes a person more powerful in the admin itself: only superusers hand it out, so
    # that staff who may change people cannot raise themselves or others (issue 11).
    privilege_fields = ("is_superuser", "is_staff", "groups", "user_permissions")

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return readonly
        return (*readonly, *self.privilege_fields)

    @admin.display(description=_("Lösenord"))
    def password_note(self, obj):
        return _(
            "Lösenordet väljer personen själv, när hen tar emot sin inbjudan eller återställer "
            "det med Glömt lösenordet? på inloggningssidan. Portalen visar det aldrig."
        )

    def has_change_permission(self, request, obj=None):
        # Changing a superuser (their password or e-mail address, say) is becoming one.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            # The access groups follow from the memberships; nobody edits them by hand.
            kwargs["queryset"] = _access_groups_excluded(Group.objects.all())
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Saving the groups field drops the access groups it does not offer: derive them again.
        services.access_groups_sync(
            organisations=Organisation.objects.filter(memberships__user=form.instance)
        )


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    def get_queryset(self, request):
        return _access_groups_excluded(super().get_queryset(request))


@admin.register(Organisation)
class OrganisationAdmin(
    SlugFromNameAdmin, BumpOnAdminWrite, MembershipsThroughServices, admin.ModelAdmin
):
    list_display = ["name", "short_name", "kind", "affiliation", "municipality_code", "is_active"]
    list_filter = ["kind", "affiliation", "is_active"]
    search_fields = ["name", "short_name", "municipality_code"]
    slug_source = "short_name"
    inlines = [MembershipInline]
    actions = ["deactivate"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "is_active" in form.changed_data:
            services.organisation_set_active(organisation=obj, is_active=obj.is_active)

    def delete_model(self, request, obj):
        services.organisation_delete(organisation=obj)

    def delete_queryset(self, request, queryset):
        for organisation in queryset:
            services.organisation_delete(organisation=organisation)

    @admin.action(description=_("Markera som inaktiva"))
    def deactivate(self, request, queryset):
        for organisation in queryset:
            services.organisation_set_active(organisation=organisation, is_active=False)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipAdminForm
    list_display = ["user", "organisation", "role", "is_contact_person", "created_at"]
    ordering = ["organisation__name", "user__last_name", "user__first_name"]
    list_filter = ["role", "is_contact_person", "organisation__kind"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        return _form_for(super().get_form(request, obj, change, **kwargs), request)

    def save_model(self, request, obj, form, change):
        _membership_save(obj)

    def delete_model(self, request, obj):
        services.membership_revoke(membership=obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("organisation"):
            services.membership_revoke(membership=membership)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read only: invitations are made, sent again and revoked on the administration pages,
    where the e-mail and its single-use link are made."""

    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email", "organisation__name"]
    list_select_related = ["organisation"]
    readonly_fields = [
        "email",
        "organisation",
        "role",
        "is_contact_person",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
    ]
    exclude = ["token_hash"]

    def has_add_permission(self, request):
        return False
