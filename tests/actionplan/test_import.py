"""Importing commitments into an action plan from a file: reading, checking, the preview and
the confirmation, the template, and the command."""

import csv
import io
import time
import zipfile

import pytest
from auditlog.models import LogEntry
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from actionplan import imports
from actionplan.administration_views import SESSION_KEY, _cache_key
from actionplan.models import Commitment, CommitmentGroupObjectPermission
from actors.models import Organisation
from tests.factories import ActionPlanFactory, CommitmentFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = [column.header for column in imports.COLUMNS]


def row(**values) -> list[str]:
    """A row in the template's column order; a good commitment unless told otherwise."""
    good = {
        "code": "1.1",
        "title": "Utbilda socialtjänsten",
        "description": "Alla handläggare.",
        "goals": "1; 3",
        "violence_areas": "Våld i nära relation; hedersrelaterat våld och förtryck",
        "lead_organisation": "polisen",
        "participating_organisations": "Region Stockholm; Huddinge kommun",
        "start_year": "2028",
        "end_year": "2030",
        "predecessor": "",
        "relation": "",
    }
    good.update(values)
    return [good[column.key] for column in imports.COLUMNS]


def xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for values in rows:
        sheet.append(values)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def csv_bytes(rows, delimiter=";", encoding="utf-8-sig") -> bytes:
    output = io.StringIO()
    csv.writer(output, delimiter=delimiter).writerows(rows)
    return output.getvalue().encode(encoding)


@pytest.fixture
def plan():
    return ActionPlanFactory(
        title="Handlingsplan 2028–2030", slug="hp-2028", start_year=2028, end_year=2030
    )


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


def upload(client, plan, content: bytes, name: str = "plan.xlsx"):
    return client.post(
        reverse("actionplan:commitment-import", args=[plan.pk]),
        {"file": SimpleUploadedFile(name, content)},
    )


def preview_url(response) -> str:
    assert response.status_code == 302, getattr(response, "context", None) and response.context.get(
        "errors"
    )
    return response["Location"]


# --- A good file ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content,name",
    [
        (
            xlsx(
                [
                    HEADER,
                    row(),
                    row(code="1.2", title="Stöd till barn", participating_organisations=""),
                ]
            ),
            "plan.xlsx",
        ),
        (
            csv_bytes(
                [
                    HEADER,
                    row(),
                    row(code="1.2", title="Stöd till barn", participating_organisations=""),
                ]
            ),
            "plan.csv",
        ),
    ],
    ids=["xlsx", "csv"],
)
def test_a_good_file_is_previewed_then_saved_with_its_grants(admin_client, plan, content, name):
    url = preview_url(upload(admin_client, plan, content, name))
    assert not Commitment.objects.filter(plan=plan).exists()  # nothing before the confirmation

    preview = admin_client.get(url)
    assert preview.status_code == 200
    assert [r.data.code for r in preview.context["rows"]] == ["1.1", "1.2"]
    assert "Utbilda socialtjänsten" in preview.content.decode()

    response = admin_client.post(url)

    assert response.status_code == 302
    assert response["Location"] == reverse("actionplan:plan-detail", args=[plan.pk])
    first, second = Commitment.objects.filter(plan=plan).order_by("code")
    assert (first.code, first.title, first.description) == (
        "1.1",
        "Utbilda socialtjänsten",
        "Alla handläggare.",
    )
    assert sorted(goal.number for goal in first.goals.all()) == [1, 3]
    assert sorted(area.slug for area in first.violence_areas.all()) == [
        "hedersrelaterat-vald-och-fortryck",
        "vald-i-nara-relation",
    ]
    assert first.lead_organisation.short_name == "Polisen"
    assert sorted(o.short_name for o in first.participating_organisations.all()) == [
        "Huddinge",
        "Region Stockholm",
    ]
    assert (first.start_year, first.end_year, first.state) == (2028, 2030, "active")
    assert list(second.participating_organisations.all()) == []
    # The grants follow the responsible organisations (the suite checks the whole index too).
    assert CommitmentGroupObjectPermission.objects.filter(content_object=first).count() == 3
    # The history has the creation, with the goals and participants, by the administrator.
    record = first.history.get()
    assert record.history_type == "+" and record.history_user.username == "admin"
    assert sorted(g.goal.number for g in record.historicalcommitment_goals_set.all()) == [1, 3]
    assert record.historicalcommitment_participating_organisations_set.count() == 2
    # The preview is used up.
    assert admin_client.post(url).status_code == 404
    assert Commitment.objects.filter(plan=plan).count() == 2


def test_empty_years_take_the_plans_years_and_cells_are_trimmed(plan):
    rows = imports.read_table(
        csv_bytes([HEADER, row(start_year="", end_year="", title="  Titel  ")])
    )

    result = imports.check_rows(plan, rows)

    assert not result.errors
    (checked,) = result.rows
    assert (checked.data.start_year, checked.data.end_year, checked.data.title) == (
        2028,
        2030,
        "Titel",
    )


def test_columns_may_come_in_any_order_and_optional_ones_may_be_left_out(plan):
    rows = imports.read_table(
        csv_bytes(
            [
                ["titel", "ANSVARIG ORGANISATION", "Mål", "Nummer"],
                ["T", "Kriminalvården", "8", "3.1"],
            ]
        )
    )

    result = imports.check_rows(plan, rows)

    assert not result.errors
    assert result.rows[0].data.lead_organisation.short_name == "Kriminalvården"


def test_a_csv_saved_by_excel_in_windows_1252_with_commas_is_read(plan):
    content = csv_bytes([HEADER, row(title="Våld mot äldre")], delimiter=",", encoding="cp1252")

    result = imports.check_rows(plan, imports.read_table(content))

    assert not result.errors
    assert result.rows[0].data.title == "Våld mot äldre"


# --- Wrong rows: all listed, nothing saved ---------------------------------------------------


def test_every_wrong_row_is_listed_with_its_line_and_nothing_is_saved(admin_client, plan):
    CommitmentFactory(
        plan=plan, code="9.9", lead_organisation=Organisation.objects.get(short_name="Polisen")
    )
    Organisation.objects.filter(short_name="Salem").update(is_active=False)
    content = xlsx(
        [
            HEADER,
            row(code="1.1"),  # line 2: right
            row(code="1.2", lead_organisation="Okända verket"),  # 3
            row(code="1.3", goals="1; 12"),  # 4
            row(code="1.4", violence_areas="Cybervåld"),  # 5
            row(code="1.1"),  # 6: the code of line 2 again
            row(code="9.9"),  # 7: the plan has it
            row(code="1.7", title=""),  # 8
            row(code="1.8", start_year="tjugo"),  # 9
            row(code="1.9", start_year="2030", end_year="2029"),  # 10
            row(code="1.10", predecessor="77.77"),  # 11
            [],  # 12: blank lines are skipped, and counted
            row(code="1.13", participating_organisations="Salem"),  # 13
            row(code="", goals=""),  # 14: two problems on one line
        ]
    )

    response = upload(admin_client, plan, content)

    assert response.status_code == 200
    errors = [(error.line, error.message) for error in response.context["errors"]]
    assert errors == [
        (3, "Okänd organisation: Okända verket."),
        (4, "Okänt mål: 12. Målen har nummer 1, 2, 3, 4, 5, 6, 7, 8."),
        (5, "Okänt våldsområde: Cybervåld."),
        (6, "Numret 1.1 finns redan på rad 2."),
        (7, "Numret 9.9 finns redan i planen."),
        (8, "Titel saknas."),
        (9, "Från år är inte ett år: tjugo. Skriv fyra siffror, till exempel 2024."),
        (10, "Slutåret 2029 ligger före startåret 2030."),
        (
            11,
            "Okänd föregångare: 77.77. Ange numret på ett åtagande i en tidigare plan, "
            "eller planens slug, kolon och numret.",
        ),
        (13, "Organisationen Salem är inte aktiv."),
        (14, "Nummer saknas."),
        (14, "Mål saknas. Ange målens nummer, till exempel 1; 3."),
    ]
    page = response.content.decode()
    assert "Filen har 12 fel. Inget har sparats." in page
    assert "Okända verket" in page
    # What was wrong is shown, nothing is saved or waiting for a confirmation.
    assert list(Commitment.objects.filter(plan=plan).values_list("code", flat=True)) == ["9.9"]
    assert not admin_client.session.get(SESSION_KEY)


def test_a_predecessor_in_a_later_plan_or_a_relation_without_one_is_wrong(plan):
    later = ActionPlanFactory(start_year=2031, end_year=2033, slug="senare")
    CommitmentFactory(plan=later, code="5.5")
    rows = imports.read_table(
        csv_bytes(
            [
                HEADER,
                row(code="1", predecessor="senare:5.5"),
                row(code="2", relation="ersätter"),
                row(code="3", predecessor="", relation="kanske"),
            ]
        )
    )

    result = imports.check_rows(plan, rows)

    assert [(e.line, e.message.split(":")[0].split(".")[0]) for e in result.errors] == [
        (2, "Okänd föregångare"),
        (3, "Förhållandet gäller en föregångare, men ingen föregångare är angiven"),
        (4, "Okänt förhållande"),
    ]


# --- Bad files --------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256))


@pytest.mark.parametrize(
    "content,name,message",
    [
        (b"", "tom.xlsx", "Filen är tom."),
        (b"\n;;;\n\n", "tom.csv", "Filen är tom."),
        (PNG, "bild.xlsx", "Filen är inte ett kalkylark."),
        (
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(300),
            "program.xlsx",
            "Filen är inte ett kalkylark.",
        ),
        (b"PK\x03\x04" + bytes(100), "trasig.xlsx", "Filen är inte ett kalkylark."),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
            "gammal.xls",
            "det gamla Excel-formatet",
        ),
        (csv_bytes([HEADER]), "rubriker.csv", "Filen har bara rubrikraden."),
        (xlsx([HEADER]), "rubriker.xlsx", "Filen har bara rubrikraden."),
        (csv_bytes([["Nummer", "Rubrik"], ["1", "x"]]), "fel.csv", "Okända kolumner: Rubrik."),
        (
            csv_bytes([["Nummer", "Titel"], ["1", "x"]]),
            "fel.csv",
            "Kolumner saknas: Mål, Ansvarig organisation.",
        ),
    ],
    ids=[
        "empty",
        "blank-lines",
        "png",
        "exe",
        "broken-zip",
        "xls",
        "headers-csv",
        "headers-xlsx",
        "unknown-column",
        "missing-columns",
    ],
)
def test_a_bad_file_gets_a_clear_message_and_no_server_error(
    admin_client, plan, content, name, message
):
    response = upload(admin_client, plan, content, name)

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert not Commitment.objects.filter(plan=plan).exists()


def test_a_zip_that_is_not_a_workbook_is_not_a_spreadsheet(plan):
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("word/document.xml", "<x/>")

    with pytest.raises(imports.ImportFileError, match="inte ett kalkylark"):
        imports.read_table(output.getvalue())


def test_more_rows_than_the_limit_are_refused(plan, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    content = csv_bytes([HEADER, *[row(code=str(n)) for n in range(4)]])

    with pytest.raises(imports.ImportFileError, match="fler än 3 åtaganden"):
        imports.read_table(content)
    assert imports.read_table(csv_bytes([HEADER, *[row(code=str(n)) for n in range(3)]]))


def test_a_file_over_ten_megabytes_is_refused(plan):
    with pytest.raises(imports.ImportFileError, match="större än 10 MB"):
        imports.read_table(b"Nummer;Titel\n" + b"x" * imports.MAX_FILE_BYTES)


def test_the_import_page_takes_a_body_over_the_general_limit_but_not_over_ten_megabytes(
    admin_client, plan
):
    big = (
        b"Nummer;Titel;M\xc3\xa5l;Ansvarig organisation\n"
        + b"1;"
        + b"x" * 3_000_000
        + b";1;Polisen\n"
    )

    response = upload(admin_client, plan, big, "stor.csv")

    assert response.status_code == 200  # read and answered by the page, not refused unread
    assert response.context["errors"][0].message == "Titeln är längre än 300 tecken."
    assert (
        upload(admin_client, plan, b"x" * (imports.MAX_FILE_BYTES + 1), "för-stor.csv").status_code
        == 413
    )


@pytest.mark.parametrize(
    "formula", ["=1+2", "+SUMMA(A1:A2)", "-2+3", "@SUM(1)", '=HYPERLINK("http://x")']
)
def test_a_formula_like_cell_is_imported_as_text(plan, formula):
    for content in (
        xlsx([HEADER, row(title=formula, description=formula)]),
        csv_bytes([HEADER, row(title=formula, description=formula)]),
    ):
        result = imports.check_rows(plan, imports.read_table(content))
        assert not result.errors
        assert result.rows[0].data.title == formula
        assert result.rows[0].data.description == formula


# --- The preview id -------------------------------------------------------------------------


def test_a_made_up_or_tampered_preview_id_finds_nothing(admin_client, plan):
    url = preview_url(upload(admin_client, plan, xlsx([HEADER, row()])))
    token = url.rstrip("/").rsplit("/", 1)[-1]

    for wrong in (token[:-1] + ("A" if token[-1] != "A" else "B"), "x", "-" * 32):
        response = admin_client.post(
            reverse("actionplan:commitment-import-preview", args=[plan.pk, wrong])
        )
        assert response.status_code == 404
        assert "Granskningen finns inte längre" in response.content.decode()
    other_plan = ActionPlanFactory(start_year=2031, end_year=2033)
    response = admin_client.post(
        reverse("actionplan:commitment-import-preview", args=[other_plan.pk, token])
    )
    assert response.status_code == 404
    assert not Commitment.objects.filter(plan__in=[plan, other_plan]).exists()


def test_a_preview_id_from_another_session_finds_nothing(admin_client, client, plan):
    url = preview_url(upload(admin_client, plan, xlsx([HEADER, row()])))
    other = type(client)()
    other.force_login(UserFactory(username="admin2", is_staff=True, is_superuser=True))

    assert other.get(url).status_code == 404
    assert other.post(url).status_code == 404
    assert not Commitment.objects.filter(plan=plan).exists()


def test_an_expired_preview_asks_for_the_file_again(admin_client, plan):
    url = preview_url(upload(admin_client, plan, xlsx([HEADER, row()])))
    token = url.rstrip("/").rsplit("/", 1)[-1]
    assert cache.get(_cache_key(token))

    cache.delete(_cache_key(token))  # what the cache does after 30 minutes

    response = admin_client.post(url)
    assert response.status_code == 404
    assert reverse("actionplan:commitment-import", args=[plan.pk]) in response.content.decode()
    assert not Commitment.objects.filter(plan=plan).exists()


def test_a_change_between_preview_and_confirmation_is_caught(admin_client, plan):
    url = preview_url(upload(admin_client, plan, xlsx([HEADER, row(), row(code="1.2")])))
    CommitmentFactory(plan=plan, code="1.2")  # somebody else, meanwhile

    response = admin_client.post(url)

    assert response.status_code == 200
    assert [(e.line, e.message) for e in response.context["errors"]] == [
        (3, "Numret 1.2 finns redan i planen.")
    ]
    assert list(Commitment.objects.filter(plan=plan).values_list("code", flat=True)) == ["1.2"]


# --- The template ---------------------------------------------------------------------------


def test_the_xlsx_template_has_the_columns_an_example_and_no_formula(admin_client, plan):
    response = admin_client.get(reverse("actionplan:import-template", args=["xlsx"]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="mall-ataganden.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    cells = [cell for line in workbook.active.iter_rows() for cell in line]
    assert [cell.value for cell in next(workbook.active.iter_rows())] == HEADER
    assert not [cell for cell in cells if cell.data_type == "f"]
    # The example fills in as it is.
    result = imports.check_rows(plan, imports.read_table(response.content))
    assert not result.errors and len(result.rows) == 1


def test_the_csv_template_opens_in_excel_and_reads_back(admin_client, plan):
    response = admin_client.get(reverse("actionplan:import-template", args=["csv"]))

    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf" + b"Nummer;Titel")
    result = imports.check_rows(plan, imports.read_table(response.content))
    assert not result.errors and len(result.rows) == 1


def test_an_unknown_template_format_is_404(admin_client):
    assert admin_client.get(reverse("actionplan:import-template", args=["pdf"])).status_code == 404


# --- Many rows ---------------------------------------------------------------------------------


def test_five_thousand_rows_are_imported_in_seconds(admin_client, plan, capsys):
    rows = [HEADER] + [
        row(code=f"{n // 100}.{n % 100}", title=f"Åtagande nummer {n}") for n in range(5000)
    ]
    content = xlsx(rows)

    started = time.monotonic()
    url = preview_url(upload(admin_client, plan, content))
    previewed = time.monotonic()
    response = admin_client.post(url)
    saved = time.monotonic()

    assert response.status_code == 302
    assert Commitment.objects.filter(plan=plan).count() == 5000
    assert (
        CommitmentGroupObjectPermission.objects.filter(content_object__plan=plan).count() == 15000
    )
    with capsys.disabled():
        print(
            f"\n5,000-row XLSX import ({len(content) / 1e6:.1f} MB): upload and check "
            f"{previewed - started:.1f} s, confirm and save {saved - previewed:.1f} s"
        )


# --- The command ----------------------------------------------------------------------------


def test_the_command_imports_a_file_by_plan_slug(plan, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_bytes(csv_bytes([HEADER, row(), row(code="1.2")]))
    output = io.StringIO()

    call_command("import_commitments", "hp-2028", str(path), stdout=output)

    assert "2 åtaganden har sparats i Handlingsplan 2028–2030" in output.getvalue()
    assert Commitment.objects.filter(plan=plan).count() == 2


def test_the_command_dry_run_saves_nothing_and_finds_the_plan_by_title_or_id(plan, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(xlsx([HEADER, row()]))
    for reference in ("handlingsplan 2028–2030", str(plan.pk)):
        output = io.StringIO()
        call_command("import_commitments", reference, str(path), "--dry-run", stdout=output)
        assert "1 åtaganden kan importeras" in output.getvalue()
    assert not Commitment.objects.filter(plan=plan).exists()


def test_the_command_prints_every_error_and_fails(plan, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_bytes(
        csv_bytes([HEADER, row(lead_organisation="Nobody"), row(code="1.2", goals="9")])
    )
    errors = io.StringIO()

    with pytest.raises(CommandError, match="2 fel. Inget har sparats."):
        call_command("import_commitments", "hp-2028", str(path), stderr=errors)

    assert errors.getvalue().splitlines() == [
        "Rad 2: Okänd organisation: Nobody.",
        "Rad 3: Okänt mål: 9. Målen har nummer 1, 2, 3, 4, 5, 6, 7, 8.",
    ]
    assert not Commitment.objects.filter(plan=plan).exists()


@pytest.mark.parametrize("reference", ["no-such-plan", "999999"])
def test_the_command_refuses_an_unknown_plan_or_a_bad_file(plan, tmp_path, reference):
    path = tmp_path / "bild.xlsx"
    path.write_bytes(PNG)

    with pytest.raises(CommandError, match="Ingen handlingsplan"):
        call_command("import_commitments", reference, str(path))
    with pytest.raises(CommandError, match="inte ett kalkylark"):
        call_command("import_commitments", "hp-2028", str(path))
    with pytest.raises(CommandError, match="saknas.csv"):
        call_command("import_commitments", "hp-2028", str(tmp_path / "saknas.csv"))


def test_an_import_is_one_entry_in_the_audit_log_with_who_and_what(admin_client, plan):
    url = preview_url(upload(admin_client, plan, xlsx([HEADER, row(), row(code="1.2")])))
    admin_client.post(url)

    [entry] = LogEntry.objects.filter(additional_data__event="commitment_import")
    assert entry.actor.username == "admin"
    assert (entry.object_pk, entry.additional_data["count"]) == (str(plan.pk), 2)
    assert entry.additional_data["codes"] == "1.1, 1.2"
    page = admin_client.get(reverse("actors:audit-log"), {"kind": "commitment_import"})
    assert "Import av åtaganden" in page.content.decode()
