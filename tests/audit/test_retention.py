"""The audit log keeps its entries for the retention time, then the nightly prune deletes them."""

import datetime
import io

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from audit.events import Event, record_event
from audit.tasks import audit_log_prune

pytestmark = pytest.mark.django_db


def entry_aged(days: int) -> LogEntry:
    entry = record_event(Event.REPORT_BUILD)
    LogEntry.objects.filter(pk=entry.pk).update(
        timestamp=timezone.now() - datetime.timedelta(days=days)
    )
    return entry


def test_the_command_deletes_only_entries_older_than_asked():
    old, recent = entry_aged(40), entry_aged(20)
    out = io.StringIO()

    call_command("prune_audit_log", "--older-than-days", "30", stdout=out)

    assert list(LogEntry.objects.values_list("pk", flat=True)) == [recent.pk]
    assert "Deleted 1 audit log entries" in out.getvalue()
    assert not LogEntry.objects.filter(pk=old.pk).exists()


def test_the_command_keeps_two_years_by_default_and_can_only_count():
    entry_aged(800)
    entry_aged(700)
    out = io.StringIO()

    call_command("prune_audit_log", "--dry-run", stdout=out)

    assert "Would delete 1 audit log entries" in out.getvalue()
    assert LogEntry.objects.count() == 2


def test_the_command_refuses_a_retention_of_no_days():
    with pytest.raises(CommandError):
        call_command("prune_audit_log", "--older-than-days", "0", stdout=io.StringIO())


@override_settings(AUDIT_LOG_RETENTION_DAYS=10)
def test_the_nightly_task_keeps_the_configured_retention():
    entry_aged(11)
    kept = entry_aged(9)

    assert audit_log_prune.delay().get() == 1

    assert list(LogEntry.objects.values_list("pk", flat=True)) == [kept.pk]
