"""The admin is the portal's technical administration: its name, no technical fields to edit."""

import pytest
from django.urls import reverse

from actionplan.models import ActionPlan, ViolenceArea
from actors.admin import unique_slug
from actors.models import Organisation
from tests.factories import CommitmentFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

MEMBERSHIPS_INLINE = {
    "memberships-TOTAL_FORMS": "0",
    "memberships-INITIAL_FORMS": "0",
    "memberships-MIN_NUM_FORMS": "0",
    "memberships-MAX_NUM_FORMS": "1000",
}


@pytest.fixture
def administrator(client):
    user = UserFactory(username="administrator", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_the_admin_carries_the_portals_name_not_djangos(client, administrator):
    html = client.get(reverse("admin:index")).content.decode()

    assert "Operation Kvinnofrid – teknisk administration" in html
    assert "<title>Teknisk administration | Uppföljningsportalen</title>" in html
    assert "Django" not in html.split("<body")[1].split("</header>")[0]


def test_the_admin_name_is_english_for_english_readers(client, administrator):
    html = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Operation Kvinnofrid – technical administration" in html


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:actors_organisation_add",
        "admin:actionplan_actionplan_add",
        "admin:actionplan_violencearea_add",
    ],
)
def test_no_add_form_asks_for_a_slug(client, administrator, url_name):
    html = client.get(reverse(url_name)).content.decode()

    assert 'name="slug"' not in html
    assert "Slug" not in html


def test_a_new_organisations_slug_is_made_from_its_short_name_and_never_changes(
    client, administrator
):
    OrganisationFactory(slug="angby-vard")
    data = {
        "name": "Ängby vårdcentral",
        "short_name": "Ängby vård",
        "kind": "state_agency",
        "affiliation": "partner",
        "municipality_code": "",
        "contact_email": "",
        "is_active": "on",
    } | MEMBERSHIPS_INLINE

    response = client.post(reverse("admin:actors_organisation_add"), data)

    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Ängby vårdcentral")
    assert organisation.slug == "angby-vard-2"  # the first is taken
    change = reverse("admin:actors_organisation_change", args=[organisation.pk])
    assert 'name="slug"' not in client.get(change).content.decode()
    client.post(change, data | {"short_name": "Ängby"})
    organisation.refresh_from_db()
    assert (organisation.short_name, organisation.slug) == ("Ängby", "angby-vard-2")


def test_plans_and_violence_areas_get_slugs_from_their_names(client, administrator):
    strategy = ActionPlan.objects.first().strategy
    client.post(
        reverse("admin:actionplan_actionplan_add"),
        {
            "strategy": strategy.pk,
            "title": "Handlingsplan 2028–2030",
            "start_year": "2028",
            "end_year": "2030",
        },
    )
    client.post(
        reverse("admin:actionplan_violencearea_add"),
        {"name": "Digitalt våld", "position": "9"},
    )

    assert ActionPlan.objects.get(title="Handlingsplan 2028–2030").slug == "handlingsplan-20282030"
    assert ViolenceArea.objects.get(name="Digitalt våld").slug == "digitalt-vald"


def test_a_slug_is_unique_and_fits_its_field():
    OrganisationFactory(slug="x" * 56)

    assert unique_slug(Organisation, "X" * 200) == "x" * 56 + "-2"
    assert unique_slug(Organisation, "!!!") == "organisation"


def test_the_person_page_shows_no_password_hash_only_how_passwords_are_set(client, administrator):
    person = UserFactory(username="anna")

    html = client.get(reverse("admin:actors_user_change", args=[person.pk])).content.decode()

    assert "pbkdf2" not in html.lower()
    assert "salt" not in html.lower()
    assert "Lösenordet väljer personen själv" in html
    assert person.password.split("$")[-1] not in html


def test_the_commitment_form_has_no_demo_data_checkbox_and_keeps_the_mark(client, administrator):
    commitment = CommitmentFactory(is_demo=True)
    url = reverse("admin:actionplan_commitment_change", args=[commitment.pk])

    page = client.get(url)
    form = page.context["adminform"].form

    assert "is_demo" not in form.fields
    assert 'name="is_demo"' not in page.content.decode()
    assert (
        'name="is_demo"'
        not in client.get(reverse("admin:actionplan_commitment_add")).content.decode()
    )
    data = {
        "plan": commitment.plan_id,
        "code": commitment.code,
        "title": "Ändrad titel",
        "description": "",
        "goals": [goal.pk for goal in commitment.goals.all()],
        "lead_organisation": commitment.lead_organisation_id,
        "start_year": commitment.start_year,
        "end_year": commitment.end_year,
        "state": commitment.state,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    commitment.refresh_from_db()
    assert (commitment.title, commitment.is_demo) == ("Ändrad titel", True)
