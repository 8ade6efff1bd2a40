import io

from docx import Document

from countyreport.content import ReportContent


def render_docx(content: ReportContent) -> bytes:
    document = Document()
    document.add_heading(content.title, level=0)
    document.add_paragraph(content.summary)
    for goal in content.goals:
        document.add_heading(f"{goal.number}. {goal.title}", level=1)
        document.add_paragraph(goal.analysis)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
