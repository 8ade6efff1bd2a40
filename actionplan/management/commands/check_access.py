from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from actionplan import services
from actors import services as actors_services


class Command(BaseCommand):
    help = (
        "Recompute who may report on what from the memberships, responsibilities and "
        "delegations, and list every difference from the grants (django-guardian). "
        "--repair writes the difference."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--repair", action="store_true", help="bring the grants in line with the data"
        )

    def handle(self, *args, repair: bool, **options):
        with transaction.atomic():
            problems = self._differences()
            for problem in problems:
                self.stdout.write(problem)
            if problems and repair:
                actors_services.access_groups_sync()
                services.commitments_access_sync()
                self.stdout.write(f"Repaired {len(problems)} differences.")
                return
        if problems:
            raise CommandError(f"{len(problems)} differences between the grants and the data.")
        self.stdout.write("The grants match the data.")

    def _differences(self) -> list[str]:
        problems = []
        wanted_members = actors_services.expected_group_members()
        actual_members = actors_services.actual_group_members()
        for group_id, user_id in sorted(wanted_members - actual_members):
            problems.append(f"missing: person {user_id} in group {group_id}")
        for group_id, user_id in sorted(actual_members - wanted_members):
            problems.append(f"surplus: person {user_id} in group {group_id}")
        difference = services.commitments_access_difference()
        for commitment_id, kind, key in sorted(difference.missing):
            problems.append(f"missing: report grant on commitment {commitment_id} for {kind} {key}")
        for commitment_id, kind, key in sorted(difference.surplus):
            problems.append(f"surplus: report grant on commitment {commitment_id} for {kind} {key}")
        if difference.stray:
            problems.append(f"surplus: {difference.stray} grants on commitments in generic tables")
        return problems
