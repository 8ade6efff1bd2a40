"""Turns django-simple-history records into "who changed what, when" for the pages."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

CHANGE_REASONS = {
    "submit": _("skickade in"),
    "save": _("sparade"),
    "approved": _("godkände"),
    "returned": _("återsände för komplettering"),
}
# Many-to-many changes would cost a query per record; the admin history shows them.
IGNORED_FIELDS = {
    "version", "updated_at", "created_at", "submitted_at", "reviewed_at",
    "goals", "participating_organisations",
    "submitted_by", "reviewed_by",  # the "who" of the entry already says it
}  # fmt: skip


# What the organisation sent in and how it was reviewed is open to the collaboration; the saves
# in between are the organisation's own drafts.
SHARED_REASONS = ("submit", "approved", "returned")


def report_history_visible_to(records, own_organisation_ids):
    """Limit progress-report history records to what the reader may see."""
    return records.filter(
        Q(organisation_id__in=own_organisation_ids) | Q(history_change_reason__in=SHARED_REASONS)
    )


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    action: str
    subject: str
    changes: list[tuple[str, str]] = field(default_factory=list)


def history_entries(records: Iterable, *, subject=str) -> list[HistoryEntry]:
    """One entry per record, newest first, with the fields that changed since the previous one.

    `records` must hold every record of each object, oldest first, with history_user loaded.
    """
    previous_of = {}
    entries = []
    for record in records:
        previous = previous_of.get(record.id)
        previous_of[record.id] = record
        changes = []
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=IGNORED_FIELDS)
            for change in delta.changes:
                model_field = record.instance_type._meta.get_field(change.field)
                changes.append((str(model_field.verbose_name), _display(record, model_field)))
        if record.history_type == "+":
            action = _("skapade")
        elif record.history_type == "-":
            action = _("tog bort")
        else:
            action = CHANGE_REASONS.get(record.history_change_reason or "", _("ändrade"))
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=str(user) if user else _("systemet"),
                action=str(action),
                subject=subject(record),
                changes=changes,
            )
        )
    entries.reverse()
    return entries


def _display(record, model_field) -> str:
    if model_field.choices:
        value = getattr(record, f"get_{model_field.name}_display")()
    elif model_field.many_to_many:
        return ""
    elif model_field.is_relation:
        # A rare change (a commitment's lead, say): one query to show a name, not a number.
        value = getattr(record, model_field.name, None) or "–"
    else:
        value = getattr(record, model_field.name)
    text = str(value)
    return text if len(text) <= 200 else text[:200] + "…"
