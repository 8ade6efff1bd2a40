import io

from openpyxl import Workbook

from countyreport.content import ReportContent


def render_xlsx(content: ReportContent) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Åtaganden"
    sheet.append(["Mål", "Kod", "Åtagande", "Organisationer", "Status", "Andel genomfört (%)"])
    for goal in content.goals:
        for line in goal.commitments:
            sheet.append(
                [
                    goal.number,
                    line.code,
                    line.title,
                    line.organisations,
                    line.status,
                    line.percent_done,
                ]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
