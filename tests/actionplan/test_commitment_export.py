"""The public commitment list as a file: the same filters and search, public data only."""

import pytest
from django.urls import reverse

from actionplan.models import Commitment, ViolenceArea
from actors import exports
from tests.export_helpers import read
from tests.factories import CommitmentFactory, OrganisationFactory, UserFactory, shipped_goal

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "xlsx"]
HEADERS = [
    "Nummer",
    "Titel",
    "Handlingsplan",
    "Mål",
    "Våldsområden",
    "Ansvarig organisation",
    "Medverkande organisationer",
    "Från år",
    "Till och med år",
    "Status",
]


@pytest.fixture
def commitments():
    lead = OrganisationFactory(name="Ledande myndigheten")
    partner = OrganisationFactory(name="Partnern")
    joint = CommitmentFactory(
        code="1.1",
        title="Gemensam utbildning",
        lead_organisation=lead,
        participating_organisations=[partner],
        goals=[shipped_goal(3), shipped_goal(1)],
        violence_areas=ViolenceArea.objects.order_by("position")[:2],
    )
    own = CommitmentFactory(
        code="1.2", title="=1+1", lead_organisation=partner, state=Commitment.State.PLANNED
    )
    other = CommitmentFactory(code="1.3", title="@SUM(A1)", description="-stöd till +många")
    return {"joint": joint, "own": own, "other": other, "lead": lead, "partner": partner}


def _export(client, export_format="csv", **filters):
    return client.get(reverse("actionplan:commitment-export"), {"format": export_format, **filters})


@pytest.mark.parametrize("export_format", FORMATS)
def test_a_visitor_downloads_every_commitment_with_its_public_facts(
    client, commitments, export_format
):
    joint = commitments["joint"]

    rows = read(_export(client, export_format), export_format)

    assert rows[0] == HEADERS
    assert len(rows) == 1 + 3
    years = [2024, 2027] if export_format == "xlsx" else ["2024", "2027"]
    assert [row for row in rows if row[0] == "1.1"] == [
        [
            "1.1",
            "Gemensam utbildning",
            joint.plan.title,
            "1, 3",
            ", ".join(sorted(area.name for area in joint.violence_areas.all())),
            "Ledande myndigheten",
            "Partnern",
            *years,
            "Pågående",
        ]
    ]


@pytest.mark.parametrize("export_format", FORMATS)
def test_titles_that_look_like_formulas_are_never_run(client, commitments, export_format):
    rows = read(_export(client, export_format), export_format)

    titles = {row[0]: row[1] for row in rows[1:]}
    assert titles["1.2"] == "'=1+1"
    assert titles["1.3"] == "'@SUM(A1)"


@pytest.mark.parametrize(
    "filters,codes",
    [
        ({"q": "gemensam"}, {"1.1"}),
        ({"state": "planned"}, {"1.2"}),
        ({"goal": "__goal3__"}, {"1.1"}),
        ({"organisation": "__partner__"}, {"1.1", "1.2"}),  # led by it, or taking part
        ({"organisation": "__partner__", "q": "1+1"}, {"1.2"}),
    ],
)
def test_the_download_keeps_the_lists_filters_and_search(client, commitments, filters, codes):
    values = {
        "__goal3__": shipped_goal(3).pk,
        "__partner__": commitments["partner"].pk,
    }
    query = {name: values.get(value, value) for name, value in filters.items()}

    rows = read(_export(client, **query), "csv")

    assert {row[0] for row in rows[1:]} == codes


def test_the_list_links_to_both_downloads_with_its_current_filters(client, commitments):
    response = client.get(
        reverse("actionplan:commitment-list"), {"q": "utbildning", "state": "active", "page": "1"}
    )

    html = response.content.decode()
    base = reverse("actionplan:commitment-export")
    assert f'href="{base}?q=utbildning&amp;state=active&amp;format=csv"' in html
    assert f'href="{base}?q=utbildning&amp;state=active&amp;format=xlsx"' in html
    assert "Ladda ner som CSV" in html and "Ladda ner som Excel" in html


def test_signed_in_people_get_the_same_public_file(client, commitments):
    anonymous = _export(client).content
    client.force_login(UserFactory())

    assert _export(client).content == anonymous


@pytest.mark.parametrize(
    "query",
    [
        {"format": "pdf"},
        {"format": "CSV"},
        {"format": "csv", "plan": "abc"},
        {"format": "csv", "state": "<script>"},
        {"format": "xlsx", "goal": "99999999999999999999"},
    ],
)
def test_junk_parameters_answer_400_not_a_server_error(client, commitments, query):
    response = client.get(reverse("actionplan:commitment-export"), query)

    assert response.status_code == 400
    assert "Content-Disposition" not in response


def test_a_selection_larger_than_a_file_holds_is_refused(client, commitments, monkeypatch):
    monkeypatch.setattr(exports, "MAX_ROWS", 2)

    assert _export(client).status_code == 400
    assert read(_export(client, q="gemensam"), "csv")[1][0] == "1.1"


def _add_joint_commitments(count):
    lead, partner = OrganisationFactory(), OrganisationFactory()
    areas = list(ViolenceArea.objects.all()[:2])
    for number in range(count):
        commitment = CommitmentFactory(
            lead_organisation=lead,
            participating_organisations=[partner],
            goals=[shipped_goal(1 + number % 8), shipped_goal(1 + (number + 3) % 8)],
        )
        commitment.violence_areas.set(areas)


@pytest.mark.parametrize("size", [1, 40])
@pytest.mark.parametrize("export_format", FORMATS)
def test_the_export_reads_in_a_constant_number_of_queries(
    client, django_assert_num_queries, size, export_format
):
    _add_joint_commitments(size)

    # The count, the commitments, their goals, violence areas and participants.
    with django_assert_num_queries(5):
        response = _export(client, export_format)

    assert len(read(response, export_format)) == 1 + size
