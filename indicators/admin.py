from django.contrib import admin

from actionplan.admin import EnglishNamesAdmin
from actors.admin import LabelledInlineFormSet
from indicators.models import Area, Indicator, IndicatorValue, SurveyAnswer


@admin.register(Area)
class AreaAdmin(EnglishNamesAdmin, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "organisation"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    formset = LabelledInlineFormSet
    extra = 0
    autocomplete_fields = ["area"]


@admin.register(Indicator)
class IndicatorAdmin(EnglishNamesAdmin, admin.ModelAdmin):
    list_display = ["name", "kind", "unit", "source", "desired_direction", "kolada_kpi"]
    list_filter = ["goals", "kind", "desired_direction", "source"]
    search_fields = ["name", "slug", "kolada_kpi", "source", "description"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["goals"]
    inlines = [IndicatorValueInline]
    exclude = ["is_demo"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ["indicator", "year", "area", "sex", "value"]
    list_filter = ["year", "sex", "area__kind", "indicator__goals"]
    search_fields = ["indicator__name", "area__name", "area__code"]
    autocomplete_fields = ["indicator", "area"]
    list_select_related = ["indicator", "area"]


@admin.register(SurveyAnswer)
class SurveyAnswerAdmin(admin.ModelAdmin):
    list_display = ["indicator", "year", "area", "answer"]
    list_filter = ["year", "answer", "area__kind"]
    search_fields = ["indicator__name", "area__name", "area__code"]
    autocomplete_fields = ["indicator", "area"]
    list_select_related = ["indicator", "area"]
