"""How long building the county report takes, and how much memory it needs, over a large county.

Run on a database seeded with `seed_demo --scale N` (scripts/benchmark.sh does both, on a
throwaway PostgreSQL server). Builds one year's report, all three formats, the way the worker
does (countyreport.services.build_run), and prints the wall time, the number of SQL queries and
the peak memory of this process (ru_maxrss), next to the memory it used before the build.
"""

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kvinnofrid.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from countyreport import services  # noqa: E402
from countyreport.content import collect  # noqa: E402
from countyreport.models import ReportBuild  # noqa: E402
from followup.models import ReportingPeriod  # noqa: E402


def peak_memory_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--year", type=int, help="the report's year (default: the current period)")
    options = parser.parse_args()

    period = (
        ReportingPeriod.objects.get(year=options.year)
        if options.year
        else ReportingPeriod.objects.current() or ReportingPeriod.objects.first()
    )
    report = services.county_report_for_year(period.year)
    build = services.build_create(report=report, user=None)
    before = peak_memory_mib()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        services.build_run(build.pk)
    elapsed = time.perf_counter() - started
    build.refresh_from_db()
    if build.state != ReportBuild.State.DONE:
        raise SystemExit(f"The build failed: {build.error}")
    sizes = ", ".join(
        f"{kind.upper()} {getattr(build, kind).size / 1024:.0f} KiB"
        for kind in ("pdf", "xlsx", "docx")
    )
    content = collect(period.year)
    print(
        f"County report {period.year}: {len(content.annexes)} organisations, "
        f"{sum(len(goal.commitments) for goal in content.goals)} commitment lines in the goals, "
        f"{len(content.progress_reports)} progress reports"
    )
    print(f"Build (collect, PDF, XLSX, DOCX, save): {elapsed:.1f} s, {len(queries)} SQL queries")
    print(f"Peak memory: {peak_memory_mib():.0f} MiB (before the build: {before:.0f} MiB)")
    print(f"Files: {sizes}")


if __name__ == "__main__":
    main()
