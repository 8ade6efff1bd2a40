"""Writes of the indicators: their values, typed or imported, and the survey answers."""

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import translation

from audit.events import Event, record_event
from indicators.imports import CheckResult
from indicators.models import Area, Indicator, IndicatorValue, SurveyAnswer


def indicator_save(*, indicator: Indicator, goals) -> Indicator:
    """Create or change an indicator with its goals (a form's cleaned, unsaved instance)."""
    # Saved with Swedish active: modeltranslation writes the field's own column in the active
    # language, and that column is the Swedish name (see actionplan.forms.SwedishSourceFormMixin).
    with transaction.atomic(), translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        indicator.save()
        indicator.goals.set(goals)
    return indicator


@transaction.atomic
def indicator_values_save(
    *, indicator: Indicator, year: int, values: dict[tuple[Area, str], Decimal | None]
) -> None:
    """One year's typed values of one indicator: a value replaces the area's and sex's, None
    removes it."""
    if indicator.is_yes_no:
        raise ValueError("A yes/no indicator's county share is computed, never typed.")
    keep = {key: value for key, value in values.items() if value is not None}
    removed = [key for key, value in values.items() if value is None]
    for area, sex in removed:
        IndicatorValue.objects.filter(indicator=indicator, year=year, area=area, sex=sex).delete()
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(indicator=indicator, year=year, area=area, sex=sex, value=value)
            for (area, sex), value in keep.items()
        ],
        update_conflicts=True,
        unique_fields=["indicator", "year", "area", "sex"],
        update_fields=["value"],
    )


@transaction.atomic
def survey_answers_save(
    *, indicator: Indicator, year: int, answers: dict[Area, bool | None]
) -> None:
    """One year's answers to a yes/no indicator: True or False per unit, None for no answer."""
    if not indicator.is_yes_no:
        raise ValueError("Only a yes/no indicator has survey answers.")
    unanswered = [area for area, answer in answers.items() if answer is None]
    SurveyAnswer.objects.filter(indicator=indicator, year=year, area__in=unanswered).delete()
    SurveyAnswer.objects.bulk_create(
        [
            SurveyAnswer(indicator=indicator, year=year, area=area, answer=answer)
            for area, answer in answers.items()
            if answer is not None
        ],
        update_conflicts=True,
        unique_fields=["indicator", "year", "area"],
        update_fields=["answer"],
    )


@transaction.atomic
def indicator_values_import(
    *, checked: CheckResult, file_name: str, user=None, request=None
) -> CheckResult:
    """Save a checked file, all of it: new values are added and existing ones replaced.

    One audit event for the import, not one per value. `checked` has no errors (the caller
    checked the file against the database as it is now).
    """
    if checked.errors:
        raise ValueError("A file with errors is never imported.")
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(
                indicator=row.indicator, year=row.year, area=row.area, sex=row.sex, value=row.value
            )
            for row in checked.values
        ],
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["indicator", "year", "area", "sex"],
        update_fields=["value"],
    )
    SurveyAnswer.objects.bulk_create(
        [
            SurveyAnswer(indicator=row.indicator, year=row.year, area=row.area, answer=row.answer)
            for row in checked.answers
        ],
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["indicator", "year", "area"],
        update_fields=["answer"],
    )
    record_event(
        Event.INDICATOR_IMPORT,
        actor=user,
        request=request,
        details={
            "file": file_name[:200],
            "values": len(checked.values),
            "answers": len(checked.answers),
            "new": checked.new,
            "changed": checked.changed,
            "unchanged": checked.unchanged,
            "skipped": checked.skipped_missing + checked.skipped_by_sex,
        },
    )
    return checked
