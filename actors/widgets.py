"""Form widgets shared by the apps."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


class PlainSelect(forms.Select):
    """A <select> built in one step, for long lists such as every organisation in the country.

    Django renders each option through a template of its own: for 781 organisations that cost
    more than the rest of the page together. This builds the same markup (attributes, the
    selected option, escaped labels) with format_html_join. Grouped choices go the usual way.
    """

    def render(self, name, value, attrs=None, renderer=None):
        # Not list(): that asks the queryset for its length first, one more query.
        choices = [choice for choice in self.choices]
        if any(isinstance(label, (list, tuple)) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        selected = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (
                    "" if option is None else option,
                    " selected" if str("" if option is None else option) in selected else "",
                    label,
                )
                for option, label in choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)
