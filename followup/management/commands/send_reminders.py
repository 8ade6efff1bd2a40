import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from followup.reminders import reminders_sweep


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today must be a date as YYYY-MM-DD, got {value!r}.") from None


class Command(BaseCommand):
    help = (
        "Run the daily reminder sweep now, as the schedule does, and print what it sent "
        "(or, with --dry-run, would send). Running it twice sends nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", metavar="YYYY-MM-DD", help="Sweep as if it were this day.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Only print what is due; send nothing."
        )

    def handle(self, *args, today=None, dry_run=False, **options):
        day = _date(today) if today is not None else None
        reminders = reminders_sweep(day=day, dry_run=dry_run)
        if dry_run:
            verb = "Would send"
        else:
            verb = "Sent" if settings.CELERY_TASK_ALWAYS_EAGER else "Queued for sending"
        for reminder in reminders:
            items = reminder.items if dry_run else reminder.payload["items"]
            self.stdout.write(
                f"{verb} {reminder.step} to {reminder.email}: {len(items)} commitment(s)"
            )
        self.stdout.write(
            f"{verb} {len(reminders)} reminder(s)." if reminders else "No reminders are due."
        )
