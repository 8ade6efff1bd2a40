"""Importing indicator values: CSV and Kolada JSON, all or nothing, every refusal with its place."""

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command

from indicators import imports, services
from indicators.models import Indicator, IndicatorValue, SurveyAnswer
from tests.factories import IndicatorFactory, IndicatorValueFactory, SurveyAnswerFactory, area

pytestmark = pytest.mark.django_db

SAMPLES = Path(imports.__file__).parent / "samples"


def check(text: str | bytes) -> imports.CheckResult:
    content = text.encode() if isinstance(text, str) else text
    return imports.check_records(imports.read_file(content))


def errors_of(text) -> list[tuple[str, str]]:
    return [(error.where, error.message) for error in check(text).errors]


def kolada(*entries) -> str:
    return json.dumps({"values": list(entries)})


def entry(kpi="N1", municipality="0127", period=2023, **values):
    return {
        "kpi": kpi,
        "municipality": municipality,
        "period": period,
        "values": [
            {"gender": gender, "value": value, "status": "" if value is not None else "Saknas"}
            for gender, value in (values or {"T": 12.5}).items()
        ],
    }


def database():
    return (
        list(IndicatorValue.objects.order_by("pk").values()),
        list(SurveyAnswer.objects.order_by("pk").values()),
    )


# --- The samples ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["indikatorvarden.csv", "kolada.json"])
def test_the_samples_import_cleanly_into_the_demos_indicators(demo_indicators, name):
    result = check((SAMPLES / name).read_bytes())

    assert result.errors == []
    assert result.total > 0
    services.indicator_values_import(checked=result, file_name=name)
    assert IndicatorValue.objects.count() + SurveyAnswer.objects.count() == result.total


def test_the_csv_sample_has_county_municipality_district_sex_and_yes_no_rows(demo_indicators):
    result = check((SAMPLES / "indikatorvarden.csv").read_bytes())

    assert {row.area.kind for row in result.values} == {"county", "municipality", "city_district"}
    assert {row.sex for row in result.values} == {"all", "women", "men"}
    answers = {(row.area.code, row.answer) for row in result.answers}
    assert answers >= {("0126", True), ("0136", False)}


def test_the_kolada_sample_skips_missing_values_and_sexes_the_indicator_does_not_use(
    demo_indicators,
):
    result = check((SAMPLES / "kolada.json").read_bytes())

    assert result.skipped_missing == 1
    # N99003 (children who witnessed violence) is not reported by sex.
    assert result.skipped_by_sex == 2
    county = [row for row in result.values if row.area.code == "01"]
    assert {row.sex for row in county} == {"all", "women", "men"}  # Kolada's 0001 is the county


# --- CSV ---------------------------------------------------------------------------------------


def test_csv_with_commas_decimal_commas_and_no_sex_column_is_read():
    indicator = IndicatorFactory(slug="anmalda", kind=Indicator.Kind.COUNT)

    result = check('indikator,år,område,värde\nanmalda,2023,127,"1 234,5"\n')

    assert result.errors == []
    (value,) = result.values
    assert (value.indicator, value.year, value.area.code, value.sex, value.value) == (
        indicator,
        2023,
        "0127",  # the leading zero a spreadsheet drops
        "all",
        Decimal("1234.50"),
    )


def test_the_indicator_may_be_named_by_its_kolada_key_figure_in_csv():
    indicator = IndicatorFactory(kolada_kpi="N12345", kind=Indicator.Kind.COUNT)

    result = check("indikator;år;område;värde\nn12345;2023;01;7\n")

    assert result.values[0].indicator == indicator


def test_every_bad_row_is_listed_with_its_line_and_a_swedish_reason():
    IndicatorFactory(slug="andel", kind=Indicator.Kind.PERCENT, by_sex=False)
    IndicatorFactory(slug="fraga", kind=Indicator.Kind.YES_NO_SHARE)
    text = (
        "indikator;år;område;kön;värde\n"
        "andel;2023;0127;totalt;12\n"  # 2: right
        "okand;2023;0127;totalt;12\n"  # 3
        "andel;2023;0999;totalt;12\n"  # 4
        "andel;2023;0127;totalt;tolv\n"  # 5
        "andel;2019;0127;totalt;12\n"  # 6: before the strategy
        "andel;2027;0127;totalt;12\n"  # 7: after it
        "andel;2023;0127;;12,0\n"  # 8: the same as line 2
        "andel;2023;0126;kvinnor;12\n"  # 9: not by sex
        "andel;2023;0126;barn;12\n"  # 10
        "andel;2023;0126;totalt;101\n"  # 11: a share over 100
        "andel;2023;0126;totalt;-1\n"  # 12
        "fraga;2023;0126;;ja?\n"  # 13
        "fraga;2023;01;;1\n"  # 14: the county does not answer
        "andel;tjugo;0126;totalt;5\n"  # 15
    )

    errors = errors_of(text)

    lines = [where for where, _message in errors]
    assert lines == [f"rad {line}" for line in range(3, 16)]
    messages = dict(errors)
    assert "Okänd indikator: okand" in messages["rad 3"]
    assert "Okänd områdeskod: 0999" in messages["rad 4"]
    assert "Värdet är inte ett tal: tolv" in messages["rad 5"]
    assert "utanför strategins period 2020–2026" in messages["rad 6"]
    assert "utanför strategins period 2020–2026" in messages["rad 7"]
    assert "finns redan på rad 2" in messages["rad 8"]
    assert "redovisas inte per kön" in messages["rad 9"]
    assert "Okänt kön: barn" in messages["rad 10"]
    assert "över 100" in messages["rad 11"]
    assert "negativt" in messages["rad 12"]
    assert "1 (ja) eller 0 (nej)" in messages["rad 13"]
    assert "länets andel räknas fram" in messages["rad 14"]
    assert "inte ett år: tjugo" in messages["rad 15"]


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "Filen är tom."),
        ("indikator;år;område;värde\n".encode(), "Filen har inga värden."),
        ("namn;år\nx;2023\n".encode(), "Kolumner saknas: indikator, område, värde"),
        (b"PK\x03\x04whatever", "varken CSV eller Koladas JSON-format"),
        (b"{not json", "inte giltig JSON"),
        (b'{"data": []}', 'en lista "values"'),
    ],
)
def test_a_file_that_cannot_be_read_says_why(content, message):
    with pytest.raises(imports.ImportFileError, match=message):
        imports.read_file(content)


# --- Kolada JSON -------------------------------------------------------------------------------


def test_kolada_values_by_sex_and_missing_ones():
    indicator = IndicatorFactory(kolada_kpi="N1", kind=Indicator.Kind.RATE, by_sex=True)

    result = check(kolada(entry(T=12.5, K=None, M=20), entry(municipality="0001", T=11)))

    assert result.errors == []
    assert result.skipped_missing == 1
    assert sorted((row.area.code, row.sex, row.value) for row in result.values) == [
        ("01", "all", Decimal("11.00")),
        ("0127", "all", Decimal("12.50")),
        ("0127", "men", Decimal("20.00")),
    ]
    assert {row.indicator for row in result.values} == {indicator}


def test_kolada_refusals_name_the_position_in_the_file():
    IndicatorFactory(kolada_kpi="N1", kind=Indicator.Kind.COUNT)

    errors = errors_of(
        kolada(
            entry(kpi="N404"),
            entry(municipality="2480"),  # Umeå: not in the county
            entry(period=2031),
            entry(T="många"),
            entry(T=1),
            "not an object",
        )
    )

    messages = dict(errors)
    assert "Okänt Kolada-nyckeltal: N404" in messages["values[0].values[0]"]
    assert "Okänd områdeskod: 2480" in messages["values[1].values[0]"]
    assert "utanför strategins period" in messages["values[2].values[0]"]
    assert "inte ett tal: många" in messages["values[3].values[0]"]
    assert "values[4].values[0]" not in messages  # a right value among the wrong ones
    assert "Posten saknar" in messages["values[5]"]


def test_a_duplicate_in_kolada_names_the_first_position():
    IndicatorFactory(kolada_kpi="N1", kind=Indicator.Kind.COUNT)

    errors = errors_of(kolada(entry(T=1), entry(T=2)))

    assert errors == [
        (
            "values[1].values[0]",
            "Samma indikator, år, område och kön finns redan på values[0].values[0].",
        )
    ]


# --- All or nothing, updates, the preview's counts ---------------------------------------------


def test_a_file_with_one_bad_row_imports_nothing_from_the_command():
    indicator = IndicatorFactory(slug="antal", kind=Indicator.Kind.COUNT)
    IndicatorValueFactory(indicator=indicator, year=2023, area=area("0127"), value=5)
    before = database()
    path = Path(__file__).parent / "bad.csv"
    stderr = io.StringIO()
    try:
        path.write_text("indikator;år;område;värde\nantal;2023;0127;6\nantal;2023;0128;x\n")
        with pytest.raises(CommandError, match="1 fel. Inget har sparats."):
            call_command("import_indicators", str(path), stderr=stderr)
    finally:
        path.unlink()

    assert database() == before
    assert "rad 3: Värdet är inte ett tal: x." in stderr.getvalue()


def test_existing_values_are_updated_and_counted_as_changed(tmp_path):
    indicator = IndicatorFactory(slug="antal", kind=Indicator.Kind.COUNT)
    IndicatorValueFactory(indicator=indicator, year=2023, area=area("0127"), value=5)
    IndicatorValueFactory(indicator=indicator, year=2023, area=area("0128"), value=7)
    path = tmp_path / "ok.csv"
    path.write_text(
        "indikator;år;område;värde\nantal;2023;0127;6\nantal;2023;0128;7\nantal;2023;0136;1\n"
    )
    stdout = io.StringIO()

    call_command("import_indicators", str(path), stdout=stdout)

    assert "3 värden: 1 nya, 1 ändrade, 1 oförändrade, 0 överhoppade" in stdout.getvalue()
    assert dict(indicator.values.values_list("area__code", "value")) == {
        "0127": Decimal("6.00"),
        "0128": Decimal("7.00"),
        "0136": Decimal("1.00"),
    }
    entry = LogEntry.objects.get(additional_data__event="indicator_import")
    assert entry.additional_data["new"] == 1
    assert entry.additional_data["changed"] == 1


def test_a_dry_run_checks_and_saves_nothing(tmp_path):
    IndicatorFactory(slug="antal", kind=Indicator.Kind.COUNT)
    path = tmp_path / "ok.csv"
    path.write_text("indikator;år;område;värde\nantal;2023;0127;6\n")
    stdout = io.StringIO()

    call_command("import_indicators", str(path), "--dry-run", stdout=stdout)

    assert "1 värden: 1 nya" in stdout.getvalue()
    assert "--dry-run" in stdout.getvalue()
    assert not IndicatorValue.objects.exists()
    assert not LogEntry.objects.filter(additional_data__event="indicator_import").exists()


def test_yes_no_answers_import_as_survey_answers_and_replace_earlier_ones():
    question = IndicatorFactory(slug="fraga", kind=Indicator.Kind.YES_NO_SHARE)
    SurveyAnswerFactory(indicator=question, year=2023, area=area("0126"), answer=False)

    result = check("indikator;år;område;värde\nfraga;2023;0126;1\nfraga;2023;018001;nej\n")
    services.indicator_values_import(checked=result, file_name="svar.csv")

    assert (result.new, result.changed) == (1, 1)
    assert not IndicatorValue.objects.exists()
    assert dict(question.survey_answers.values_list("area__code", "answer")) == {
        "0126": True,
        "018001": False,
    }
    assert SurveyAnswer.objects.filter(indicator=question).county_shares() == {
        (question.pk, 2023): Decimal("50.0")
    }


def test_a_missing_file_is_a_command_error():
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_indicators", "/nonexistent/file.csv")
