"""The county report's three files, each rendered from one `ReportContent`."""

from countyreport.formats.docx import render_docx
from countyreport.formats.pdf import render_pdf
from countyreport.formats.xlsx import render_xlsx

__all__ = ["render_docx", "render_pdf", "render_xlsx"]
