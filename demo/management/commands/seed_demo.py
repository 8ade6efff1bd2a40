from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.generator import MAX_SCALE, MIN_SCALE, ScaleError, check_scale, seed_demo


class Command(BaseCommand):
    help = (
        "Fill the database with invented, clearly marked demo content and one login per role. "
        "Safe to run again: only what is missing is created. Never run it in production: the "
        "demo logins have a published password."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            metavar="N",
            help=(
                f"Multiply the volume, {MIN_SCALE}–{MAX_SCALE} (default 1: about 60 "
                "commitments; 100: thousands of commitments for benchmarks)."
            ),
        )

    def handle(self, *args, scale: int, **options):
        if not settings.DEBUG:
            # The demo creates a superuser whose password is printed in the README.
            raise CommandError(
                "seed_demo only runs with DJANGO_DEBUG on: its logins have published passwords."
            )
        try:
            check_scale(scale)
        except ScaleError as error:
            raise CommandError(str(error)) from None
        progress = self.stdout if options["verbosity"] >= 2 else None
        result = seed_demo(scale=scale, stdout=progress)
        self.stdout.write(result.summary())
