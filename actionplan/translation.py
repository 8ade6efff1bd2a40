"""Which of the strategy's names have an English version (django-modeltranslation).

The field's own column stays the Swedish name: see `actionplan.forms.SwedishSourceFormMixin`.
"""

from modeltranslation.translator import TranslationOptions, register

from actionplan.models import ActionPlan, Goal, Strategy, ViolenceArea


@register(Strategy)
class StrategyTranslationOptions(TranslationOptions):
    fields = ("title", "short_title")


@register(Goal)
class GoalTranslationOptions(TranslationOptions):
    fields = ("title", "description")


@register(ViolenceArea)
class ViolenceAreaTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(ActionPlan)
class ActionPlanTranslationOptions(TranslationOptions):
    fields = ("title",)
