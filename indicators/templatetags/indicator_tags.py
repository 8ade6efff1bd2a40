"""The indicators' figures and assessment method in any template: the goal pages and the county
report."""

from django import template

from indicators.assessment import format_value, method_paragraphs

register = template.Library()


@register.simple_tag
def assessment_method_paragraphs() -> tuple[str, ...]:
    return method_paragraphs()


@register.filter
def figure(value, is_share=False) -> str:
    """A figure as the assessment writes it (12,5 or 30,5 %), a dash when there is none."""
    if value is None:
        return "–"
    return format_value(value, bool(is_share))
