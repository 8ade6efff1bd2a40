"""Reading the portal's downloads back, as a spreadsheet program would."""

import csv
import io

import openpyxl


def read_csv(response) -> list[list[str]]:
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf"), "CSV without the UTF-8 byte order mark"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def read_xlsx(response) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = []
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"a formula in {cell.coordinate}: {cell.value!r}"
        rows.append(["" if cell.value is None else cell.value for cell in row])
    return rows


def read(response, export_format: str) -> list[list]:
    """The rows of a download, its header first."""
    assert response.status_code == 200, response
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return read_csv(response) if export_format == "csv" else read_xlsx(response)
