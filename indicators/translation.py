"""Which of the indicators' names have an English version (django-modeltranslation).

Only the county's area name differs in English ("Stockholm County"): municipalities and city
districts keep their proper names, which the fallback to Swedish gives.
"""

from modeltranslation.translator import TranslationOptions, register

from indicators.models import Area, Indicator


@register(Area)
class AreaTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Indicator)
class IndicatorTranslationOptions(TranslationOptions):
    fields = ("name", "description")
