"""What the three formats share: the date they carry and the zip archives they are."""

import datetime
import io
import zipfile

from countyreport.content import ReportContent


def document_date(content: ReportContent) -> datetime.datetime:
    """The files' creation and modification date: the day the content was read, at midnight UTC.

    Never the clock, so that the same content gives the same files; a content without a date
    carries the last day of the year it covers.
    """
    day = content.built_on or datetime.date(content.year, 12, 31)
    return datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC)


def zip_with_fixed_dates(archive: bytes, when: datetime.datetime) -> bytes:
    """The same zip archive (XLSX and DOCX are ones), with every member dated `when`.

    openpyxl and python-docx stamp each member with the time it was written, so that two builds
    of the same content would differ in those bytes alone.
    """
    date_time = when.timetuple()[:6]
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(archive)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            fixed = zipfile.ZipInfo(member.filename, date_time=date_time)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = member.external_attr
            target.writestr(fixed, source.read(member.filename))
    return output.getvalue()


# Up to this many commitments the PDF and the Word document list every commitment in every
# goal's chapter, every organisation's annex and the missing reports. Above it (a national
# report has about 15,000) they give each goal's, organisation's and missing report's counts
# instead, and point to the workbook, which always holds every row: WeasyPrint lays out about
# fifty table rows a second, and a 3,000-page PDF is read by nobody.
FULL_LISTS_UP_TO = 1_000


def commitment_count(content: ReportContent) -> int:
    return sum(len(goal.commitments) for goal in content.goals)


def lists_in_full(content: ReportContent) -> bool:
    return commitment_count(content) <= FULL_LISTS_UP_TO


def status_labels(content: ReportContent) -> list[str]:
    """The statuses in the summary's order, then any a line has that the summary lacks."""
    labels = [row.status for row in content.coverage.statuses]
    for goal in content.goals:
        for line in goal.commitments:
            if line.status not in labels:
                labels.append(line.status)
    return labels


def status_counts(lines, labels: list[str]) -> list[int]:
    """How many of `lines` have each status of `labels`, in that order."""
    counts = dict.fromkeys(labels, 0)
    for line in lines:
        counts[line.status] = counts.get(line.status, 0) + 1
    return [counts[label] for label in labels]


def missing_by_organisation(content: ReportContent) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for report in content.missing:
        counts[report.organisation] = counts.get(report.organisation, 0) + 1
    return sorted(counts.items())
