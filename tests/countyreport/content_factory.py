"""A realistic county report content made by hand, without a database.

The formats are tested, and timed (benchmarks/county_report_formats.py), on the values
`report_content` makes: eight goals with analyses, indicators with charts, commitments spread
over goals and organisations, annexes, missing reports and the method, with Swedish letters,
long texts, empty values and texts that look like spreadsheet formulas. The same arguments give
the same content.
"""

import datetime
import random
from decimal import Decimal

from countyreport.content import (
    CommitmentLine,
    Coverage,
    CoverageRow,
    GoalSection,
    IndicatorSection,
    IndicatorValueRow,
    IndicatorYear,
    MissingReport,
    OrganisationAnnex,
    ProgressReportRow,
    ReportContent,
    StatusCount,
)

GOALS = (
    "Förebygga våld",
    "Förebygga återfall",
    "Upptäcka tidigt",
    "Skydda och stödja",
    "Effektiv brottsbekämpning",
    "Trygg rättsprocess",
    "Systematisk kunskapsutveckling",
    "Kunskap och forskning",
)
ORGANISATIONS = (
    "Länsstyrelsen i Stockholms län",
    "Polisen, region Stockholm",
    "Kriminalvården",
    "Åklagarmyndigheten",
    "Region Stockholm",
    "Stockholms stad",
    "Storsthlm",
    "Försäkringskassan",
    "Arbetsförmedlingen",
    "Huddinge kommun",
    "Södertälje kommun",
    "Österåker kommun",
    "Täby kommun",
    "Järfälla kommun",
)
STATUSES = ("Enligt plan", "Mindre avvikelse", "Större avvikelse", "Genomfört", "Ej påbörjat")
NO_REPORT = "Ingen rapport"
FORMULA_TITLE = '=HYPERLINK("http://example.com";"Klicka här")'
LONG_TEXT = (
    "Under året har vi genomfört utbildningsinsatser för medarbetare inom socialtjänsten, "
    "hälso- och sjukvården och skolan om våld i nära relationer, hedersrelaterat våld och "
    "förtryck samt sexuellt våld. Samverkan med kvinnojourer och ideella organisationer har "
    "fördjupats, och rutinerna för att fråga om våld har införts på fler enheter. "
)


def chart_svg(key: str, name: str, values: list[Decimal]) -> str:
    """A small accessible bar chart, as the indicators app draws them."""
    bars = "".join(
        f'<rect x="{10 + 40 * index}" y="{100 - int(value)}" width="30" height="{int(value)}" '
        'fill="#5f2580"/>'
        for index, value in enumerate(values)
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 110" width="400" '
        f'height="220" role="img" aria-labelledby="chart-{key}-title chart-{key}-desc">'
        f'<title id="chart-{key}-title">{name}</title>'
        f'<desc id="chart-{key}-desc">Stapeldiagram över {len(values)} år för länet.</desc>'
        f"{bars}</svg>"
    )


def report_content(
    *,
    year: int = 2025,
    commitments: int = 300,
    organisations: int = len(ORGANISATIONS),
    indicators_per_goal: int = 3,
    seed: int = 8,
) -> ReportContent:
    rng = random.Random(seed)
    names = [
        ORGANISATIONS[index] if index < len(ORGANISATIONS) else f"Organisation {index + 1} (ö)"
        for index in range(organisations)
    ]

    lines_by_goal: dict[int, list[CommitmentLine]] = {number: [] for number in range(1, 9)}
    lines_by_organisation: dict[str, list[CommitmentLine]] = {name: [] for name in names}
    progress_reports = []
    missing = []
    for index in range(commitments):
        goal = index % 8 + 1
        lead = names[index % len(names)]
        participants = [names[(index * 7 + 3) % len(names)]] if index % 5 == 0 else []
        reported = index % 11 != 0
        status = rng.choice(STATUSES) if reported else NO_REPORT
        code = f"{goal}.{index // 8 + 1}"
        title = (
            FORMULA_TITLE
            if index == 5
            else f"Åtagande {code}: stärkt stöd till våldsutsatta i {lead.split()[0]}"
            + (" med ett mycket långt namn" * 4 if index % 37 == 0 else "")
        )
        excerpt = (LONG_TEXT[: rng.randint(40, 300)] if index % 13 else "") if reported else ""
        line = CommitmentLine(
            code=code,
            title=title,
            organisations=", ".join([lead, *participants]),
            status=status,
            percent_done=rng.randrange(0, 101, 5) if reported and index % 17 else None,
            excerpt=excerpt,
        )
        lines_by_goal[goal].append(line)
        lines_by_organisation[lead].append(line)
        if reported:
            progress_reports.append(
                ProgressReportRow(
                    code=code,
                    commitment=title,
                    organisation=lead,
                    state="Godkänd" if index % 3 else "Inskickad",
                    status=status,
                    percent_done=line.percent_done or 0,
                    submitted_on=(
                        datetime.date(year + 1, 1, 1) + datetime.timedelta(days=index % 60)
                        if index % 23
                        else None
                    ),
                    work_done=excerpt or LONG_TEXT,
                    results="-5 % färre anmälningar" if index == 7 else "Fler fick stöd.",
                )
            )
        else:
            missing.append(MissingReport(organisation=lead, code=code, title=title))

    indicator_values = []
    goals = []
    for number, goal_title in enumerate(GOALS, start=1):
        indicators = []
        for position in range(indicators_per_goal):
            name = f"Andel kommuner med rutin för våldsutsatta ({number}.{position + 1})"
            years = []
            for offset in range(5):
                value = Decimal(rng.randint(200, 950)) / 10
                years.append(
                    IndicatorYear(
                        year=year - 4 + offset,
                        county=None if offset == 0 and position == 1 else value,
                        women=value + 1 if position == 0 else None,
                        men=value - 1 if position == 0 else None,
                    )
                )
                indicator_values.append(
                    IndicatorValueRow(
                        indicator=name,
                        unit="procent",
                        year=year - 4 + offset,
                        area="Stockholms län",
                        sex="Alla",
                        value=value,
                    )
                )
            indicators.append(
                IndicatorSection(
                    name=name,
                    unit="procent",
                    source="Socialstyrelsen, Öppna jämförelser",
                    assessment="Går åt önskat håll: andelen har ökat tre år i rad.",
                    chart_svg=chart_svg(
                        f"{number}-{position + 1}", name, [y.county or Decimal(0) for y in years]
                    ),
                    years=tuple(years),
                )
            )
        goals.append(
            GoalSection(
                number=number,
                title=goal_title,
                analysis=(
                    ""
                    if number == 8
                    else f"Analys av mål {number}, {goal_title.lower()}: arbetet går framåt.\n\n"
                    + LONG_TEXT * 3
                ),
                indicators=tuple(indicators),
                commitments=tuple(lines_by_goal[number]),
            )
        )

    owed = commitments
    reported_count = len(progress_reports)
    status_counts = {status: 0 for status in (*STATUSES, NO_REPORT)}
    for lines in lines_by_goal.values():
        for line in lines:
            status_counts[line.status] += 1
    return ReportContent(
        year=year,
        title=f"Regional lägesrapport {year}",
        summary=(
            f"Av {owed} åtaganden följdes {reported_count} upp under {year}.\n\n"
            "Rapporten sammanställer länets arbete mot våld i nära relationer, "
            "hedersrelaterat våld och förtryck, människohandel, prostitution och sexuellt våld."
        ),
        coverage=Coverage(
            owed=owed,
            reported=reported_count,
            by_organisation=tuple(
                CoverageRow(
                    label=name,
                    owed=len(lines_by_organisation[name]),
                    reported=sum(line.status != NO_REPORT for line in lines_by_organisation[name]),
                )
                for name in names
            ),
            by_goal=tuple(
                CoverageRow(
                    label=f"{number}. {GOALS[number - 1]}",
                    owed=len(lines_by_goal[number]),
                    reported=sum(line.status != NO_REPORT for line in lines_by_goal[number]),
                )
                for number in range(1, 9)
            ),
            statuses=tuple(StatusCount(status=s, count=c) for s, c in status_counts.items()),
        ),
        goals=tuple(goals),
        annexes=tuple(
            OrganisationAnnex(name=name, commitments=tuple(lines_by_organisation[name]))
            for name in names
        ),
        missing=tuple(missing),
        method=(
            "Statusen för ett åtagande är statusen i den senaste godkända eller inskickade "
            "rapporten för året; ett åtagande utan rapport räknas som Ingen rapport.",
            "Andelen genomfört för ett mål är medelvärdet av åtagandenas andelar, "
            "avrundat till hela procent.",
            "Täckningen är andelen av de rapporter som skulle lämnas som kom in före årets slut.",
        ),
        progress_reports=tuple(progress_reports),
        indicator_values=tuple(indicator_values),
    )
