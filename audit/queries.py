"""Reading the audit log: its kinds of entries, and each entry as the administrators' page shows
it (who, from where, what: the object and its changed fields, old → new)."""

import contextlib
import datetime
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.events import MASK, Event, is_secret

CHANGE_ACTIONS = (LogEntry.Action.CREATE, LogEntry.Action.UPDATE, LogEntry.Action.DELETE)
ACTION_LABELS = {
    LogEntry.Action.CREATE: gettext_lazy("Skapad"),
    LogEntry.Action.UPDATE: gettext_lazy("Ändrad"),
    LogEntry.Action.DELETE: gettext_lazy("Borttagen"),
}
LONGEST_VALUE = 200


def _model_label(label: str) -> tuple[str, str]:
    app_label, model_name = label.lower().split(".")
    return app_label, model_name


def field_kinds() -> dict[str, tuple[str, str, str]]:
    """Kinds that are a change of one field of one model, such as a period lock:
    {kind: (model label, field, label)} from settings.AUDIT_LOG_FIELD_KINDS."""
    return getattr(settings, "AUDIT_LOG_FIELD_KINDS", {})


def kind_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The kinds of entry to filter on, grouped: changes (one per registered model, and the
    field kinds), then events."""
    changes = sorted(
        (
            (model._meta.label_lower, str(capfirst(model._meta.verbose_name_plural)))
            for model in auditlog.get_models()
        ),
        key=lambda choice: choice[1],
    )
    changes += [(kind, str(label)) for kind, (_m, _f, label) in field_kinds().items()]
    return [
        (_("Ändringar"), changes),
        (_("Händelser"), [(event.value, str(event.label)) for event in Event]),
    ]


def kind_filter(kind: str) -> Q | None:
    """The entries of one kind; None for a kind that does not exist."""
    if kind in Event.values:
        return Q(action=LogEntry.Action.ACCESS, additional_data__event=kind)
    if kind in field_kinds():
        label, field_name, _label = field_kinds()[kind]
        app_label, model_name = _model_label(label)
        return Q(
            content_type__app_label=app_label,
            content_type__model=model_name,
            action=LogEntry.Action.UPDATE,
            changes__has_key=field_name,
        )
    if kind in {model._meta.label_lower for model in auditlog.get_models()}:
        app_label, model_name = _model_label(kind)
        return Q(
            content_type__app_label=app_label,
            content_type__model=model_name,
            action__in=CHANGE_ACTIONS,
        )
    return None


def entries() -> QuerySet[LogEntry]:
    """The whole log, newest first (the timestamp's index serves the order)."""
    return LogEntry.objects.order_by("-timestamp", "-pk")


@dataclass
class Change:
    label: str
    old: str = ""
    new: str = ""
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    is_relation: bool = False


@dataclass
class Row:
    """One entry as the page shows it."""

    entry: LogEntry
    what: str  # the kind: "Ändrad: Medlemskap", "Inloggning"
    target: str  # the object, as it was called then
    actor: str
    changes: list[Change]
    details: list[tuple[str, str]]

    @property
    def when(self) -> datetime.datetime:
        return self.entry.timestamp

    @property
    def address(self) -> str:
        return self.entry.remote_addr or ""


DETAIL_LABELS = {
    "path": gettext_lazy("Sida"),
    "method": gettext_lazy("Metod"),
    "account": gettext_lazy("Angivet konto (pseudonym)"),
}


def rows(keys: list[int]) -> dict[int, Row]:
    """The page's rows, by key, in one query (the person and the content type joined)."""
    loaded = LogEntry.objects.select_related("actor", "content_type").in_bulk(keys)
    return {key: _row(entry) for key, entry in loaded.items()}


def _row(entry: LogEntry) -> Row:
    model = entry.content_type.model_class()
    is_event = entry.action == LogEntry.Action.ACCESS
    data = entry.additional_data if isinstance(entry.additional_data, dict) else {}
    if is_event:
        try:
            what = str(Event(data.get("event")).label)
        except ValueError:
            what = _("Händelse")
    else:
        model_name = capfirst(model._meta.verbose_name) if model else entry.content_type.model
        what = f"{ACTION_LABELS.get(entry.action, '')}: {model_name}"
    if entry.actor_id is not None:
        actor = str(entry.actor)
    elif is_event:
        actor = _("Ej inloggad")
    else:
        actor = _("System")
    details = [
        (str(DETAIL_LABELS.get(name, name)), MASK if is_secret(name) else str(value))
        for name, value in data.items()
        if name != "event"
    ]
    changes = [] if is_event else _changes(model, entry.changes or {})
    return Row(
        entry=entry,
        what=what,
        target=entry.object_repr,
        actor=actor,
        changes=changes,
        details=details,
    )


def _changes(model, changes: dict) -> list[Change]:
    shown = []
    for name, values in changes.items():
        model_field = None
        if model is not None:
            with contextlib.suppress(FieldDoesNotExist):
                model_field = model._meta.get_field(name)
        label = str(capfirst(getattr(model_field, "verbose_name", name)))
        if is_secret(name):
            shown.append(Change(label=label, old=MASK, new=MASK))
        elif isinstance(values, dict) and values.get("type") == "m2m":
            if "added" in values or "removed" in values:  # audit.relations
                added, removed = values.get("added", []), values.get("removed", [])
            elif values.get("operation") == "add":  # django-auditlog's own
                added, removed = values.get("objects", []), []
            else:
                added, removed = [], values.get("objects", [])
            if added or removed:
                shown.append(
                    Change(
                        label=label,
                        added=[_short(value) for value in added],
                        removed=[_short(value) for value in removed],
                        is_relation=True,
                    )
                )
        elif isinstance(values, (list, tuple)) and len(values) == 2:
            shown.append(
                Change(
                    label=label,
                    old=_value(model_field, values[0]),
                    new=_value(model_field, values[1]),
                )
            )
    return shown


def _short(value) -> str:
    text = str(value)
    return text if len(text) <= LONGEST_VALUE else text[: LONGEST_VALUE - 1] + "…"


def _value(model_field, value) -> str:
    """A stored value (django-auditlog keeps them as text) as a person reads it."""
    if value is None or value == "None":
        return "–"
    text = str(value)
    if model_field is not None and getattr(model_field, "flatchoices", None):
        choices = {str(key): label for key, label in model_field.flatchoices}
        if text in choices:
            return str(choices[text])
    if isinstance(model_field, models.BooleanField):
        return {"True": _("ja"), "False": _("nej")}.get(text, text)
    if isinstance(model_field, models.DateTimeField):
        try:
            moment = datetime.datetime.fromisoformat(text)
        except ValueError:
            return _short(text)
        if timezone.is_naive(moment):  # django-auditlog stores them in UTC, without the zone
            moment = moment.replace(tzinfo=datetime.UTC)
        return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
    return _short(text)
