"""Downloads of the portal's lists: rows read from a queryset, a tablib Dataset, a response.

Every export of the portal goes through `export_response`, so that all of them:

- take `?format=csv` (the default) or `?format=xlsx`, and answer anything else with 400;
- refuse, with a page that says why, a selection of more rows than `max_rows` allows (20,000,
  fewer for wide files): the whole file is built in memory, and a national export must not
  take a web process down (narrow the selection with the list's filters instead);
- never let a cell run as a formula in a spreadsheet (CSV injection, OWASP): a text that starts
  with `=`, `+`, `-`, `@`, a tab or a carriage return (after any spaces) gets a leading `'`, in
  both formats, and XLSX cells hold text as text;
- are sent as attachments, with a Swedish file name and the day's date; CSV as UTF-8 with a
  byte order mark, so that Excel reads å, ä and ö, every field quoted.

Views read the rows with `.values()` and `.iterator()` in a fixed number of queries.
"""

import csv
import datetime
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import tablib
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

# A file is built in memory, and openpyxl spends its time per cell: about 200,000 cells build
# in seconds, well within a web worker's time limit (30 s) and memory. The largest list a person
# needs whole, every commitment in the country (15,000 rows of 10 columns), fits.
MAX_ROWS = 20_000
MAX_CELLS = 200_000

XLSX_COLUMN_WIDTH = 30

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}

# The characters a spreadsheet may start a formula with: ASCII, and their full-width forms,
# which some spreadsheets read as the same.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# Characters XML 1.0, and so XLSX, cannot hold (openpyxl refuses them); nobody types them.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise(value: Any) -> Any:
    """A cell value that no spreadsheet runs as a formula; numbers and dates as they are."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("ja") if value else _("nej")
    if isinstance(value, datetime.datetime):
        # Local time, as the pages show it: Excel has no time zones.
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, (int, float, datetime.date)):
        return value
    text = _CONTROL_CHARACTERS.sub("", str(value))
    if text.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + text
    return text


def max_rows(columns: int) -> int:
    """The most rows a file of this many columns holds."""
    return min(MAX_ROWS, MAX_CELLS // max(columns, 1))


def requested_format(request) -> str | None:
    """`csv`, `xlsx`, or None for anything else. No parameter means CSV."""
    value = request.GET.get("format", "csv")
    return value if value in FORMATS else None


def error_response(request, message: str, *, status: int = 400) -> HttpResponse:
    """A page that tells why no file came, with a way back."""
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    return render(
        request, "actors/export_error.html", {"message": message, "back": back}, status=status
    )


def file_name(stem: str, extension: str) -> str:
    """`ataganden-2026-11-26.xlsx`: the Swedish name of what is in it, and the day."""
    return f"{stem}-{timezone.localdate().isoformat()}.{extension}"


def build_dataset(headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str):
    dataset = tablib.Dataset(headers=[str(header) for header in headers], title=str(title))
    for row in rows:
        dataset.append([neutralise(value) for value in row])
    return dataset


def render_dataset(dataset, export_format: str) -> bytes:
    if export_format == "xlsx":
        # One width for every column: measuring each cell ("adaptive") costs another pass over
        # the rows, and gives a report's long texts columns wider than Excel allows.
        return dataset.export("xlsx", column_width=XLSX_COLUMN_WIDTH)
    # The byte order mark tells Excel the file is UTF-8; quoting every field, as OWASP advises,
    # keeps a separator or a line break inside a text where it belongs.
    return ("\ufeff" + dataset.export("csv", quoting=csv.QUOTE_ALL)).encode("utf-8")


def export_response(
    request,
    *,
    queryset: QuerySet,
    headers: Sequence[str],
    rows: Callable[[QuerySet], Iterable[Sequence[Any]]],
    title: str,
    file_stem: str,
) -> HttpResponse:
    """The file of `queryset`, in the format the request asks for.

    `rows(queryset)` yields one sequence of cell values per row, in the order of `headers`.
    """
    export_format = requested_format(request)
    if export_format is None:
        return error_response(request, _("Välj formatet CSV eller Excel (xlsx)."))
    count = queryset.count()
    limit = max_rows(len(headers))
    if count > limit:
        return error_response(
            request,
            _(
                "Urvalet har %(count)s rader, och en fil rymmer högst %(max)s. Avgränsa urvalet "
                "med filtren och ladda ner igen."
            )
            % {"count": count, "max": limit},
        )
    content_type, extension = FORMATS[export_format]
    dataset = build_dataset(headers, rows(queryset), title)
    response = HttpResponse(render_dataset(dataset, export_format), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name(file_stem, extension)}"'
    return response
