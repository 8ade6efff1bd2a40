from django.template.loader import render_to_string
from weasyprint import HTML

from countyreport.content import ReportContent


def render_pdf(content: ReportContent) -> bytes:
    html = render_to_string("countyreport/document.html", {"content": content})
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
