from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from indicators import imports, services


class Command(BaseCommand):
    help = (
        "Import indicator values from a CSV file (indikator;år;område;kön;värde) or a file in "
        "Kolada's JSON data format. Every wrong record is listed with its line or position; "
        "nothing is saved unless the whole file is right. Values already in the portal for the "
        "same indicator, year, area and sex are replaced."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="a CSV or Kolada JSON file")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and save nothing"
        )

    def handle(self, *args, file: Path, dry_run: bool, **options):
        try:
            with file.open("rb") as stream:
                content = stream.read(imports.MAX_FILE_BYTES + 1)
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from None
        try:
            # Checked and saved in one transaction, so nothing changes in between.
            with transaction.atomic():
                result = imports.check_records(imports.read_file(content))
                for error in result.errors:
                    self.stderr.write(f"{error.where}: {error.message}")
                if result.errors:
                    raise CommandError(f"{file}: {len(result.errors)} fel. Inget har sparats.")
                if not dry_run:
                    services.indicator_values_import(checked=result, file_name=file.name)
        except imports.ImportFileError as error:
            raise CommandError(f"{file}: {error}") from None
        skipped = result.skipped_missing + result.skipped_by_sex
        summary = (
            f"{result.total} värden: {result.new} nya, {result.changed} ändrade, "
            f"{result.unchanged} oförändrade, {skipped} överhoppade"
        )
        if dry_run:
            self.stdout.write(f"{summary} (--dry-run: inget har sparats).")
        else:
            self.stdout.write(f"{summary}. Importen är sparad.")
