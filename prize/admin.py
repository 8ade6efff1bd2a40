from django.contrib import admin

from prize.models import (
    Attachment,
    Award,
    Criterion,
    JuryMember,
    Motivation,
    Nomination,
    PrizeCall,
    PrizeReminder,
    Score,
)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


class JuryMemberInline(admin.TabularInline):
    model = JuryMember
    extra = 0
    raw_id_fields = ["user"]


@admin.register(PrizeCall)
class PrizeCallAdmin(admin.ModelAdmin):
    list_display = ["year", "opens_on", "closes_on", "decision_on", "decided_at", "published_at"]
    inlines = [CriterionInline, JuryMemberInline]


class MotivationInline(admin.StackedInline):
    model = Motivation
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    # Files are replaced through the nomination form only, where their content is checked.
    readonly_fields = ["file", "original_name", "content_type", "size", "uploaded_at"]


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    list_display = ["title", "unit_name", "organisation", "call", "state", "hidden_at"]
    list_filter = ["call", "state"]
    search_fields = ["title", "unit_name", "organisation__name"]
    raw_id_fields = ["nominator", "hidden_by"]
    readonly_fields = ["confirmation_token_hash", "created_at", "updated_at"]
    inlines = [MotivationInline, AttachmentInline]


@admin.register(Score)
class ScoreAdmin(admin.ModelAdmin):
    list_display = ["nomination", "criterion", "juror", "value"]
    list_filter = ["nomination__call"]


@admin.register(Award)
class AwardAdmin(admin.ModelAdmin):
    list_display = ["call", "organisation", "unit_name", "decided_at", "published_at"]


@admin.register(PrizeReminder)
class PrizeReminderAdmin(admin.ModelAdmin):
    list_display = ["call", "kind", "step", "email", "claimed_at", "sent_at", "failed_at"]
    list_filter = ["call", "kind"]
    readonly_fields = [field.name for field in PrizeReminder._meta.fields]
