"""Administrators change people's roles, move them, end memberships and deactivate them."""

import pytest
from django.test import Client
from django.urls import reverse

from actionplan.models import Delegation
from actors.models import Membership, User
from actors.services import (
    LastAdministratorError,
    membership_grant,
    user_set_active,
    user_set_administrator,
)
from tests.factories import OrganisationFactory, UserFactory
from tests.personas import build_world

pytestmark = pytest.mark.django_db

JUNK = ["", "abc", "-1", "1e309", "99999999999999999999", "' OR 1=1 --", "<script>", "\x00"]


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def administrator(client, world):
    client.force_login(world.users["administrator"])
    return client


def signed_in(user) -> Client:
    other = Client()
    other.force_login(user)
    return other


def membership_of(user) -> Membership:
    return user.memberships.get()


def test_the_person_page_shows_memberships_and_roles(administrator, world):
    response = administrator.get(reverse("actors:person-detail", args=[world.users["delegate"].pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Myndighet A" in page
    assert "Medarbetare" in page


def test_changing_a_role_takes_effect_on_the_coordinator_s_next_request(administrator, world):
    coordinator = world.users["coordinator_a"]
    membership = membership_of(coordinator)
    report_form = reverse("followup:report-edit", args=[world.other_commitment.pk, "a"])
    own = signed_in(coordinator)
    assert own.get(report_form).status_code == 200

    response = administrator.post(
        reverse("actors:membership-update", args=[coordinator.pk, membership.pk]),
        {
            "organisation": membership.organisation_id,
            "role": "colleague",
            "is_contact_person": "on",
        },
    )

    membership.refresh_from_db()
    assert response.status_code == 302
    assert (membership.role, membership.is_contact_person) == ("colleague", True)
    assert own.get(report_form).status_code in (403, 404)


def test_ending_a_membership_takes_the_report_form_away_on_the_next_request(administrator, world):
    coordinator = world.users["coordinator_a"]
    membership = membership_of(coordinator)
    report_form = reverse("followup:report-edit", args=[world.other_commitment.pk, "a"])
    own = signed_in(coordinator)
    assert own.get(report_form).status_code == 200
    url = reverse("actors:membership-end", args=[coordinator.pk, membership.pk])
    assert "Avsluta medlemskapet" in administrator.get(url).content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()

    response = administrator.post(url)

    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert own.get(report_form).status_code in (403, 404)


def test_ending_a_delegate_s_membership_ends_their_delegations(administrator, world):
    delegate = world.users["delegate"]
    membership = membership_of(delegate)
    url = reverse("actors:membership-end", args=[delegate.pk, membership.pk])
    assert "1 åtagande som delegerats" in administrator.get(url).content.decode()

    administrator.post(url)

    assert not Delegation.objects.filter(pk=world.delegation.pk).exists()


def test_moving_a_person_ends_the_old_membership_and_starts_the_new_one(administrator, world):
    coordinator = world.users["coordinator_a"]
    membership = membership_of(coordinator)
    b = world.b_commitment.lead_organisation
    own = signed_in(coordinator)
    a_form = reverse("followup:report-edit", args=[world.other_commitment.pk, "a"])
    b_form = reverse("followup:report-edit", args=[world.b_commitment.pk, "b"])

    response = administrator.post(
        reverse("actors:membership-update", args=[coordinator.pk, membership.pk]),
        {"organisation": b.pk, "role": "coordinator"},
    )

    assert response.status_code == 302
    assert list(coordinator.memberships.values_list("organisation", "role")) == [
        (b.pk, "coordinator")
    ]
    assert own.get(a_form).status_code in (403, 404)
    assert own.get(b_form).status_code == 200


def test_moving_a_person_to_an_organisation_they_already_belong_to_is_refused(administrator, world):
    person = world.users["county_coordinator"]
    storsthlm = person.memberships.get(role="county_staff")
    b = world.b_commitment.lead_organisation

    response = administrator.post(
        reverse("actors:membership-update", args=[person.pk, storsthlm.pk]),
        {"organisation": b.pk, "role": "county_staff"},
    )

    assert response.status_code == 200
    assert "hör redan till Myndighet B" in response.context["form"].errors["organisation"][0]
    # What was typed is kept.
    assert response.context["form"]["organisation"].value() == str(b.pk)
    assert person.memberships.count() == 2


def test_a_role_at_another_organisation_is_given(administrator, world):
    person = world.users["coordinator_a"]
    b = world.b_commitment.lead_organisation

    response = administrator.post(
        reverse("actors:membership-create", args=[person.pk]),
        {"organisation": b.pk, "role": "coordinator", "is_contact_person": "on"},
    )

    assert response.status_code == 302
    assert person.memberships.get(organisation=b).is_contact_person


def test_an_inactive_organisation_is_not_offered_for_new_roles(administrator, world):
    closed = OrganisationFactory(name="Stängda myndigheten", is_active=False)

    response = administrator.post(
        reverse("actors:membership-create", args=[world.users["coordinator_a"].pk]),
        {"organisation": closed.pk, "role": "coordinator"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["organisation"] == ["Välj en organisation i listan."]
    assert "Stängda myndigheten" not in response.content.decode()


def test_the_role_picker_offers_only_the_portal_s_roles_never_groups_or_permissions(
    administrator, world
):
    response = administrator.get(
        reverse("actors:membership-create", args=[world.users["coordinator_a"].pk])
    )

    form = response.context["form"]
    page = response.content.decode()
    assert set(form.fields) == {"organisation", "role", "is_contact_person"}
    assert [value for value, _label in form.fields["role"].choices] == [
        "coordinator",
        "colleague",
        "county_staff",
    ]
    for role in ("Samordnare", "Medarbetare", "Kansli", "Kontaktperson"):
        assert role in page
    assert "coordinators-of-organisation" not in page
    assert "delegates-of-membership" not in page


def test_an_administrator_makes_another_person_an_administrator(administrator, world):
    person = world.users["county_staff"]

    response = administrator.post(
        reverse("actors:person-access", args=[person.pk]),
        {"is_administrator": "on", "is_active": "on"},
    )

    person.refresh_from_db()
    assert response.status_code == 302
    assert person.is_superuser and person.is_staff
    assert signed_in(person).get(reverse("actors:administration")).status_code == 200


def test_the_last_active_administrator_cannot_stop_being_one(administrator, world):
    me = world.users["administrator"]

    response = administrator.post(
        reverse("actors:person-access", args=[me.pk]), {"is_active": "on"}
    )

    me.refresh_from_db()
    assert response.status_code == 200
    assert "enda aktiva administratör" in response.context["form"].errors["is_administrator"][0]
    assert me.is_superuser


def test_the_last_active_administrator_cannot_be_deactivated(administrator, world):
    me = world.users["administrator"]

    response = administrator.post(
        reverse("actors:person-access", args=[me.pk]), {"is_administrator": "on"}
    )

    me.refresh_from_db()
    assert "enda aktiva administratör" in response.context["form"].errors["is_active"][0]
    assert me.is_active


def test_the_service_refuses_the_last_administrator_too(world):
    me = world.users["administrator"]

    with pytest.raises(LastAdministratorError):
        user_set_administrator(user=me, is_administrator=False)
    with pytest.raises(LastAdministratorError):
        user_set_active(user=me, is_active=False)


def test_with_two_administrators_one_may_step_down_and_loses_the_pages(administrator, world):
    UserFactory(username="other-admin", is_staff=True, is_superuser=True)
    me = world.users["administrator"]

    response = administrator.post(
        reverse("actors:person-access", args=[me.pk]), {"is_active": "on"}
    )

    me.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert not me.is_superuser and not me.is_staff
    assert administrator.get(reverse("actors:person-list")).status_code == 403


def test_a_deactivated_person_is_signed_out_and_cannot_sign_in(administrator, world):
    person = world.users["coordinator_a"]
    own = signed_in(person)

    response = administrator.post(reverse("actors:person-access", args=[person.pk]), {})

    person.refresh_from_db()
    assert response.status_code == 302
    assert not person.is_active
    # The memberships stay, for when the person may sign in again.
    assert person.memberships.exists()
    assert own.get(reverse("followup:my-tasks")).status_code == 302
    login = Client().post(
        reverse("login"), {"username": person.username, "password": "correct-horse-battery"}
    )
    assert login.status_code == 200
    assert not login.wsgi_request.user.is_authenticated


def test_a_non_administrator_cannot_make_themselves_an_administrator(client, world):
    staff = world.users["county_staff"]
    client.force_login(staff)

    response = client.post(
        reverse("actors:person-access", args=[staff.pk]),
        {"is_administrator": "on", "is_active": "on"},
    )

    staff.refresh_from_db()
    assert response.status_code == 403
    assert not staff.is_superuser


@pytest.mark.parametrize(
    "name,arguments",
    [
        ("actors:person-detail", lambda w: [99999999]),
        ("actors:membership-create", lambda w: [99999999]),
        ("actors:membership-update", lambda w: [w.users["coordinator_a"].pk, 99999999]),
        # Another person's membership is not found through this person.
        (
            "actors:membership-update",
            lambda w: [w.users["coordinator_b"].pk, membership_of(w.users["coordinator_a"]).pk],
        ),
        (
            "actors:membership-end",
            lambda w: [w.users["coordinator_b"].pk, membership_of(w.users["coordinator_a"]).pk],
        ),
    ],
)
def test_people_and_memberships_that_do_not_exist_answer_404(administrator, world, name, arguments):
    url = reverse(name, args=arguments(world))

    assert administrator.get(url).status_code == 404
    # The person's page is read only; the others answer a POST with 404 too.
    assert administrator.post(url).status_code == (405 if name == "actors:person-detail" else 404)


@pytest.mark.parametrize("junk", JUNK)
@pytest.mark.parametrize("field", ["organisation", "role", "is_contact_person"])
def test_the_membership_form_answers_junk_without_a_server_error(administrator, world, field, junk):
    person = world.users["coordinator_a"]
    data = {"organisation": membership_of(person).organisation_id, "role": "coordinator"}

    response = administrator.post(
        reverse("actors:membership-update", args=[person.pk, membership_of(person).pk]),
        data | {field: junk},
    )

    assert response.status_code in (200, 302)


@pytest.mark.parametrize("junk", JUNK)
def test_the_access_form_answers_junk_without_a_server_error(administrator, world, junk):
    person = world.users["county_staff"]

    response = administrator.post(
        reverse("actors:person-access", args=[person.pk]),
        {"is_administrator": junk, "is_active": junk},
    )

    assert response.status_code in (200, 302)


@pytest.mark.parametrize(
    "query,expected",
    [
        ({"q": "coordinator_"}, {"coordinator_a", "coordinator_b"}),
        ({"q": "county_staff@example"}, {"county_staff"}),
        ({"role": "county_staff"}, {"county_staff", "county_coordinator"}),
        ({"role": "administrator"}, {"administrator"}),
        ({"role": "ingen"}, {"administrator", "staff_only"}),
        ({"role": "kontaktperson"}, {"delegate"}),
        ({"organisation": "A", "role": "coordinator"}, {"coordinator_a"}),
        ({"organisation": "B"}, {"coordinator_b", "county_coordinator"}),
        ({"active": "nej"}, {"coordinator_b"}),
    ],
)
def test_the_people_list_searches_and_filters(administrator, world, query, expected):
    Membership.objects.filter(user=world.users["delegate"]).update(is_contact_person=True)
    User.objects.filter(username="coordinator_b").update(is_active=False)
    if "organisation" in query:
        lead = {"A": world.commitment, "B": world.b_commitment}[query["organisation"]]
        query = query | {"organisation": lead.lead_organisation_id}

    response = administrator.get(reverse("actors:person-list"), query)

    assert response.status_code == 200
    assert {person.username for person in response.context["object_list"]} == expected


@pytest.mark.parametrize("junk", JUNK + ["ä" * 5000])
@pytest.mark.parametrize("parameter", ["q", "organisation", "role", "active", "page"])
def test_the_people_list_answers_junk_filters_without_a_server_error(
    administrator, parameter, junk
):
    response = administrator.get(reverse("actors:person-list"), {parameter: junk})

    assert response.status_code in (200, 404)


@pytest.mark.parametrize("size", [1, 60])
def test_the_people_list_runs_a_constant_number_of_queries(
    administrator, world, django_assert_num_queries, size
):
    organisation = OrganisationFactory()
    for _number in range(size):
        membership_grant(user=UserFactory(), organisation=organisation, role="colleague")

    with django_assert_num_queries(7):
        response = administrator.get(reverse("actors:person-list"))

    assert response.status_code == 200
