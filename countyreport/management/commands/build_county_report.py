from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from countyreport import services
from countyreport.models import FORMATS, ReportBuild
from followup.models import ReportingPeriod


class Command(BaseCommand):
    help = "Bygger årets regionala lägesrapport (PDF, Excel och Word), som knappen Bygg rapporten."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--output", type=Path, help="Skriv också de tre filerna till mappen.")

    def handle(self, *args, year, output=None, **options):
        try:
            report = services.county_report_for_year(year)
        except ReportingPeriod.DoesNotExist:
            raise CommandError(
                _("Det finns ingen rapporteringsperiod för %(year)s.") % {"year": year}
            ) from None
        # The same build as the button's, run here rather than by a worker; the system built it.
        build = services.build_create(report=report, user=None)
        services.build_run(build.pk)
        build.refresh_from_db()
        if build.state != ReportBuild.State.DONE:
            raise CommandError(build.error)
        self.stdout.write(
            _("Bygge %(pk)s klart, kontrollsumma %(checksum)s.")
            % {"pk": build.pk, "checksum": build.input_checksum}
        )
        if output:
            output.mkdir(parents=True, exist_ok=True)
            for kind in FORMATS:
                target = output / build.download_name(kind)
                with getattr(build, kind).open("rb") as source:
                    target.write_bytes(source.read())
                self.stdout.write(str(target))
