"""The county report's three files, read back with the tools their readers use: openpyxl,
python-docx, and poppler's pdfinfo and pdftotext."""

import dataclasses
import datetime
import io
import re
import subprocess
from decimal import Decimal

import docx
import openpyxl
import pytest
from django.template.loader import render_to_string
from docx.oxml.ns import qn
from PIL import Image

from countyreport.content import Coverage, ReportContent
from countyreport.formats import render_docx, render_pdf, render_xlsx
from countyreport.formats.common import FULL_LISTS_UP_TO
from countyreport.formats.pdf import document_context
from tests.countyreport.content_factory import FORMULA_TITLE, GOALS, NO_REPORT, report_content

BUILT_ON = datetime.date(2026, 2, 16)


@pytest.fixture(scope="module")
def content():
    return dataclasses.replace(report_content(commitments=120), built_on=BUILT_ON)


@pytest.fixture(scope="module")
def large_content():
    """More commitments than the PDF and the Word document list one by one."""
    return report_content(commitments=FULL_LISTS_UP_TO + 1, organisations=30, indicators_per_goal=1)


@pytest.fixture(scope="module")
def workbook(content):
    return openpyxl.load_workbook(io.BytesIO(render_xlsx(content)))


@pytest.fixture(scope="module")
def word(content):
    return docx.Document(io.BytesIO(render_docx(content)))


@pytest.fixture(scope="module")
def pdf_file(content, tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "lagesrapport.pdf"
    path.write_bytes(render_pdf(content))
    return path


def all_lines(content):
    return [line for goal in content.goals for line in goal.commitments]


# The workbook


def test_the_workbook_has_a_sheet_per_kind_of_row(workbook):
    assert workbook.sheetnames == [
        "Åtaganden",
        "Rapporter",
        "Indikatorvärden",
        "Täckning",
        "Statusar",
        "Saknade rapporter",
    ]


def test_every_sheet_has_a_bold_frozen_header_row_and_a_filter_over_its_rows(workbook):
    for sheet in workbook:
        header = list(sheet[1])
        assert all(cell.font.bold for cell in header), sheet.title
        assert sheet.freeze_panes == "A2", sheet.title
        last_column = header[-1].column_letter
        assert sheet.auto_filter.ref == f"A1:{last_column}{sheet.max_row}", sheet.title


def test_the_commitment_sheet_holds_every_commitment_with_numbers_as_numbers(workbook, content):
    sheet = workbook["Åtaganden"]
    assert [cell.value for cell in sheet[1]] == [
        "Mål",
        "Kod",
        "Åtagande",
        "Organisationer",
        "Status",
        "Genomfört (%)",
        "Ur senaste rapporten",
    ]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    lines = all_lines(content)
    assert len(rows) == len(lines)
    first = lines[0]
    assert rows[0][:5] == (1, first.code, first.title, first.organisations, first.status)
    assert all(isinstance(row[0], int) for row in rows)
    percents = [row[5] for row in rows]
    assert {type(value) for value in percents} == {int, type(None)}
    # An empty value is an empty cell, not a text
    assert None in percents
    assert None in [row[6] for row in rows]


def test_a_text_that_looks_like_a_formula_stays_text(workbook):
    sheet = workbook["Åtaganden"]
    cells = [row[2] for row in sheet.iter_rows(min_row=2) if FORMULA_TITLE in str(row[2].value)]
    assert len(cells) == 1
    assert cells[0].value == "'" + FORMULA_TITLE
    assert cells[0].data_type == "s"
    results = [row[8] for row in workbook["Rapporter"].iter_rows(min_row=2)]
    assert "'-5 % färre anmälningar" in [cell.value for cell in results]


def test_report_dates_are_date_cells_and_indicator_values_numbers(workbook, content):
    sheet = workbook["Rapporter"]
    submitted = [row[6] for row in sheet.iter_rows(min_row=2)]
    dated = [cell for cell in submitted if cell.value is not None]
    assert dated and all(cell.is_date for cell in dated)
    assert dated[0].value.date() == content.progress_reports[0].submitted_on
    assert dated[0].number_format == "yyyy-mm-dd"
    assert any(cell.value is None for cell in submitted)

    values = [row[5] for row in workbook["Indikatorvärden"].iter_rows(min_row=2)]
    assert len(values) == len(content.indicator_values)
    assert all(cell.data_type == "n" for cell in values)
    assert Decimal(str(values[0].value)) == content.indicator_values[0].value


def test_the_coverage_sheet_has_the_county_the_goals_and_the_organisations(workbook, content):
    rows = list(workbook["Täckning"].iter_rows(min_row=2, values_only=True))
    coverage = content.coverage
    assert rows[0][2:4] == (coverage.owed, coverage.reported)
    assert len(rows) == 1 + len(coverage.by_goal) + len(coverage.by_organisation)
    assert rows[1] == ("Mål", *dataclasses.astuple(coverage.by_goal[0]), coverage.by_goal[0].share)
    statuses = list(workbook["Statusar"].iter_rows(min_row=2, values_only=True))
    assert statuses == [(row.status, row.count) for row in coverage.statuses]
    missing = list(workbook["Saknade rapporter"].iter_rows(min_row=2, values_only=True))
    assert len(missing) == len(content.missing)


def test_the_workbook_carries_the_report_title_and_the_content_date(workbook):
    assert workbook.properties.title == "Regional lägesrapport 2025"
    assert workbook.properties.creator == "Kvinnofridsportalen"
    assert workbook.properties.created.date() == BUILT_ON
    assert workbook.properties.modified.date() == BUILT_ON


def test_the_same_content_gives_the_same_workbook(content):
    assert render_xlsx(content) == render_xlsx(content)
    other_day = dataclasses.replace(content, built_on=BUILT_ON + datetime.timedelta(days=1))
    assert render_xlsx(other_day) != render_xlsx(content)


def test_a_large_report_still_has_every_commitment_in_the_workbook(large_content):
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(large_content)))
    assert book["Åtaganden"].max_row == 1 + FULL_LISTS_UP_TO + 1


# The Word document


def headings(document, level):
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def test_the_word_document_has_a_title_and_a_heading_per_goal(word):
    assert [p.text for p in word.paragraphs if p.style.name == "Title"] == [
        "Regional lägesrapport 2025"
    ]
    assert headings(word, 1) == [
        "Sammanfattning",
        *(f"Mål {number}. {title}" for number, title in enumerate(GOALS, start=1)),
        "Bilagor: åtagandena per organisation",
        "Rapporter som saknas",
        "Metod",
    ]
    assert "Analys" in headings(word, 2)


def test_the_analysis_is_editable_paragraphs_and_a_missing_one_is_said(word, content):
    texts = [p.text for p in word.paragraphs]
    first, second = content.goals[0].analysis.split("\n\n")
    assert first in texts
    assert second.strip() in texts
    assert "Ingen analys är skriven för målet." in texts  # goal 8 has none
    assert content.method[0] in texts


def test_the_word_tables_show_indicators_commitments_and_repeat_their_header(word, content):
    cells = [[cell.text for cell in row.cells] for table in word.tables for row in table.rows]
    indicator = content.goals[0].indicators[0].years[1]
    assert [str(indicator.year), f"{indicator.county}".replace(".", ",")] == [
        cell for cell in cells if cell and cell[0] == str(indicator.year)
    ][0][:2]
    line = content.goals[0].commitments[0]
    assert [line.code, line.title, line.organisations, line.status] in [cell[:4] for cell in cells]
    for table in word.tables:
        header = table.rows[0]._tr
        assert header.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        assert all(run.bold for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)
    assert "Diagrammet finns i rapportens PDF-version." in [p.text for p in word.paragraphs]


def test_the_word_document_is_swedish_with_the_content_date(word):
    properties = word.core_properties
    assert properties.title == "Regional lägesrapport 2025"
    assert properties.language == "sv-SE"
    assert properties.created.date() == BUILT_ON
    assert properties.modified.date() == BUILT_ON
    language = word.styles.element.find(f"{qn('w:docDefaults')}//{qn('w:lang')}")
    assert language.get(qn("w:val")) == "sv-SE"


def test_the_same_content_gives_the_same_word_document(content):
    assert render_docx(content) == render_docx(content)


def test_a_large_report_gives_counts_in_the_word_document_and_points_to_the_workbook(
    large_content,
):
    document = docx.Document(io.BytesIO(render_docx(large_content)))
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    first = large_content.goals[0].commitments[0]
    assert first.title not in cells
    assert NO_REPORT in cells
    assert any("på bladet Åtaganden" in p.text for p in document.paragraphs)
    (annex_table,) = [
        table
        for table in document.tables
        if [cell.text for cell in table.rows[0].cells][:2] == ["Organisation", "Åtaganden"]
    ]
    assert len(annex_table.rows) == 1 + len(large_content.annexes)


# The PDF


def pdf_info(path) -> dict[str, str]:
    output = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return dict(
        (key.strip(), value.strip())
        for key, value in (line.split(":", 1) for line in output.stdout.splitlines())
    )


def pdf_text(path) -> str:
    output = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return output.stdout


def test_the_pdf_is_tagged_with_its_title_and_the_content_date(pdf_file):
    info = pdf_info(pdf_file)
    assert info["Tagged"] == "yes"
    assert info["Title"] == "Regional lägesrapport 2025"
    assert info["Author"] == "Länsstyrelsen i Stockholms län och Storsthlm"
    assert int(info["Pages"]) > 10
    assert info["Page size"].endswith("(A4)")
    assert "Feb 16" in info["CreationDate"] and "2026" in info["CreationDate"]


def test_the_pdf_structure_has_headings_tables_with_header_cells_and_figures(pdf_file):
    output = subprocess.run(
        ["pdfinfo", "-struct", str(pdf_file)], capture_output=True, text=True, check=True
    )
    tags = {line.split()[0].rstrip(":") for line in output.stdout.splitlines() if line.strip()}
    assert {"Document", "H1", "H2", "H3", "H4", "P", "L", "LI"} <= tags
    assert {"Table", "THead", "TBody", "TR", "TH", "TD", "Caption", "Figure"} <= tags
    headings = re.findall(r"^\s*(H\d) ", output.stdout, re.M)
    assert headings.count("H1") == 1 and headings[0] == "H1"


def test_the_pdf_says_what_the_report_says(pdf_file, content):
    text = pdf_text(pdf_file)
    assert "OPERATION KVINNOFRID" in text  # the cover, in capitals
    assert "16 februari 2026" in text
    assert "Innehåll" in text
    for number, title in enumerate(GOALS, start=1):
        assert f"Mål {number}. {title}" in text
    assert "Analys av mål 1, förebygga våld: arbetet går framåt." in text
    assert "Går åt önskat håll" in text
    line = content.goals[2].commitments[3]
    assert line.code in text
    assert "Bilaga 1. Länsstyrelsen i Stockholms län" in text
    assert "Rapporter som saknas" in text
    assert "Statusen för ett åtagande är statusen i den senaste" in text


def test_the_pdf_contents_list_gives_each_chapter_its_page(pdf_file):
    text = pdf_text(pdf_file)
    # "Sammanfattning ....... 3": the leader and the page number from target-counter()
    pages = dict(
        re.findall(r"^\s*(Sammanfattning|Mål 1\. Förebygga våld|Metod)[ .]+(\d+)$", text, re.M)
    )
    assert pages["Sammanfattning"] == "3"
    assert 3 < int(pages["Mål 1. Förebygga våld"]) < int(pages["Metod"])


def test_the_same_content_gives_the_same_pdf():
    small = report_content(commitments=16, organisations=4, indicators_per_goal=1)
    assert render_pdf(small) == render_pdf(small)


def test_a_large_report_prints_counts_and_points_to_the_workbook(large_content):
    html = render_to_string("countyreport/document.html", document_context(large_content))
    lines = all_lines(large_content)
    assert lines[1].title not in html
    assert large_content.missing[0].title not in html
    assert "på bladet Åtaganden" in html
    assert "på bladet Saknade rapporter" in html
    assert html.count('<tr><th scope="row">') >= len(large_content.annexes)


def test_texts_are_escaped_in_the_printed_html(content):
    goal = dataclasses.replace(content.goals[0], analysis='<img src="file:///etc/passwd">')
    risky = dataclasses.replace(content, goals=(goal, *content.goals[1:]))
    html = render_to_string("countyreport/document.html", document_context(risky))
    assert '<img src="file:///etc/passwd">' not in html
    assert "&lt;img src=" in html


def test_a_report_with_nothing_in_it_still_gives_three_files():
    empty = ReportContent(
        year=2026,
        title="Regional lägesrapport 2026",
        summary="",
        coverage=Coverage(owed=0, reported=0, by_organisation=(), by_goal=(), statuses=()),
        goals=(),
        annexes=(),
        missing=(),
        method=(),
    )
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(empty)))
    assert book["Åtaganden"].max_row == 1
    assert book["Täckning"]["E2"].value == 0
    document = docx.Document(io.BytesIO(render_docx(empty)))
    assert "Alla rapporter kom in." in [p.text for p in document.paragraphs]
    text = pdf_text_of(render_pdf(empty))
    assert "Regional lägesrapport 2026" in text
    assert "Alla rapporter kom in." in text


def pdf_text_of(data: bytes) -> str:
    output = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return output.stdout.decode()


def test_the_pdf_fetches_no_file_a_chart_points_to(tmp_path):
    picture = tmp_path / "hemlig.png"
    Image.new("RGB", (4, 4), "red").save(picture)
    small = report_content(commitments=8, organisations=2, indicators_per_goal=1)
    indicator = dataclasses.replace(
        small.goals[0].indicators[0],
        chart_svg=(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>Diagram</title>'
            f'<image href="{picture.as_uri()}" width="10" height="10"/></svg>'
        ),
    )
    goal = dataclasses.replace(small.goals[0], indicators=(indicator,))
    path = tmp_path / "rapport.pdf"
    path.write_bytes(render_pdf(dataclasses.replace(small, goals=(goal, *small.goals[1:]))))
    images = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
    )
    assert len(images.stdout.strip().splitlines()) == 2  # the list's header lines only
