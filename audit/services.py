"""Writes to the audit log that are not one entry: keeping it to its retention time."""

import datetime

from auditlog.models import LogEntry
from django.conf import settings
from django.utils import timezone

BATCH = 10_000


def audit_log_prune(*, older_than_days: int | None = None, dry_run: bool = False) -> int:
    """Delete the entries older than `older_than_days` (settings.AUDIT_LOG_RETENTION_DAYS by
    default); returns how many were (or, with dry_run, would be) deleted."""
    days = settings.AUDIT_LOG_RETENTION_DAYS if older_than_days is None else older_than_days
    if days < 1:
        raise ValueError("The audit log is kept at least one day.")
    old = LogEntry.objects.filter(timestamp__lt=timezone.now() - datetime.timedelta(days=days))
    if dry_run:
        return old.count()
    count = 0
    # In batches, so that a first run on a big log holds no long lock.
    while batch := list(old.values_list("pk", flat=True)[:BATCH]):
        deleted, _by_model = LogEntry.objects.filter(pk__in=batch).delete()
        count += deleted
    return count


def _entry(entry: LogEntry) -> dict:
    return {
        "timestamp": entry.timestamp,
        "action": entry.get_action_display(),
        "event": (entry.additional_data or {}).get("event")
        if isinstance(entry.additional_data, dict)
        else None,
        "content_type": f"{entry.content_type.app_label}.{entry.content_type.model}",
        "object_repr": entry.object_repr,
        "changes": entry.changes,
        "remote_addr": entry.remote_addr,
    }


def audit_log_of_person(*, user) -> dict[str, list[dict]]:
    """For a person's data export: the entries of what they did, and of what was done to or
    with their account (sign-ins, failed sign-ins, changes of their roles)."""
    from django.contrib.contenttypes.models import ContentType

    entries = LogEntry.objects.select_related("content_type").order_by("timestamp", "pk")
    user_type = ContentType.objects.get_for_model(type(user))
    return {
        "by_them": [_entry(entry) for entry in entries.filter(actor=user)],
        "about_them": [
            _entry(entry)
            for entry in entries.filter(content_type=user_type, object_pk=str(user.pk))
        ],
    }


def audit_log_forget_person(*, user, name: str) -> None:
    """When a person is erased: their e-mail address leaves the log, and the entries about
    their account name it `name`. What was done stays until the entries are pruned."""
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.filter(actor=user).update(actor_email=None)
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(user)), object_pk=str(user.pk)
    ).update(object_repr=name)
