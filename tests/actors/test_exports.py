"""Exports: the common module (actors.exports) and the administrators' organisations and people."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actors import exports
from actors.models import Membership, Organisation
from actors.services import membership_grant
from tests.export_helpers import read, read_csv, read_xlsx
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "xlsx"]
FORMULAS = ["=1+1", "@SUM(A1)", "+46 8 123", "-2+3", "\t=1+1", "\r=1+1", "  =1+1", "＝1+1"]


# --- the module ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", FORMULAS)
def test_a_text_that_a_spreadsheet_would_run_gets_a_leading_apostrophe(text):
    assert exports.neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["Huddinge", "1+1=2", "e-post@example.org", "Ärende – klart", ""])
def test_ordinary_text_is_left_as_it_is(text):
    assert exports.neutralise(text) == text


def test_numbers_dates_and_missing_values_stay_cells_of_their_kind():
    day = datetime.date(2026, 11, 26)
    moment = datetime.datetime(2026, 11, 26, 8, 30, tzinfo=datetime.UTC)

    assert exports.neutralise(-5) == -5
    assert exports.neutralise(day) == day
    assert exports.neutralise(None) == ""
    # Local time (Stockholm), as the pages show it: spreadsheets have no time zones.
    assert exports.neutralise(moment) == "2026-11-26 09:30"


def test_control_characters_that_xlsx_cannot_hold_are_dropped():
    assert exports.neutralise("a\x00b\x0bc\nd\te") == "abc\nd\te"


def _dataset_with_formulas():
    return exports.build_dataset(["Text", "Tal"], [[text, 7] for text in FORMULAS], "Test")


def test_no_csv_cell_starts_a_formula_and_the_file_opens_in_excel():
    content = exports.render_dataset(_dataset_with_formulas(), "csv")

    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte order mark
    assert content.splitlines()[0] == '\ufeff"Text","Tal"'.encode()  # every field quoted

    class Response:
        pass

    response = Response()
    response.content = content
    rows = read_csv(response)
    assert [row[0] for row in rows[1:]] == ["'" + text for text in FORMULAS]


def test_no_xlsx_cell_is_a_formula_and_texts_are_text():
    class Response:
        content = exports.render_dataset(_dataset_with_formulas(), "xlsx")

    rows = read_xlsx(Response())  # fails on any formula cell

    assert rows[0] == ["Text", "Tal"]
    # (Python's XML parser reads a carriage return back as a line feed, lxml keeps it.)
    assert [row[0].replace("\r", "\n") for row in rows[1:]] == [
        "'" + text.replace("\r", "\n") for text in FORMULAS
    ]
    assert {row[1] for row in rows[1:]} == {7}


# --- the administrators' exports -------------------------------------------------------------


@pytest.fixture
def administrator(client):
    user = UserFactory(
        username="administrator",
        first_name="Ada",
        last_name="Admin",
        is_staff=True,
        is_superuser=True,
    )
    client.force_login(user)
    return user


def _get(client, name, export_format="csv", **filters):
    return client.get(reverse(name), {"format": export_format, **filters})


@pytest.mark.parametrize("export_format", FORMATS)
def test_the_organisation_export_holds_every_organisation_filtered_as_asked(
    client, administrator, export_format
):
    rows = read(
        _get(client, "actors:organisation-export", export_format, kind="municipality"),
        export_format,
    )

    assert rows[0] == [
        "Namn",
        "Kortnamn",
        "Typ",
        "Roll i samverkan",
        "Kommunkod",
        "Funktionsadress",
        "Aktiv",
    ]
    assert len(rows) == 1 + 26
    assert {row[2] for row in rows[1:]} == {"Kommun"}
    huddinge = next(row for row in rows if row[4] == "0126")
    assert huddinge == [
        "Huddinge kommun",
        "Huddinge",
        "Kommun",
        "Företrädd av Storsthlm",
        "0126",
        "",
        "ja",
    ]


def test_the_organisation_export_answers_the_search_and_the_active_filter(client, administrator):
    OrganisationFactory(name='=HYPERLINK("http://x")', short_name="Formel", is_active=False)

    active = read(_get(client, "actors:organisation-export", q="hyperlink", active="ja"), "csv")
    inactive = read(_get(client, "actors:organisation-export", q="hyperlink", active="nej"), "csv")

    assert len(active) == 1
    assert inactive[1][0] == '\'=HYPERLINK("http://x")'
    assert inactive[1][6] == "nej"


def test_the_file_is_named_in_swedish_with_the_day(client, administrator):
    response = _get(client, "actors:organisation-export", "xlsx")

    day = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="organisationer-{day}.xlsx"'
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.fixture
def people():
    a = OrganisationFactory(name="Myndighet A")
    b = OrganisationFactory(name="Myndighet B")
    anna = UserFactory(username="anna.user", first_name="Anna", last_name="Andersson")
    membership_grant(user=anna, organisation=a, role=Membership.Role.COORDINATOR)
    membership_grant(user=anna, organisation=b, role=Membership.Role.COLLEAGUE)
    bo = UserFactory(username="bo.user", first_name="Bo", last_name="Berg")
    membership_grant(user=bo, organisation=b, role=Membership.Role.COORDINATOR)
    UserFactory(username="cecilia.user", first_name="Cecilia", last_name="Carlsson")
    UserFactory(username="gone.user", first_name="Gone", last_name="Gone", is_active=False)
    return {"a": a, "b": b}


@pytest.mark.parametrize("export_format", FORMATS)
def test_the_person_export_holds_names_organisations_and_roles_only(
    client, administrator, people, export_format
):
    response = _get(client, "actors:person-export", export_format)
    rows = read(response, export_format)

    assert rows[0] == ["Förnamn", "Efternamn", "Organisation", "Roll"]
    assert ["Anna", "Andersson", "Myndighet A", "Samordnare"] in rows
    assert ["Anna", "Andersson", "Myndighet B", "Medarbetare"] in rows
    assert ["Bo", "Berg", "Myndighet B", "Samordnare"] in rows
    assert ["Cecilia", "Carlsson", "", ""] in rows  # no organisation yet
    assert not any(row[0] == "Gone" for row in rows)  # deactivated: no role any more
    if export_format == "csv":
        text = response.content.decode("utf-8-sig")
        assert "anna.user" not in text and "@example.org" not in text


def test_the_person_export_filters_by_organisation_and_role_on_one_membership(
    client, administrator, people
):
    coordinators_at_b = read(
        _get(client, "actors:person-export", organisation=people["b"].pk, role="coordinator"),
        "csv",
    )
    at_b = read(_get(client, "actors:person-export", organisation=people["b"].pk), "csv")
    searched = read(_get(client, "actors:person-export", q="berg"), "csv")

    # Anna is a coordinator, but not at B.
    assert coordinators_at_b[1:] == [["Bo", "Berg", "Myndighet B", "Samordnare"]]
    assert sorted(row[0] for row in at_b[1:]) == ["Anna", "Bo"]
    assert ["Anna", "Andersson", "Myndighet A", "Samordnare"] not in at_b
    assert searched[1:] == [["Bo", "Berg", "Myndighet B", "Samordnare"]]


@pytest.mark.parametrize("name", ["actors:organisation-export", "actors:person-export"])
@pytest.mark.parametrize("persona", ["coordinator", "county_staff", "staff_only"])
def test_only_administrators_export_organisations_and_people(client, people, name, persona):
    user = UserFactory(username=persona, is_staff=persona == "staff_only")
    if persona != "staff_only":
        membership_grant(user=user, organisation=people["a"], role=persona)
    client.force_login(user)

    assert _get(client, name).status_code == 403


@pytest.mark.parametrize("name", ["actors:organisation-export", "actors:person-export"])
def test_visitors_are_sent_to_log_in(client, name):
    response = _get(client, name)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


ORGANISATIONS, PEOPLE = "actors:organisation-export", "actors:person-export"


@pytest.mark.parametrize(
    "name,query",
    [
        *[(name, {"format": "pdf"}) for name in (ORGANISATIONS, PEOPLE)],
        *[(name, {"format": "../../etc/passwd"}) for name in (ORGANISATIONS, PEOPLE)],
        *[(name, {"format": ""}) for name in (ORGANISATIONS, PEOPLE)],
        (ORGANISATIONS, {"format": "csv", "kind": "castle"}),
        (ORGANISATIONS, {"format": "xlsx", "affiliation": "king"}),
        (PEOPLE, {"format": "csv", "organisation": "abc"}),
        (PEOPLE, {"format": "xlsx", "role": "king"}),
    ],
)
def test_junk_parameters_answer_400_with_a_page_not_a_file(client, administrator, name, query):
    response = client.get(reverse(name), query)

    assert response.status_code == 400
    assert "Content-Disposition" not in response
    assert "Filen kunde inte skapas" in response.content.decode()


def test_a_selection_larger_than_a_file_holds_is_refused_with_the_reason(
    client, administrator, monkeypatch
):
    monkeypatch.setattr(exports, "MAX_ROWS", 5)

    response = _get(client, "actors:organisation-export")

    assert response.status_code == 400
    assert "Avgränsa urvalet" in response.content.decode()
    monkeypatch.setattr(exports, "MAX_ROWS", Organisation.objects.count())
    assert _get(client, "actors:organisation-export").status_code == 200


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["actors:organisation-export", "actors:person-export"])
def test_the_administrators_exports_read_in_a_constant_number_of_queries(
    client, administrator, people, name, django_assert_num_queries
):
    url = reverse(name) + "?format=xlsx"
    client.get(url)  # the session's first write after signing in is not the export's
    few = _queries(client, url)
    for _number in range(30):
        organisation = OrganisationFactory()
        membership_grant(user=UserFactory(), organisation=organisation, role="coordinator")

    with django_assert_num_queries(few):
        response = client.get(url)

    assert len(read(response, "xlsx")) > 30


def test_a_file_holds_every_commitment_in_the_country_but_fewer_rows_when_wide():
    # 15,000 commitments of 10 columns at national scale; a progress report has 15.
    assert exports.max_rows(10) == 20_000
    assert exports.max_rows(15) == 13_333
    assert exports.max_rows(4) == 20_000
