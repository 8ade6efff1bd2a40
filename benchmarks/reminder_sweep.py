"""How long the daily reminder sweep takes over a large county.

Seeds demo data with `seed_demo --scale N`, gives every organisation a coordinator, leaves at
least `--missing` reports of the open period unreported, and times the sweep: once as a dry run
(working out what is due) and once for real (claiming every reminder and queueing the sending).
Run it with scripts/benchmark.sh, which provides a throwaway PostgreSQL server.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kvinnofrid.settings")
# Queue the sending in memory: the benchmark measures the sweep, not the mail server.
os.environ["CELERY_BROKER_URL"] = "memory://"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from actionplan.models import Commitment  # noqa: E402
from actors.models import Membership, Organisation, User  # noqa: E402
from actors.services import access_groups_sync  # noqa: E402
from demo.generator import seed_demo  # noqa: E402
from followup.models import REPORTED_STATES, ProgressReport, Reminder, ReportingPeriod  # noqa: E402
from followup.overview import PeriodObligations  # noqa: E402
from followup.reminders import reminders_sweep  # noqa: E402


def give_every_organisation_a_coordinator() -> int:
    organisations = list(Organisation.objects.filter(memberships__isnull=True))
    users = User.objects.bulk_create(
        [
            User(username=f"bench-{o.slug}", email=f"bench-{o.slug}@bench.example")
            for o in organisations
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=user, organisation=o, role=Membership.Role.COORDINATOR)
            for user, o in zip(users, organisations, strict=True)
        ]
    )
    # The domain rows in bulk; the access groups through their one writer.
    access_groups_sync(organisations=organisations)
    return len(users)


def missing_reports(period) -> int:
    return len(PeriodObligations.load(period).missing)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=250)
    parser.add_argument("--missing", type=int, default=10_000)
    options = parser.parse_args()

    started = time.perf_counter()
    seed_demo(scale=options.scale)
    coordinators = give_every_organisation_a_coordinator()
    period = ReportingPeriod.objects.current()
    missing = missing_reports(period)
    while missing < options.missing:
        # Take back enough submissions to reach the wanted number of missing reports (some
        # reports are on commitments outside the period's scope, hence the loop).
        ids = list(
            period.progress_reports.filter(state__in=REPORTED_STATES).values_list("pk", flat=True)[
                : options.missing - missing
            ]
        )
        if not ids:
            break
        ProgressReport.objects.filter(pk__in=ids).delete()
        missing = missing_reports(period)
    print(
        f"Data set: seed_demo --scale {options.scale} in {time.perf_counter() - started:.1f} s; "
        f"{Organisation.objects.count()} organisations, {Commitment.objects.count()} commitments, "
        f"{ProgressReport.objects.count()} progress reports, {coordinators} extra coordinators; "
        f"{missing} reports missing in {period}."
    )

    day = timezone.localdate()
    for label, dry_run in [("dry run (work out what is due)", True), ("claim and queue", False)]:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = reminders_sweep(day=day, dry_run=dry_run)
            elapsed = time.perf_counter() - started
        items = sum(len(r.items if dry_run else r.payload["items"]) for r in result)
        print(
            f"Sweep on {day}, {label}: {elapsed:.2f} s, {len(queries)} SQL queries, "
            f"{len(result)} invitations listing {items} commitments."
        )
    started = time.perf_counter()
    again = reminders_sweep(day=day)
    print(
        f"Sweep run again the same day: {time.perf_counter() - started:.2f} s, "
        f"{len(again)} new reminders ({Reminder.objects.count()} in the log)."
    )

    # The last day: everyone with a missing report gets the reminder listing only what is missing.
    Reminder.objects.update(claimed_at=timezone.now() - timezone.timedelta(days=30))
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        due = reminders_sweep(day=period.due_on)
        elapsed = time.perf_counter() - started
    items = sum(len(r.payload["items"]) for r in due)
    print(
        f"Sweep on the last day ({period.due_on}), claim and queue: {elapsed:.2f} s, "
        f"{len(queries)} SQL queries, {len(due)} reminders listing {items} missing reports."
    )


if __name__ == "__main__":
    main()
