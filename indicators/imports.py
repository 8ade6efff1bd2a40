"""Reading a file of indicator values, and checking every record of it before anything is saved.

Two formats (see the README, "Indikatorer: importformat", and the upload page):

- **CSV**, UTF-8 (or Windows-1252, as Excel saves it), semicolon, comma or tab between the
  columns, a header row with the columns `indikator`, `år`, `område`, `värde` and optionally
  `kön`. The indicator is named by its short name (slug) or its Kolada key figure; the area by
  its code (01 the county, 0114 … 0192 the municipalities, 018001 … 018013 Stockholm's city
  districts); `kön` is totalt, kvinnor or män (or T, K, M; empty is totalt). A yes/no question
  takes 1 (ja) or 0 (nej) per municipality or city district.
- **Kolada's JSON data format**, as its API v2 answers `/data/kpi/{kpi}/municipality/...`:
  `{"values": [{"kpi": "N12345", "municipality": "0127", "period": 2023,
  "values": [{"gender": "T", "value": 12.3, "status": ""}]}]}`. The key figure names the
  indicator by its `kolada_kpi`; Kolada's "0001" (Region Stockholm) is the county. A value
  that is null (Kolada marks it with a status such as "Saknas") is skipped and counted, as are
  women's and men's values for an indicator that is not reported by sex.

Nothing here writes: `read_file` parses the file into `Record`s (each knows where in the file it
came from), `check_records` resolves and checks all of them against the database and lists every
problem with its place and a Swedish reason, and `indicators.services.indicator_values_import`
saves a checked file in one transaction. The upload page and `manage.py import_indicators` share
all three.
"""

import csv
import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import Max, Min
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actionplan.models import Strategy
from indicators.models import COUNTY_CODE, Area, Indicator, IndicatorValue, SurveyAnswer

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_RECORDS = 100_000
# Kolada names the county by its region: "00" and the county code.
KOLADA_COUNTY_CODE = "0001"
LARGEST_VALUE = Decimal("9999999999.99")  # max_digits=12, decimal_places=2

SEXES = {
    "": IndicatorValue.Sex.ALL,
    "totalt": IndicatorValue.Sex.ALL,
    "alla": IndicatorValue.Sex.ALL,
    "t": IndicatorValue.Sex.ALL,
    "kvinnor": IndicatorValue.Sex.WOMEN,
    "k": IndicatorValue.Sex.WOMEN,
    "män": IndicatorValue.Sex.MEN,
    "m": IndicatorValue.Sex.MEN,
}
ANSWERS = {"1": True, "ja": True, "0": False, "nej": False}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    description: str  # lazily translated


COLUMNS = [
    Column(
        "indicator",
        "indikator",
        True,
        gettext_lazy("Indikatorns kortnamn, till exempel valj-att-sluta, eller dess Kolada-id."),
    ),
    Column("year", "år", True, gettext_lazy("Fyra siffror, ett år inom strategins period.")),
    Column(
        "area",
        "område",
        True,
        gettext_lazy(
            "Områdets kod: 01 för länet, kommunkoden (till exempel 0127) eller "
            "stadsdelsområdets kod (018001–018013)."
        ),
    ),
    Column(
        "sex",
        "kön",
        False,
        gettext_lazy("totalt, kvinnor eller män (eller T, K, M). Tomt: totalt."),
    ),
    Column(
        "value",
        "värde",
        True,
        gettext_lazy(
            "Ett tal, med komma eller punkt som decimaltecken. För en ja/nej-fråga 1 (ja) eller "
            "0 (nej), per kommun eller stadsdelsområde."
        ),
    ),
]
COLUMNS_BY_HEADER = {column.header: column for column in COLUMNS}
# Headers without the Swedish letters, as some programs write them.
COLUMNS_BY_HEADER |= {
    "ar": COLUMNS[1],
    "omrade": COLUMNS[2],
    "kon": COLUMNS[3],
    "varde": COLUMNS[4],
}


class ImportFileError(Exception):
    """The file as a whole cannot be read: its message says why, in plain Swedish."""


@dataclass(frozen=True)
class Record:
    """One value as the file gives it, all text, and where it is in the file."""

    where: str  # "rad 3", or "values[2].values[0]" in a JSON file
    indicator: str
    year: str
    area: str
    sex: str
    value: str
    kolada: bool = False


@dataclass
class ParsedFile:
    format: str  # "csv" or "kolada"
    records: list[Record]
    skipped_missing: int = 0  # Kolada values that are null


@dataclass
class RowError:
    where: str
    message: str


@dataclass(frozen=True)
class CheckedValue:
    where: str
    indicator: Indicator
    year: int
    area: Area
    sex: str
    value: Decimal


@dataclass(frozen=True)
class CheckedAnswer:
    where: str
    indicator: Indicator
    year: int
    area: Area
    answer: bool


@dataclass
class CheckResult:
    values: list[CheckedValue] = field(default_factory=list)
    answers: list[CheckedAnswer] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    skipped_missing: int = 0
    skipped_by_sex: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return len(self.values) + len(self.answers)


# --- Reading the file ----------------------------------------------------------------------------


def read_file(content: bytes) -> ParsedFile:
    """The file's records; ImportFileError for a file that is neither format."""
    if not content.strip():
        raise ImportFileError(_("Filen är tom."))
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(_("Filen är större än 10 MB. Dela upp den i flera filer."))
    if content.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"[")):
        parsed = _read_kolada(content)
    else:
        parsed = _read_csv(content)
    if not parsed.records and not parsed.skipped_missing:
        raise ImportFileError(_("Filen har inga värden."))
    if len(parsed.records) > MAX_RECORDS:
        raise ImportFileError(
            _("Filen har fler än %(max)s värden. Dela upp den i flera filer.")
            % {"max": f"{MAX_RECORDS:,}".replace(",", "\u00a0")}
        )
    return parsed


def _not_readable() -> ImportFileError:
    return ImportFileError(
        _("Filen är varken CSV eller Koladas JSON-format. Se beskrivningen av formaten nedan.")
    )


def _read_csv(content: bytes) -> ParsedFile:
    head = content[:8192]
    if b"\x00" in head or head.startswith((b"PK\x03\x04", b"\x89PNG", b"%PDF", b"\xd0\xcf")):
        raise _not_readable()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    first_line = text.lstrip().split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    try:
        lines = [
            (line, [cell.strip() for cell in cells])
            for line, cells in enumerate(
                csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1
            )
            if any(cell.strip() for cell in cells)
        ]
    except csv.Error:
        raise _not_readable() from None
    if not lines:
        raise ImportFileError(_("Filen är tom."))
    (_header_line, header), *body = lines
    positions = _header_positions(header)
    records = []
    for line, cells in body:
        cell = {
            key: cells[position] if position < len(cells) else ""
            for key, position in positions.items()
        }
        records.append(
            Record(
                where=_("rad %(line)s") % {"line": line},
                indicator=cell["indicator"],
                year=cell["year"],
                area=cell["area"],
                sex=cell.get("sex", ""),
                value=cell["value"],
            )
        )
    return ParsedFile(format="csv", records=records)


def _header_positions(header: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    unknown = []
    for position, name in enumerate(header):
        column = COLUMNS_BY_HEADER.get(name.casefold())
        if column is None:
            unknown.append(name)
        elif column.key in positions:
            raise ImportFileError(_("Kolumnen %(name)s finns två gånger.") % {"name": name})
        else:
            positions[column.key] = position
    missing = [c.header for c in COLUMNS if c.required and c.key not in positions]
    problems = []
    if unknown:
        problems.append(_("Okända kolumner: %(names)s.") % {"names": ", ".join(unknown[:10])})
    if missing:
        problems.append(_("Kolumner saknas: %(names)s.") % {"names": ", ".join(missing)})
    if problems:
        raise ImportFileError(
            " ".join(problems)
            + " "
            + _("Den första raden ska ha kolumnernas namn: indikator;år;område;kön;värde.")
        )
    return positions


def _read_kolada(content: bytes) -> ParsedFile:
    try:
        document = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ImportFileError(_("Filen är inte giltig JSON.")) from None
    if not isinstance(document, dict) or not isinstance(document.get("values"), list):
        raise ImportFileError(
            _('Filen ska vara Koladas dataformat: ett objekt med en lista "values".')
        )
    parsed = ParsedFile(format="kolada", records=[])
    for index, entry in enumerate(document["values"]):
        where = f"values[{index}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("values"), list):
            parsed.records.append(Record(where, "", "", "", "", "", kolada=True))
            continue
        for inner, item in enumerate(entry["values"]):
            item_where = f"{where}.values[{inner}]"
            if not isinstance(item, dict):
                parsed.records.append(Record(item_where, "", "", "", "", "", kolada=True))
                continue
            if item.get("value") is None:
                parsed.skipped_missing += 1
                continue
            parsed.records.append(
                Record(
                    where=item_where,
                    indicator=_text(entry.get("kpi")),
                    year=_text(entry.get("period")),
                    area=_text(entry.get("municipality")),
                    sex=_text(item.get("gender")),
                    value=_text(item.get("value")),
                    kolada=True,
                )
            )
    return parsed


def _text(value) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value).strip()


# --- Checking the records ------------------------------------------------------------------------


class _Lookups:
    """Everything the records name, read once for the whole file."""

    def __init__(self):
        self.indicators: dict[str, Indicator] = {}
        for indicator in Indicator.objects.annotate(
            first_year=Min("goals__strategy__start_year"),
            last_year=Max("goals__strategy__end_year"),
        ):
            self.indicators[indicator.slug.casefold()] = indicator
            if indicator.kolada_kpi:
                self.indicators[indicator.kolada_kpi.casefold()] = indicator
        self.areas = {area.code: area for area in Area.objects.all()}
        years = Strategy.objects.aggregate(first=Min("start_year"), last=Max("end_year"))
        self.any_strategy = (years["first"], years["last"])

    def years(self, indicator: Indicator) -> tuple[int, int]:
        if indicator.first_year is None:
            return self.any_strategy
        return indicator.first_year, indicator.last_year

    def area(self, code: str, *, kolada: bool) -> Area | None:
        if kolada and code == KOLADA_COUNTY_CODE:
            code = COUNTY_CODE
        # A spreadsheet drops a code's leading zero: 127 is 0127.
        if code.isdigit() and len(code) % 2 == 1:
            code = "0" + code
        return self.areas.get(code)


def check_records(parsed: ParsedFile) -> CheckResult:
    """Resolve and check every record; every problem with its place in the file."""
    lookups = _Lookups()
    result = CheckResult(skipped_missing=parsed.skipped_missing)
    seen: dict[tuple, str] = {}
    for record in parsed.records:
        errors: list[str] = []
        checked = _check_record(record, lookups, errors, result)
        if checked is not None:
            key = _key(checked)
            if key in seen:
                errors.append(
                    _("Samma indikator, år, område och kön finns redan på %(where)s.")
                    % {"where": seen[key]}
                )
            else:
                seen[key] = record.where
        result.errors.extend(RowError(record.where, message) for message in errors)
        if checked is not None and not errors:
            if isinstance(checked, CheckedAnswer):
                result.answers.append(checked)
            else:
                result.values.append(checked)
    if not result.errors:
        _count_changes(result)
    return result


def _key(checked) -> tuple:
    sex = checked.sex if isinstance(checked, CheckedValue) else "answer"
    return (checked.indicator.pk, checked.year, checked.area.pk, sex)


def _check_record(record: Record, lookups: _Lookups, errors: list[str], result: CheckResult):
    if not any((record.indicator, record.year, record.area, record.value)):
        errors.append(_("Posten saknar indikator, år, område och värde."))
        return None
    indicator = None
    if not record.indicator:
        errors.append(_("Indikator saknas."))
    else:
        indicator = lookups.indicators.get(record.indicator.casefold())
        if indicator is None:
            errors.append(
                (
                    _("Okänt Kolada-nyckeltal: %(value)s. Ange det på indikatorn först.")
                    if record.kolada
                    else _("Okänd indikator: %(value)s. Ange kortnamnet eller Kolada-id.")
                )
                % {"value": record.indicator}
            )

    year = None
    if not re.fullmatch(r"\d{4}", record.year):
        errors.append(
            _("Året är inte ett år: %(value)s. Skriv fyra siffror, till exempel 2024.")
            % {"value": record.year or "–"}
        )
    elif indicator is not None:
        first, last = lookups.years(indicator)
        year = int(record.year)
        if first is None or not first <= year <= last:
            errors.append(
                _("Året %(year)s ligger utanför strategins period %(first)s–%(last)s.")
                % {"year": year, "first": first, "last": last}
            )
            year = None

    area = lookups.area(record.area, kolada=record.kolada)
    if area is None:
        errors.append(
            _(
                "Okänd områdeskod: %(value)s. Länet är 01, kommunerna 0114–0192, "
                "stadsdelsområdena 018001–018013."
            )
            % {"value": record.area or "–"}
        )

    sex = SEXES.get(record.sex.casefold())
    if sex is None:
        errors.append(
            _("Okänt kön: %(value)s. Skriv totalt, kvinnor eller män.") % {"value": record.sex}
        )

    if indicator is None:
        _number(record.value, errors)  # so that every problem of the record is listed
        return None
    if indicator.is_yes_no:
        return _check_answer(record, indicator, year, area, sex, errors)

    if sex not in (None, IndicatorValue.Sex.ALL) and not indicator.by_sex:
        if record.kolada:
            # Kolada gives every key figure by sex where it can; the indicator does not use it.
            result.skipped_by_sex += 1
            return None
        errors.append(
            _(
                "Indikatorn redovisas inte per kön. Ta bort raden, eller markera "
                "indikatorn som redovisad per kön."
            )
        )
    value = _number(record.value, errors)
    if value is not None and indicator.kind == Indicator.Kind.PERCENT and value > 100:
        errors.append(
            _("En andel i procent kan inte vara över 100: %(value)s.") % {"value": record.value}
        )
    if errors or year is None or area is None or sex is None or value is None:
        return None
    return CheckedValue(record.where, indicator, year, area, sex, value)


def _number(text: str, errors: list[str]) -> Decimal | None:
    cleaned = text.replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not re.fullmatch(r"-?\d*\.?\d*", cleaned):
        errors.append(_("Värdet är inte ett tal: %(value)s.") % {"value": text or "–"})
        return None
    if value < 0:
        errors.append(_("Värdet får inte vara negativt: %(value)s.") % {"value": text})
        return None
    value = value.quantize(Decimal("0.01"))
    if value > LARGEST_VALUE:
        errors.append(_("Värdet är för stort: %(value)s.") % {"value": text})
        return None
    return value


def _check_answer(record: Record, indicator, year, area, sex, errors: list[str]):
    answer = ANSWERS.get(record.value.strip().casefold())
    if answer is None:
        errors.append(
            _("En ja/nej-fråga tar 1 (ja) eller 0 (nej), inte %(value)s.")
            % {"value": record.value or "–"}
        )
    if area is not None and not area.answers_surveys:
        errors.append(
            _(
                "En ja/nej-fråga besvaras av kommuner och stadsdelsområden; länets andel räknas "
                "fram ur svaren."
            )
        )
    if sex not in (None, IndicatorValue.Sex.ALL):
        errors.append(_("En ja/nej-fråga har inga svar per kön."))
    if errors or year is None or area is None or answer is None:
        return None
    return CheckedAnswer(record.where, indicator, year, area, answer)


def _count_changes(result: CheckResult) -> None:
    """How many values are new, how many change an existing one, how many stay as they are."""
    indicator_ids = {row.indicator.pk for row in [*result.values, *result.answers]}
    years = {row.year for row in [*result.values, *result.answers]}
    existing_values = {
        (indicator_id, year, area_id, sex): value
        for indicator_id, year, area_id, sex, value in IndicatorValue.objects.filter(
            indicator_id__in=indicator_ids, year__in=years
        ).values_list("indicator_id", "year", "area_id", "sex", "value")
    }
    existing_answers = {
        (indicator_id, year, area_id, "answer"): answer
        for indicator_id, year, area_id, answer in SurveyAnswer.objects.filter(
            indicator_id__in=indicator_ids, year__in=years
        ).values_list("indicator_id", "year", "area_id", "answer")
    }
    for row, existing in [
        *((row, existing_values) for row in result.values),
        *((row, existing_answers) for row in result.answers),
    ]:
        old = existing.get(_key(row), None)
        new = row.value if isinstance(row, CheckedValue) else row.answer
        if _key(row) not in existing:
            result.new += 1
        elif old != new:
            result.changed += 1
        else:
            result.unchanged += 1


def records_as_data(parsed: ParsedFile) -> dict:
    """The parsed file as plain data, to wait in the cache between preview and confirmation."""
    return {
        "format": parsed.format,
        "skipped_missing": parsed.skipped_missing,
        "records": [
            [r.where, r.indicator, r.year, r.area, r.sex, r.value, r.kolada] for r in parsed.records
        ],
    }


def records_from_data(data: dict) -> ParsedFile:
    try:
        return ParsedFile(
            format=str(data["format"]),
            skipped_missing=int(data["skipped_missing"]),
            records=[Record(*map(str, row[:6]), kolada=bool(row[6])) for row in data["records"]],
        )
    except (KeyError, TypeError, ValueError, IndexError):
        raise ImportFileError(_("Granskningen kunde inte läsas.")) from None
