"""Progress reports as a file: what visible_to lets the person read, filtered; drafts never leak."""

import pytest
from django.urls import reverse

from followup.models import ProgressReport, ReportState
from tests.export_helpers import read
from tests.factories import ProgressReportFactory, ReportingPeriodFactory
from tests.personas import build_world

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "xlsx"]
DRAFT_TEXT = "Hemligt utkast som bara A får läsa"


@pytest.fixture
def world():
    world = build_world()
    ProgressReport.objects.filter(pk=world.a_draft.pk).update(work_done=DRAFT_TEXT)
    ProgressReport.objects.filter(pk=world.a_submitted.pk).update(
        work_done='=HYPERLINK("http://example.org")', obstacles="@SUM(A1)", results="-1+2"
    )
    return world


def _export(client, export_format="csv", **filters):
    return client.get(reverse("followup:report-export"), {"format": export_format, **filters})


def _work_done(rows) -> set[str]:
    column = rows[0].index("Vad har gjorts")
    return {row[column] for row in rows[1:]}


def _keys(rows) -> set[tuple[str, str]]:
    return {(row[0], row[3]) for row in rows[1:]}


@pytest.mark.parametrize("export_format", FORMATS)
@pytest.mark.parametrize("persona", ["county_staff", "county_coordinator", "administrator"])
def test_county_staff_and_administrators_get_every_report_sent_in_but_no_draft(
    client, world, persona, export_format
):
    client.force_login(world.users[persona])

    rows = read(_export(client, export_format), export_format)

    assert _keys(rows) == {
        (world.commitment.code, "Myndighet A"),
        (world.b_commitment.code, "Myndighet B"),
    }
    assert DRAFT_TEXT not in _work_done(rows)


@pytest.mark.parametrize("export_format", FORMATS)
def test_a_coordinator_gets_their_organisations_reports_drafts_included(
    client, world, export_format
):
    client.force_login(world.users["coordinator_a"])

    rows = read(_export(client, export_format), export_format)

    assert _keys(rows) == {
        (world.commitment.code, "Myndighet A"),
        (world.other_commitment.code, "Myndighet A"),
    }
    assert DRAFT_TEXT in _work_done(rows)


@pytest.mark.parametrize("persona", ["coordinator_b", "delegate", "staff_only"])
def test_others_never_get_a_draft_of_another_organisation(client, world, persona):
    client.force_login(world.users[persona])

    rows = read(_export(client), "csv")

    assert DRAFT_TEXT not in _work_done(rows)
    assert world.other_commitment.code not in {row[0] for row in rows[1:]}


def test_visitors_are_sent_to_log_in(client, world):
    response = _export(client)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("export_format", FORMATS)
def test_report_texts_that_look_like_formulas_are_never_run(client, world, export_format):
    client.force_login(world.users["county_staff"])

    rows = read(_export(client, export_format), export_format)

    report = next(row for row in rows if row[0] == world.commitment.code)
    header = rows[0]
    assert report[header.index("Vad har gjorts")] == '\'=HYPERLINK("http://example.org")'
    assert report[header.index("Hinder")] == "'@SUM(A1)"
    assert report[header.index("Resultat")] == "'-1+2"
    assert report[header.index("Läge")] == "Inskickad"
    assert report[header.index("Status")] == "Enligt plan"


def test_the_export_filters_by_period_organisation_and_state(client, world):
    older = ReportingPeriodFactory(year=world.period.year - 3)
    ProgressReportFactory(
        commitment=world.b_commitment,
        organisation=world.b_submitted.organisation,
        period=older,
        state=ReportState.APPROVED,
    )
    client.force_login(world.users["county_staff"])
    year_column = 4

    everything = read(_export(client), "csv")
    this_year = read(_export(client, period=world.period.year), "csv")
    approved = read(_export(client, state="approved"), "csv")
    of_a = read(_export(client, organisation=world.a_submitted.organisation.pk), "csv")

    assert len(everything) == 1 + 3
    assert {row[year_column] for row in this_year[1:]} == {str(world.period.year)}
    assert [(row[0], row[year_column]) for row in approved[1:]] == [
        (world.b_commitment.code, str(older.year))
    ]
    assert _keys(of_a) == {(world.commitment.code, "Myndighet A")}


def test_filtering_by_the_draft_state_shows_county_staff_nothing(client, world):
    client.force_login(world.users["county_staff"])

    assert read(_export(client, state="draft"), "csv")[1:] == []


def test_the_export_page_shows_the_filters_and_how_many_reports_match(client, world):
    client.force_login(world.users["county_staff"])

    response = client.get(reverse("followup:report-export"), {"state": "submitted"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "2 rapporter matchar filtret." in html
    assert 'name="format" value="xlsx"' in html
    assert "Content-Disposition" not in response


def test_the_review_queue_links_to_the_export(client, world):
    client.force_login(world.users["county_staff"])

    html = client.get(reverse("followup:review-queue")).content.decode()

    assert f'href="{reverse("followup:report-export")}"' in html


@pytest.mark.parametrize(
    "query",
    [
        {"format": "docx"},
        {"format": "csv", "period": "abc"},
        {"format": "csv", "period": "1999"},
        {"format": "xlsx", "state": "deleted"},
        {"format": "csv", "organisation": "' OR 1=1 --"},
    ],
)
def test_junk_parameters_answer_400_not_a_server_error(client, world, query):
    client.force_login(world.users["county_staff"])

    response = client.get(reverse("followup:report-export"), query)

    assert response.status_code == 400
    assert "Content-Disposition" not in response


def test_junk_filters_on_the_page_show_the_form_again(client, world):
    client.force_login(world.users["county_staff"])

    response = client.get(reverse("followup:report-export"), {"period": "abc"})

    assert response.status_code == 200
    assert "Det finns fel i formuläret" in response.content.decode()


@pytest.mark.parametrize("size", [1, 40])
def test_the_export_reads_in_a_constant_number_of_queries(client, django_assert_num_queries, size):
    world = build_world()
    for _number in range(size):
        ProgressReportFactory(
            commitment__lead_organisation=world.a_draft.organisation,
            period=world.period,
            state=ReportState.SUBMITTED,
        )
    client.force_login(world.users["county_staff"])

    # The session, the person, their roles, the count and the reports.
    with django_assert_num_queries(5):
        response = _export(client, "xlsx")

    assert len(read(response, "xlsx")) == 1 + 2 + size
