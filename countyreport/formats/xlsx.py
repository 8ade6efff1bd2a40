"""The county report's workbook: every row behind the report, for anyone who counts further.

One sheet per kind of row, each with a bold, frozen header row and an auto-filter, numbers and
dates as real number and date cells, and text neutralised the way every export of the portal
is (`actors.exports.neutralise`), so that no cell runs as a formula. Written in openpyxl's
write-only mode: a national report's 15,000 commitments and their reports stream to the file
instead of being held as cell objects.
"""

import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from actors.exports import neutralise
from countyreport.content import ReportContent
from countyreport.formats.common import document_date, zip_with_fixed_dates

TEXT, INTEGER, DECIMAL, DATE = "text", "integer", "decimal", "date"
NUMBER_FORMATS = {DECIMAL: "0.0##", DATE: "yyyy-mm-dd"}
HEADER_FONT = Font(bold=True)
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class Column:
    header: str
    kind: str
    width: int


def render_xlsx(content: ReportContent) -> bytes:
    workbook = Workbook(write_only=True)
    when = document_date(content).replace(tzinfo=None)  # openpyxl writes naive times as UTC
    workbook.properties.title = content.title
    workbook.properties.creator = _("Kvinnofridsportalen")
    workbook.properties.language = "sv-SE"
    workbook.properties.created = when
    workbook.properties.modified = when

    write_sheet(
        workbook,
        _("Åtaganden"),
        [
            Column(_("Mål"), INTEGER, 6),
            Column(_("Kod"), TEXT, 8),
            Column(_("Åtagande"), TEXT, 50),
            Column(_("Organisationer"), TEXT, 36),
            Column(_("Status"), TEXT, 18),
            Column(_("Genomfört (%)"), INTEGER, 12),
            Column(_("Ur senaste rapporten"), TEXT, 60),
        ],
        (
            (
                goal.number,
                line.code,
                line.title,
                line.organisations,
                line.status,
                line.percent_done,
                line.excerpt,
            )
            for goal in content.goals
            for line in goal.commitments
        ),
    )
    write_sheet(
        workbook,
        _("Rapporter"),
        [
            Column(_("Kod"), TEXT, 8),
            Column(_("Åtagande"), TEXT, 50),
            Column(_("Organisation"), TEXT, 30),
            Column(_("Tillstånd"), TEXT, 16),
            Column(_("Status"), TEXT, 18),
            Column(_("Genomfört (%)"), INTEGER, 12),
            Column(_("Inskickad"), DATE, 12),
            Column(_("Vad har gjorts"), TEXT, 60),
            Column(_("Resultat"), TEXT, 60),
        ],
        (
            (
                row.code,
                row.commitment,
                row.organisation,
                row.state,
                row.status,
                row.percent_done,
                row.submitted_on,
                row.work_done,
                row.results,
            )
            for row in content.progress_reports
        ),
    )
    write_sheet(
        workbook,
        _("Indikatorvärden"),
        [
            Column(_("Indikator"), TEXT, 50),
            Column(_("Enhet"), TEXT, 14),
            Column(_("År"), INTEGER, 8),
            Column(_("Område"), TEXT, 24),
            Column(_("Kön"), TEXT, 10),
            Column(_("Värde"), DECIMAL, 10),
        ],
        (
            (row.indicator, row.unit, row.year, row.area, row.sex, row.value)
            for row in content.indicator_values
        ),
    )
    coverage = content.coverage
    write_sheet(
        workbook,
        _("Täckning"),
        [
            Column(_("Uppdelning"), TEXT, 14),
            Column(_("Namn"), TEXT, 40),
            Column(_("Skulle rapporteras"), INTEGER, 12),
            Column(_("Rapporterade"), INTEGER, 12),
            Column(_("Andel (%)"), INTEGER, 10),
        ],
        [
            (
                _("Hela länet"),
                content.title,
                coverage.owed,
                coverage.reported,
                total_share(content),
            ),
            *((_("Mål"), row.label, row.owed, row.reported, row.share) for row in coverage.by_goal),
            *(
                (_("Organisation"), row.label, row.owed, row.reported, row.share)
                for row in coverage.by_organisation
            ),
        ],
    )
    write_sheet(
        workbook,
        _("Statusar"),
        [Column(_("Status"), TEXT, 24), Column(_("Antal åtaganden"), INTEGER, 16)],
        ((row.status, row.count) for row in coverage.statuses),
    )
    write_sheet(
        workbook,
        _("Saknade rapporter"),
        [
            Column(_("Organisation"), TEXT, 36),
            Column(_("Kod"), TEXT, 8),
            Column(_("Åtagande"), TEXT, 60),
        ],
        ((report.organisation, report.code, report.title) for report in content.missing),
    )

    buffer = io.BytesIO()
    # ExcelWriter rather than workbook.save(), which stamps the file with the clock.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(workbook, archive).save()
    return zip_with_fixed_dates(buffer.getvalue(), document_date(content))


def total_share(content: ReportContent) -> int:
    coverage = content.coverage
    return round(100 * coverage.reported / coverage.owed) if coverage.owed else 0


def write_sheet(
    workbook: Workbook, title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]
) -> None:
    sheet = workbook.create_sheet(title=title)
    # Write-only sheets write their views and columns with the first row: set them before it.
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.append([header_cell(sheet, column.header) for column in columns])

    formatted = [
        (index, NUMBER_FORMATS[column.kind])
        for index, column in enumerate(columns)
        if column.kind in (DECIMAL, DATE)
    ]
    texts = [index for index, column in enumerate(columns) if column.kind == TEXT]
    count = 0
    for row in rows:
        values = list(row)
        for index in texts:
            values[index] = text_value(values[index])
        for index, number_format in formatted:
            if values[index] is not None:
                cell = WriteOnlyCell(sheet, value=values[index])
                cell.number_format = number_format
                values[index] = cell
        sheet.append(values)
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"


def header_cell(sheet, header: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=header)
    cell.font = HEADER_FONT
    cell.alignment = HEADER_ALIGNMENT
    return cell


def text_value(value: Any) -> str | None:
    """Text that no spreadsheet runs as a formula; nothing for an empty value, not ''."""
    if value is None or value == "":
        return None
    return neutralise(value)
