from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from audit.services import audit_log_prune


class Command(BaseCommand):
    help = (
        "Deletes the audit log's entries older than a number of days (by default "
        "AUDIT_LOG_RETENTION_DAYS, 730). Celery beat runs it every night."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-days",
            type=int,
            default=None,
            help=f"Delete entries older than this (default {settings.AUDIT_LOG_RETENTION_DAYS}).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be deleted."
        )

    def handle(self, *args, older_than_days: int | None, dry_run: bool, **options):
        try:
            count = audit_log_prune(older_than_days=older_than_days, dry_run=dry_run)
        except ValueError as error:
            raise CommandError(str(error)) from None
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"{verb} {count} audit log entries.")
