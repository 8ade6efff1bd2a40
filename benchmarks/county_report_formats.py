"""How long the county report's three files take, and how much memory, at national scale.

Builds a synthetic content the size a year of `seed_demo --scale 250` gives (about 15,000
commitments over about 780 organisations; tests/countyreport/content_factory.py) and renders
the workbook, the Word document and the PDF one after the other in one process, as the build
job does. Prints each format's seconds and size and the process' peak memory after it. No
database is needed.

    .venv/bin/python benchmarks/county_report_formats.py [--commitments 15000] [--organisations 780]

The aim (issue 8): all three files in under 60 s and under 1 GB.
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

from django.utils import translation  # noqa: E402

from countyreport.formats import render_docx, render_pdf, render_xlsx  # noqa: E402
from tests.countyreport.content_factory import report_content  # noqa: E402


def peak_memory_mib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commitments", type=int, default=15_000)
    parser.add_argument("--organisations", type=int, default=780)
    parser.add_argument("--indicators-per-goal", type=int, default=4)
    arguments = parser.parse_args()

    translation.activate("sv")
    started = time.perf_counter()
    content = report_content(
        commitments=arguments.commitments,
        organisations=arguments.organisations,
        indicators_per_goal=arguments.indicators_per_goal,
    )
    print(
        f"content: {arguments.commitments} commitments, {arguments.organisations} organisations, "
        f"{len(content.progress_reports)} reports, {len(content.missing)} missing, "
        f"{time.perf_counter() - started:.1f} s, peak {peak_memory_mib()} MiB"
    )
    total, total_cpu = 0.0, 0.0
    for name, render in (("xlsx", render_xlsx), ("docx", render_docx), ("pdf", render_pdf)):
        started, started_cpu = time.perf_counter(), time.process_time()
        data = render(content)
        seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
        total, total_cpu = total + seconds, total_cpu + cpu
        print(
            f"{name}: {seconds:.1f} s ({cpu:.1f} s of CPU), {len(data) / 1024:.0f} KiB, "
            f"peak {peak_memory_mib()} MiB"
        )
    # On a machine shared with other work the wall time grows; the CPU time is the build's own.
    print(f"all three: {total:.1f} s ({total_cpu:.1f} s of CPU), peak {peak_memory_mib()} MiB")


if __name__ == "__main__":
    main()
