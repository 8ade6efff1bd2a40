"""The county report as an editable Word document, for the county staff's final edits.

The same chapters as the PDF, in Word's built-in heading styles (Title, Heading 1–3) so that
the navigation pane and a table of contents work, paragraphs that can be edited, and tables
whose header row repeats on every page. python-docx cannot place an SVG, and drawing the charts
again as images would need cairo: the document says where each chart is in the PDF instead.
"""

import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from countyreport.content import CommitmentLine, ReportContent
from countyreport.formats.common import (
    FULL_LISTS_UP_TO,
    document_date,
    lists_in_full,
    missing_by_organisation,
    status_counts,
    status_labels,
    zip_with_fixed_dates,
)

LANGUAGE = "sv-SE"
# Characters XML cannot hold; python-docx refuses a text with them, and nobody types them.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def render_docx(content: ReportContent) -> bytes:
    document = Document()
    set_properties(document, content)
    in_full = lists_in_full(content)
    labels = status_labels(content)

    document.add_heading(clean(content.title), level=0)
    document.add_paragraph(
        _("Operation Kvinnofrid – uppföljning av år %(year)s") % {"year": content.year}
    )
    document.add_paragraph(_("Länsstyrelsen i Stockholms län och Storsthlm"))
    if content.built_on:
        document.add_paragraph(content.built_on.isoformat())
    add_table_of_contents(document)

    document.add_heading(_("Sammanfattning"), level=1)
    add_paragraphs(document, content.summary)
    coverage = content.coverage
    document.add_paragraph(
        _("%(reported)s av %(owed)s rapporter kom in.")
        % {"reported": coverage.reported, "owed": coverage.owed}
    )
    coverage_headers = [_("Skulle rapporteras"), _("Rapporterade"), _("Andel (%)")]
    add_table(
        document,
        _("Uppföljda åtaganden per mål"),
        [_("Mål"), *coverage_headers],
        [(row.label, row.owed, row.reported, row.share) for row in coverage.by_goal],
    )
    add_table(
        document,
        _("Statusar för åtagandena"),
        [_("Status"), _("Antal åtaganden")],
        [(row.status, row.count) for row in coverage.statuses],
    )
    add_table(
        document,
        _("Uppföljda åtaganden per organisation"),
        [_("Organisation"), *coverage_headers],
        [(row.label, row.owed, row.reported, row.share) for row in coverage.by_organisation],
    )

    for goal in content.goals:
        document.add_heading(
            _("Mål %(number)s. %(title)s") % {"number": goal.number, "title": clean(goal.title)},
            level=1,
        )
        document.add_heading(_("Analys"), level=2)
        add_paragraphs(document, goal.analysis or _("Ingen analys är skriven för målet."))
        document.add_heading(_("Indikatorer"), level=2)
        if not goal.indicators:
            document.add_paragraph(_("Målet har inga indikatorer."))
        for indicator in goal.indicators:
            document.add_heading(clean(indicator.name), level=3)
            document.add_paragraph(_("Diagrammet finns i rapportens PDF-version."))
            add_table(
                document,
                f"{indicator.name}, {indicator.unit}",
                [_("År"), _("Länet"), _("Kvinnor"), _("Män")],
                [(value.year, value.county, value.women, value.men) for value in indicator.years],
            )
            paragraph = document.add_paragraph()
            paragraph.add_run(_("Bedömning:")).bold = True
            paragraph.add_run(" " + clean(indicator.assessment))
            document.add_paragraph(_("Källa:") + " " + clean(indicator.source))
        document.add_heading(_("Åtaganden"), level=2)
        if not in_full:
            add_table(
                document,
                _("Mål %(number)s: åtaganden per status") % {"number": goal.number},
                [_("Status"), _("Antal åtaganden")],
                list(zip(labels, status_counts(goal.commitments, labels), strict=True)),
            )
            document.add_paragraph(
                _(
                    "Rapporten har fler än %(limit)s åtaganden. Varje åtagande med status, andel "
                    "genomfört och utdrag ur den senaste rapporten finns i arbetsboken (Excel), "
                    "på bladet Åtaganden."
                )
                % {"limit": FULL_LISTS_UP_TO}
            )
        elif goal.commitments:
            add_table(
                document,
                _("Mål %(number)s: åtaganden") % {"number": goal.number},
                [
                    _("Kod"),
                    _("Åtagande"),
                    _("Organisationer"),
                    _("Status"),
                    _("Genomfört (%)"),
                    _("Ur senaste rapporten"),
                ],
                [
                    (
                        line.code,
                        line.title,
                        line.organisations,
                        line.status,
                        line.percent_done,
                        line.excerpt,
                    )
                    for line in goal.commitments
                ],
            )
        else:
            document.add_paragraph(_("Målet har inga åtaganden."))

    document.add_heading(_("Bilagor: åtagandena per organisation"), level=1)
    if not in_full:
        add_table(
            document,
            _("Åtaganden per organisation och status"),
            [_("Organisation"), _("Åtaganden"), *labels],
            [
                (annex.name, len(annex.commitments), *status_counts(annex.commitments, labels))
                for annex in content.annexes
            ],
        )
    else:
        for number, annex in enumerate(content.annexes, start=1):
            document.add_heading(
                _("Bilaga %(number)s. %(name)s") % {"number": number, "name": clean(annex.name)},
                level=2,
            )
            add_annex_table(document, annex.name, annex.commitments)

    document.add_heading(_("Rapporter som saknas"), level=1)
    if not content.missing:
        document.add_paragraph(_("Alla rapporter kom in."))
    elif not in_full:
        add_table(
            document,
            _("Rapporter som inte kom in, per organisation"),
            [_("Organisation"), _("Saknade rapporter")],
            missing_by_organisation(content),
        )
    else:
        add_table(
            document,
            _("Rapporter som inte kom in"),
            [_("Organisation"), _("Kod"), _("Åtagande")],
            [(report.organisation, report.code, report.title) for report in content.missing],
        )

    document.add_heading(_("Metod"), level=1)
    for paragraph in content.method:
        add_paragraphs(document, paragraph)

    buffer = io.BytesIO()
    document.save(buffer)
    return zip_with_fixed_dates(buffer.getvalue(), document_date(content))


def set_properties(document: WordDocument, content: ReportContent) -> None:
    when = document_date(content)
    properties = document.core_properties
    properties.title = clean(content.title)
    properties.subject = _("Operation Kvinnofrid, uppföljning av år %(year)s") % {
        "year": content.year
    }
    properties.author = _("Länsstyrelsen i Stockholms län och Storsthlm")
    properties.last_modified_by = _("Kvinnofridsportalen")
    properties.language = LANGUAGE
    properties.created = when
    properties.modified = when
    properties.last_printed = when
    properties.revision = 1
    # The text's language, for Word's spelling and for screen readers.
    run_defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    run_properties = run_defaults.find(qn("w:rPr"))
    language = run_properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        run_properties.append(language)
    language.set(qn("w:val"), LANGUAGE)
    language.set(qn("w:eastAsia"), LANGUAGE)


def add_table_of_contents(document: WordDocument) -> None:
    """A table of contents field over the headings, that Word fills in when it is updated."""
    heading = document.add_paragraph(_("Innehåll"))
    heading.runs[0].bold = True
    paragraph = document.add_paragraph()
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), 'TOC \\o "1-2" \\h \\z \\u')
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = _("Uppdatera fältet (F9 i Word) för att visa innehållsförteckningen.")
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def add_paragraphs(document: WordDocument, text: str) -> None:
    """One Word paragraph per paragraph of the text (a blank line between them)."""
    for paragraph in re.split(r"\n\s*\n", clean(text).strip()):
        if paragraph.strip():
            document.add_paragraph(paragraph.strip())


def add_annex_table(document: WordDocument, name: str, lines: Sequence[CommitmentLine]) -> None:
    if not lines:
        document.add_paragraph(_("Organisationen har inga åtaganden för året."))
        return
    add_table(
        document,
        _("Åtaganden som %(name)s leder") % {"name": name},
        [_("Kod"), _("Åtagande"), _("Status"), _("Genomfört (%)")],
        [(line.code, line.title, line.status, line.percent_done) for line in lines],
    )


def add_table(
    document: WordDocument, caption: str, headers: Sequence[str], rows: Iterable[Sequence]
) -> None:
    """A table with a caption above it and a bold header row that repeats on every page."""
    document.add_paragraph(clean(caption), style="Caption")
    rows = list(rows)
    table = document.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    header_row = table.rows[0]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_row._tr.get_or_add_trPr().append(repeat)
    for cell, header in zip(header_row.cells, headers, strict=True):
        run = cell.paragraphs[0].add_run(clean(header))
        run.bold = True
    for row, values in zip(table.rows[1:], rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            run = cell.paragraphs[0].add_run(cell_text(value))
            run.font.size = Pt(9)


def cell_text(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, Decimal):
        return number_format(value)  # 12,5 in Swedish, as the PDF prints it
    return clean(str(value))


def clean(text: str) -> str:
    return _CONTROL_CHARACTERS.sub("", text)
