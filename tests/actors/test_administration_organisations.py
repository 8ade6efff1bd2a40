"""Administrators add, rename, deactivate and reactivate organisations in the portal."""

import pytest
from django.test import Client
from django.urls import reverse

from actors.models import Organisation
from actors.services import membership_grant, organisation_create
from followup.overview import owed_reports
from tests.factories import CommitmentFactory, OrganisationFactory, UserFactory
from tests.personas import open_period

pytestmark = pytest.mark.django_db

JUNK = ["", "abc", "-1", "1e309", "99999999999999999999", "' OR 1=1 --", "<script>", "\x00"]


@pytest.fixture
def administrator(client):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


def new_organisation(**fields):
    return {
        "name": "Försäkringskassan Stockholm",
        "short_name": "FK Sthlm",
        "kind": "state_agency",
        "affiliation": "partner",
        "municipality_code": "",
        "contact_email": "",
    } | fields


def test_an_administrator_adds_a_partner_whose_slug_follows_from_the_short_name(administrator):
    response = administrator.post(reverse("actors:organisation-create"), new_organisation())

    organisation = Organisation.objects.get(name="Försäkringskassan Stockholm")
    assert response.status_code == 302
    assert response["Location"] == reverse("followup:organisation-detail", args=[organisation.pk])
    assert organisation.slug == "fk-sthlm"
    assert organisation.affiliation == Organisation.Affiliation.PARTNER
    assert organisation.is_active


def test_the_add_form_never_shows_a_slug(administrator):
    response = administrator.get(reverse("actors:organisation-create"))

    assert response.status_code == 200
    assert "slug" not in response.content.decode().lower()


def test_a_slug_already_taken_gets_a_number():
    OrganisationFactory(slug="polisen-syd", short_name="Polisen syd", name="Polisen syd")
    first = organisation_create(
        name="Polisen Syd AB", short_name="Polisen-syd", kind="state_agency", affiliation="partner"
    )
    second = organisation_create(
        name="Polisen Syd två",
        short_name="Polisen  syd!",
        kind="state_agency",
        affiliation="partner",
    )

    assert (first.slug, second.slug) == ("polisen-syd-2", "polisen-syd-3")


def test_a_municipality_is_added_with_its_code(administrator):
    data = new_organisation(
        name="Nya kommunen", short_name="Nya", kind="municipality", municipality_code="0199"
    )

    response = administrator.post(reverse("actors:organisation-create"), data)

    assert response.status_code == 302
    assert Organisation.objects.get(short_name="Nya").municipality_code == "0199"


@pytest.mark.parametrize(
    "fields,field,message",
    [
        ({"name": "Polismyndigheten, polisregion Stockholm"}, "name", "redan en organisation"),
        ({"short_name": "Polisen"}, "short_name", "redan en organisation med det kortnamnet"),
        ({"kind": "municipality"}, "municipality_code", "Ange kommunkoden"),
        ({"kind": "municipality", "municipality_code": "12a"}, "municipality_code", "fyra siffror"),
        ({"kind": "municipality", "municipality_code": "1480"}, "municipality_code", "börja på 01"),
        (
            {"kind": "municipality", "municipality_code": "0180"},
            "municipality_code",
            "används redan",
        ),
        ({"municipality_code": "0199"}, "municipality_code", "Bara kommuner"),
        ({"name": ""}, "name", "Detta fält måste fyllas i"),
        ({"kind": "planet"}, "kind", "Välj ett giltigt alternativ"),
        ({"contact_email": "inte en adress"}, "contact_email", "giltig e-postadress"),
    ],
)
def test_the_add_form_explains_mistakes_in_swedish_beside_the_field(
    administrator, fields, field, message
):
    data = new_organisation(**fields)

    response = administrator.post(reverse("actors:organisation-create"), data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors[field]), errors
    # What was typed is kept.
    assert response.context["form"]["name"].value() == data["name"]
    assert not Organisation.objects.filter(short_name="FK Sthlm").exists()


@pytest.mark.parametrize("junk", JUNK)
@pytest.mark.parametrize(
    "field", ["name", "short_name", "kind", "affiliation", "municipality_code"]
)
def test_the_organisation_form_answers_junk_without_a_server_error(administrator, field, junk):
    response = administrator.post(
        reverse("actors:organisation-create"), new_organisation(**{field: junk})
    )

    assert response.status_code in (200, 302)


def test_renaming_keeps_the_slug_and_changes_the_names(administrator):
    organisation = Organisation.objects.get(short_name="Polisen")
    data = new_organisation(
        name="Polismyndigheten, region Stockholm", short_name="Polisen Sthlm", affiliation="member"
    )

    response = administrator.post(
        reverse("actors:organisation-update", args=[organisation.pk]), data
    )

    organisation.refresh_from_db()
    assert response.status_code == 302
    assert (organisation.name, organisation.short_name, organisation.slug) == (
        "Polismyndigheten, region Stockholm",
        "Polisen Sthlm",
        "polisen",
    )


def test_a_refused_rename_shows_the_old_name_in_the_heading(administrator):
    organisation = Organisation.objects.get(short_name="Polisen")

    response = administrator.post(
        reverse("actors:organisation-update", args=[organisation.pk]),
        new_organisation(name="Kriminalvården"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert "Ändra Polismyndigheten, polisregion Stockholm" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.name == "Polismyndigheten, polisregion Stockholm"


def test_the_deactivation_page_says_what_follows_before_anything_changes(administrator):
    organisation = OrganisationFactory()
    membership_grant(user=UserFactory(), organisation=organisation, role="coordinator")

    response = administrator.get(reverse("actors:organisation-deactivate", args=[organisation.pk]))

    page = response.content.decode()
    assert "behåller den sin historik och sina rapporter" in page
    assert "får inga påminnelser" in page
    assert "förlorar dess 1 person sina roller" in page
    organisation.refresh_from_db()
    assert organisation.is_active


def test_deactivating_an_organisation_takes_its_people_s_access_on_their_next_request(
    administrator,
):
    period = open_period()
    organisation = OrganisationFactory(slug="kvarnby")
    commitment = CommitmentFactory(
        lead_organisation=organisation, start_year=period.year - 1, end_year=period.year + 1
    )
    coordinator = UserFactory()
    membership_grant(user=coordinator, organisation=organisation, role="coordinator")
    coordinator_client = Client()
    coordinator_client.force_login(coordinator)
    report_form = reverse("followup:report-edit", args=[commitment.pk, "kvarnby"])
    assert coordinator_client.get(report_form).status_code == 200

    response = administrator.post(reverse("actors:organisation-deactivate", args=[organisation.pk]))

    organisation.refresh_from_db()
    assert response.status_code == 302
    assert not organisation.is_active
    assert coordinator_client.get(report_form).status_code in (403, 404)
    assert not {pair for pair in owed_reports(period) if pair[1] == organisation.pk}
    # The membership stays: reactivating gives the access back.
    administrator.post(reverse("actors:organisation-reactivate", args=[organisation.pk]))
    assert coordinator_client.get(report_form).status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "actors:organisation-update",
        "actors:organisation-deactivate",
        "followup:organisation-detail",
    ],
)
def test_an_organisation_that_does_not_exist_answers_404(administrator, name):
    assert administrator.get(reverse(name, args=[99999999])).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"kind": "municipality"},
        {"affiliation": "partner"},
        {"active": "nej"},
        {"q": "0180"},
    ],
)
def test_the_list_filters_organisations(administrator, query):
    OrganisationFactory(name="Nedlagda myndigheten", is_active=False)

    response = administrator.get(reverse("actors:organisation-list"), query)

    names = {organisation.name for organisation in response.context["object_list"]}
    expected = {
        "kind": {"Huddinge kommun", "Stockholms stad"},
        "affiliation": {"Försäkringskassan", "Arbetsförmedlingen"},
        "active": {"Nedlagda myndigheten"},
        "q": {"Stockholms stad"},
    }[next(iter(query))]
    assert expected <= names
    if "kind" in query:
        assert "Polismyndigheten, polisregion Stockholm" not in names
        assert response.context["paginator"].count == 26
    else:
        assert names == expected


@pytest.mark.parametrize("junk", JUNK + ["ä" * 5000])
@pytest.mark.parametrize("parameter", ["q", "kind", "affiliation", "active", "page"])
def test_the_organisation_list_answers_junk_filters_without_a_server_error(
    administrator, parameter, junk
):
    response = administrator.get(reverse("actors:organisation-list"), {parameter: junk})

    assert response.status_code in (200, 404)


@pytest.mark.parametrize("size", [1, 60])
def test_the_organisation_list_runs_a_constant_number_of_queries(
    administrator, django_assert_num_queries, size
):
    for _number in range(size):
        organisation = OrganisationFactory()
        membership_grant(user=UserFactory(), organisation=organisation, role="colleague")

    with django_assert_num_queries(5):
        response = administrator.get(reverse("actors:organisation-list"))

    assert response.status_code == 200
    assert len(response.context["object_list"]) == min(50, 34 + size)


def test_the_administration_start_page_leads_to_organisations_and_people(administrator):
    response = administrator.get(reverse("actors:administration"))

    page = response.content.decode()
    assert f'href="{reverse("actors:organisation-list")}"' in page
    assert f'href="{reverse("actors:person-list")}"' in page
