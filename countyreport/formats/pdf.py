"""The county report as an archivable PDF: the HTML template printed by WeasyPrint.

The PDF is tagged as PDF/UA-1 (WeasyPrint builds the structure tree from the HTML's headings,
lists and tables), in Swedish, with the report's title and the content's date in its metadata
and a file identifier derived from the content, so that the same content gives the same bytes.
"""

import hashlib
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML

from countyreport.content import ReportContent
from countyreport.formats.common import (
    FULL_LISTS_UP_TO,
    document_date,
    lists_in_full,
    missing_by_organisation,
    status_counts,
    status_labels,
)

# The source file, not the collected one: the report is built by a worker that may run where
# collectstatic has not.
STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "county-report-print.css"

# Characters of a report excerpt printed in a goal's commitment table: the PDF is read, the
# whole texts are in the workbook, and every line a table row takes costs layout time.
EXCERPT_LENGTH = 160


def render_pdf(content: ReportContent) -> bytes:
    html = render_to_string("countyreport/document.html", document_context(content))
    identifier = hashlib.md5(
        f"{content.year}\n{content.title}\n{content.built_on}".encode(), usedforsecurity=False
    ).hexdigest()
    return HTML(string=html, base_url=str(STYLESHEET.parent), url_fetcher=fetch_nothing).write_pdf(
        stylesheets=[CSS(filename=str(STYLESHEET))],
        pdf_variant="pdf/ua-1",
        pdf_identifier=identifier.encode(),
    )


def fetch_nothing(url: str, *args, **kwargs):
    """The document needs nothing from outside: a link or image in a text, or in a chart's SVG,
    that reaches for a file or an address is refused (WeasyPrint leaves it out and warns)."""
    raise ValueError(f"The county report fetches nothing: {url}")


def document_context(content: ReportContent) -> dict:
    """What templates/countyreport/document.html needs: render it with this, not the content
    alone (a page that shows the report as HTML too)."""
    labels = status_labels(content)
    return {
        "content": content,
        "document_date": document_date(content).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "excerpt_length": EXCERPT_LENGTH,
        "lists_in_full": lists_in_full(content),
        "full_lists_up_to": FULL_LISTS_UP_TO,
        # The counts that stand in for the lists in a report too large to list in full.
        "status_labels": labels,
        "goal_status_counts": [
            (goal, list(zip(labels, status_counts(goal.commitments, labels), strict=True)))
            for goal in content.goals
        ],
        "annex_status_counts": [
            (annex, status_counts(annex.commitments, labels)) for annex in content.annexes
        ],
        "missing_by_organisation": missing_by_organisation(content),
    }
