"""Form widgets shared by the apps."""

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe


def _escaped(text) -> str:
    """conditional_escape without its lazy wrapper, which cost more than the escaping."""
    if hasattr(text, "__html__"):
        return text.__html__()
    return escape(str(text))


class PlainSelect(forms.Select):
    """A <select> built in one step, for long lists such as every organisation in the country.

    Django renders each option through a template of its own: for 781 organisations that cost
    more than the rest of the page together. This builds the same markup (the attributes, the
    selected option, escaped values and labels) in one pass. Grouped choices go the usual way.
    """

    def render(self, name, value, attrs=None, renderer=None):
        # Not list(): that asks a queryset's choices for their length first, one more query.
        choices = [choice for choice in self.choices]
        if any(isinstance(label, (list, tuple)) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        selected = set(self.format_value(value))
        options = []
        for option, label in choices:
            option = "" if option is None else str(option)
            options.append(
                f'<option value="{_escaped(option)}"'
                f"{' selected' if option in selected else ''}>{_escaped(label)}</option>"
            )
        return mark_safe(f"<select{flatatt(final_attrs)}>{''.join(options)}</select>")
