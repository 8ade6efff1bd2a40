import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from actionplan import imports, services
from actionplan.models import ActionPlan


class Command(BaseCommand):
    help = (
        "Import commitments into an action plan from an XLSX or CSV file that follows the "
        "template (the administration's action plan pages offer it). Every wrong row is listed "
        "with its line; nothing is saved unless the whole file is right. PLAN is the plan's id, "
        "slug or title."
    )

    def add_arguments(self, parser):
        parser.add_argument("plan", help="the plan's id, slug or title")
        parser.add_argument("file", type=Path, help="an XLSX or CSV file")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and save nothing"
        )

    def handle(self, *args, plan: str, file: Path, dry_run: bool, **options):
        action_plan = self._plan(plan)
        try:
            with file.open("rb") as stream:
                # One byte more than the limit is enough to know that the file is too big.
                content = stream.read(imports.MAX_FILE_BYTES + 1)
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from None
        started = time.monotonic()
        try:
            result = imports.check_rows(action_plan, imports.read_table(content))
        except imports.ImportFileError as error:
            raise CommandError(f"{file}: {error}") from None
        for error in result.errors:
            self.stderr.write(f"Rad {error.line}: {error.message}")
        if result.errors:
            raise CommandError(f"{file}: {len(result.errors)} fel. Inget har sparats.")
        if dry_run:
            self.stdout.write(
                f"{len(result.rows)} åtaganden kan importeras till {action_plan} "
                "(--dry-run: inget har sparats)."
            )
            return
        created = services.commitments_import(plan=action_plan, rows=result.commitments)
        self.stdout.write(
            f"{len(created)} åtaganden har sparats i {action_plan} "
            f"({time.monotonic() - started:.1f} s)."
        )

    def _plan(self, reference: str) -> ActionPlan:
        match = Q(slug__iexact=reference) | Q(title__iexact=reference)
        if reference.isdecimal() and len(reference) < 10:
            match |= Q(pk=int(reference))
        plans = list(ActionPlan.objects.filter(match)[:2])
        if len(plans) != 1:
            raise CommandError(
                f"Ingen handlingsplan med id, slug eller titel {reference!r}."
                if not plans
                else f"Flera handlingsplaner passar {reference!r}: ange id eller slug."
            )
        return plans[0]
