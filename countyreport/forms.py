from django import forms
from django.utils.translation import gettext_lazy as _

TEXT_LIMIT = 20_000


class ReportTextForm(forms.Form):
    """One of the report's texts: the summary or one goal's analysis (a draft until built)."""

    text = forms.CharField(
        required=False,
        max_length=TEXT_LIMIT,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "max_length": _("Texten får vara högst %(limit_value)d tecken (nu %(show_value)d).")
        },
    )

    def __init__(self, *args, label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label


class PublishForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Jag har läst bygget och vill publicera det för alla"),
        error_messages={"required": _("Kryssa i rutan för att bekräfta publiceringen.")},
    )
