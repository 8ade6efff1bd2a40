from urllib.parse import parse_qsl, urlencode, urlsplit

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from actionplan.models import Goal
from actors.models import Organisation
from actors.widgets import PlainSelect
from followup.models import ProgressReport, ReportingPeriod, ReportStatus

TEXT_LIMIT = 10_000
COMMENT_LIMIT = 5_000

too_long = _("Texten får vara högst %(limit_value)d tecken (nu %(show_value)d).")


def _text_field(label, help_text=""):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=TEXT_LIMIT,
        error_messages={"max_length": too_long},
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ProgressReportForm(forms.ModelForm):
    """The coordinator's report. What a draft may leave empty, a submission may not."""

    SAVE = "save"
    SUBMIT = "submit"

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=ReportStatus.choices,
        widget=forms.RadioSelect,
        # Required on submit only, by ProgressReport.errors_in: a draft keeps what is there.
        required=False,
        error_messages={
            "invalid_choice": _("Välj en av statusarna i listan."),
        },
    )
    percent_done = forms.IntegerField(
        label=_("Andel genomfört (procent)"),
        help_text=_("Ett heltal från 0 till 100."),
        min_value=0,
        max_value=100,
        required=False,
        error_messages={
            "invalid": _("Ange andelen som ett heltal, till exempel 40."),
            "min_value": _("Andelen kan inte vara mindre än 0 procent."),
            "max_value": _("Andelen kan inte vara mer än 100 procent."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    work_done = _text_field(
        _("Vad har gjorts?"),
        _("Beskriv vad organisationen har gjort under året. Krävs för att skicka in."),
    )
    results = _text_field(_("Resultat"), _("Vilka resultat har arbetet gett?"))
    obstacles = _text_field(_("Hinder"), _("Vad har försvårat arbetet? Krävs vid avvikelse."))
    next_steps = _text_field(_("Nästa steg"), _("Vad planeras under nästa år?"))

    class Meta:
        model = ProgressReport
        fields = ["status", "percent_done", "work_done", "results", "obstacles", "next_steps"]

    def __init__(self, *args, action: str = SAVE, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        self.fields["version"].initial = self.instance.version if self.instance.pk else 0

    def clean(self):
        cleaned = super().clean()
        # The model's rules, which the service enforces too; said here next to the field, once.
        rules = ProgressReport.errors_in(cleaned, submit=self.action == self.SUBMIT)
        for field, message in rules.items():
            if field not in self.errors:
                self.add_error(field, message)
        return cleaned


# The review queue's filters (followup.filters.ReviewQueueFilter), the only parameters a
# report page carries back to the queue; a longer address is none of ours.
REVIEW_QUEUE_PARAMETERS = ("period", "organisation", "goal")
REVIEW_QUEUE_URL_LIMIT = 300


def review_queue_url(value: str | None) -> str:
    """The review queue's address with its filters, if `value` is one, else "".

    A report page reached from the queue carries the queue it came from, to go on to the next
    report in it. Only a relative address of the queue itself is taken, rebuilt from its filters,
    so that the parameter cannot send a reviewer to another site (an open redirect) or to any
    other page of the portal.
    """
    if not value or len(value) > REVIEW_QUEUE_URL_LIMIT:
        return ""
    if not url_has_allowed_host_and_scheme(value, allowed_hosts=None):
        return ""
    parts = urlsplit(value)
    queue_path = reverse("followup:review-queue")
    if parts.scheme or parts.netloc or parts.fragment or parts.path != queue_path:
        return ""
    query = [
        (name, filter_value)
        for name, filter_value in parse_qsl(parts.query, keep_blank_values=True)
        if name in REVIEW_QUEUE_PARAMETERS
    ]
    return f"{queue_path}?{urlencode(query)}" if query else queue_path


class ReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    # Where the reviewer came from; with `and_next`, go on to the queue's next report.
    queue = forms.CharField(required=False, widget=forms.HiddenInput)
    and_next = forms.BooleanField(required=False)

    def clean_queue(self) -> str:
        # Not an error: an address that is not the queue's is ignored, never followed.
        return review_queue_url(self.cleaned_data["queue"])


class ReturnForm(ReviewForm):
    comment = forms.CharField(
        label=_("Vad behöver kompletteras?"),
        max_length=COMMENT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Skriv vad organisationen behöver komplettera."),
            "max_length": too_long,
        },
    )


class ReportingPeriodForm(forms.ModelForm):
    class Meta:
        model = ReportingPeriod
        fields = ["year", "opens_on", "due_on", "closes_on"]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "year": _("Året som rapporterna gäller, till exempel 2026."),
            "due_on": _("Påminnelserna räknas från den här dagen."),
            "closes_on": _("Efter den här dagen går det inte att ändra rapporterna."),
        }
        error_messages = {
            "year": {"unique": _("Det finns redan en rapporteringsperiod för det året.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].min_value = 2020
        self.fields["year"].widget.attrs.update(min=2020, max=2100)
        self.fields["year"].validators += [
            MinValueValidator(2020, _("Strategin gäller från 2020.")),
            MaxValueValidator(2100, _("Ange ett rimligt år.")),
        ]
        for name in ("opens_on", "due_on", "closes_on"):
            self.fields[name].error_messages["invalid"] = _(
                "Ange ett datum som ÅÅÅÅ-MM-DD, till exempel 2027-03-31."
            )

    def clean(self):
        # Said next to the field concerned; Django then skips the same database constraint.
        cleaned = super().clean()
        opens_on, due_on, closes_on = (
            cleaned.get("opens_on"),
            cleaned.get("due_on"),
            cleaned.get("closes_on"),
        )
        if opens_on and due_on and due_on < opens_on:
            self.add_error("due_on", _("Sista dagen kan inte komma före öppningsdagen."))
        if due_on and closes_on and closes_on < due_on:
            self.add_error("closes_on", _("Perioden kan inte stänga före sista dagen."))
        if opens_on and closes_on and not self.errors:
            # Reports and reminders belong to the one period that is open on a given day.
            overlapping = ReportingPeriod.objects.filter(
                opens_on__lte=closes_on, closes_on__gte=opens_on
            ).first()
            if overlapping:
                self.add_error(
                    "opens_on",
                    _("Perioden överlappar %(period)s (%(opens)s–%(closes)s).")
                    % {
                        "period": overlapping,
                        "opens": overlapping.opens_on,
                        "closes": overlapping.closes_on,
                    },
                )
        return cleaned


class OverviewFilterForm(forms.Form):
    """Which organisations the overview's matrix shows: a kind, a role, or part of a name."""

    q = forms.CharField(label=_("Sök organisation"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Typ"),
        required=False,
        choices=[("", _("Alla typer")), *Organisation.Kind.choices],
    )
    affiliation = forms.ChoiceField(
        label=_("Roll i samverkan"),
        required=False,
        choices=[("", _("Alla roller")), *Organisation.Affiliation.choices],
    )


class OrganisationObligationsFilterForm(forms.Form):
    """Which of an organisation's commitments in a period to show: a goal, only the missing."""

    goal = forms.ModelChoiceField(
        label=_("Mål"),
        required=False,
        queryset=Goal.objects.filter(strategy__action_plans__isnull=False)
        .distinct()
        .order_by("number"),
        empty_label=_("Alla mål"),
        widget=PlainSelect,
    )
    missing = forms.ChoiceField(
        label=_("Visa"),
        required=False,
        choices=[("", _("Alla åtaganden")), ("1", _("Bara de som saknar rapport"))],
        widget=PlainSelect,
    )
