"""Nothing a user or an attacker can send produces a server error."""

import pytest
from django.urls import reverse

from tests.personas import build_world
from tests.two_factor import app_device, password_only_login

pytestmark = pytest.mark.django_db

JUNK = [
    "",
    "abc",
    "-1",
    "1e309",
    "99999999999999999999",
    "' OR 1=1 --",
    "<script>",
    "\x00",
    "ä" * 5000,
]


@pytest.fixture
def world():
    return build_world()


@pytest.mark.parametrize("junk", JUNK)
@pytest.mark.parametrize(
    "parameter", ["q", "plan", "goal", "organisation", "state", "violence_area", "page"]
)
def test_the_commitment_list_answers_junk_filters_without_a_server_error(
    client, world, parameter, junk
):
    response = client.get(reverse("actionplan:commitment-list"), {parameter: junk})

    assert response.status_code in (200, 404)


@pytest.mark.parametrize("junk", JUNK)
@pytest.mark.parametrize(
    "name,parameter",
    [
        *[("actionplan:commitment-export", name) for name in ("format", "q", "plan", "goal")],
        *[("actionplan:commitment-export", name) for name in ("organisation", "violence_area")],
        *[("followup:report-export", name) for name in ("format", "period", "organisation")],
        *[("actors:organisation-export", name) for name in ("format", "kind", "is_active")],
        *[("actors:person-export", name) for name in ("format", "q", "organisation", "role")],
    ],
)
def test_the_exports_answer_junk_parameters_without_a_server_error(
    client, world, name, parameter, junk
):
    client.force_login(world.users["administrator"])

    response = client.get(reverse(name), {parameter: junk})

    assert response.status_code in (200, 400)


@pytest.mark.parametrize("junk", JUNK)
@pytest.mark.parametrize("field", ["version", "status", "percent_done", "work_done"])
def test_the_report_form_answers_junk_without_a_server_error(client, world, field, junk):
    client.force_login(world.users["coordinator_a"])
    url = reverse("followup:report-edit", args=[world.other_commitment.pk, "a"])
    data = {"status": "on_track", "percent_done": "5", "work_done": "x", "version": "1"}

    response = client.post(url, data | {field: junk, "submit": "1"})

    assert response.status_code in (200, 302)


@pytest.mark.parametrize("junk", JUNK)
def test_review_and_delegation_answer_junk_without_a_server_error(client, world, junk):
    client.force_login(world.users["county_staff"])
    for name in ("followup:report-approve", "followup:report-return"):
        response = client.post(
            reverse(name, args=[world.b_submitted.pk]), {"version": junk, "comment": junk}
        )
        assert response.status_code in (200, 302)
    client.force_login(world.users["coordinator_a"])
    response = client.post(
        reverse("actionplan:delegation-create", args=[world.commitment.pk]),
        {"organisation": junk, "delegate": junk},
    )
    assert response.status_code == 200


@pytest.mark.parametrize("junk", JUNK)
def test_the_period_form_answers_junk_without_a_server_error(client, world, junk):
    client.force_login(world.users["county_staff"])

    response = client.post(
        reverse("followup:period-list"),
        {"year": junk, "opens_on": junk, "due_on": "2027-02-30", "closes_on": junk},
    )

    assert response.status_code == 200
    assert response.context["form"].errors


@pytest.mark.parametrize("junk", JUNK)
def test_invitations_answer_junk_without_a_server_error(client, world, junk):
    client.force_login(world.users["administrator"])
    response = client.post(
        reverse("actors:invitation-create"),
        {"email": junk, "role": junk, "organisation": junk, "is_contact_person": junk},
    )
    assert response.status_code == 200
    for action in ("skicka-igen", "aterkalla"):
        response = client.post(f"/administration/inbjudningar/{junk}/{action}/")
        assert response.status_code in (404, 302)
    client.force_login(world.users["coordinator_a"])
    response = client.post(
        reverse("actionplan:delegation-create", args=[world.commitment.pk]),
        {"invite": junk, "invite-organisation": junk, "invite-email": junk},
    )
    assert response.status_code == 200


@pytest.mark.parametrize("junk", JUNK)
def test_the_invitation_link_answers_junk_without_a_server_error(client, world, junk):
    from django.utils import timezone

    from actors.models import Invitation, invitation_token_hash

    Invitation.objects.create(
        email="invited@example.org",
        organisation=world.commitment.lead_organisation,
        role="colleague",
        expires_at=timezone.now() + timezone.timedelta(days=7),
        token_hash=invitation_token_hash("a-valid-token"),
    )
    fields = ["first_name", "last_name", "username", "password1", "password2"]

    response = client.post("/konto/inbjudan/a-valid-token/", dict.fromkeys(fields, junk))

    assert response.status_code == 200
    assert response.context["form"].errors
    assert client.get(f"/konto/inbjudan/{junk or 'x'}/").status_code == 404


@pytest.mark.parametrize("junk", JUNK)
@pytest.mark.parametrize("field", ["code", "recovery_code", "next"])
def test_the_two_factor_code_forms_answer_junk_without_a_server_error(client, world, field, junk):
    county_staff = world.users["county_staff"]
    app_device(county_staff)
    password_only_login(client, county_staff)  # a code still to enter
    data = {"code": "x"} if field == "next" else {}

    verify = client.post(reverse("two-factor-verify"), data | {field: junk})
    password_only_login(client, world.users["coordinator_a"])  # no app yet: may set one up
    client.get(reverse("two-factor-setup"))
    setup = client.post(reverse("two-factor-setup"), data | {field: junk})

    assert verify.status_code == 200
    assert setup.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/ataganden/99999999999999999999/",
        "/ataganden/1/rapport/%00/",
        "/rapporter/0/",
        "/uppfoljning/0/",
        "/uppfoljning/99999/paminnelser/",
        "/konto/losenord/aterstall/%FF/x/",
        "/konto/inbjudan/%FF/",
        "/konto/inbjudan/%00/",
    ],
)
def test_odd_paths_answer_404_not_500(client, world, path):
    client.force_login(world.users["county_staff"])

    assert client.get(path).status_code in (404, 200)


@pytest.mark.parametrize("name", ["login", "password_reset"])
def test_an_anonymous_post_larger_than_the_portal_accepts_is_refused_unread(client, name):
    # 2.5 MB holds for every endpoint (RequestBodyLimitMiddleware, tests/kvinnofrid).
    response = client.post(reverse(name), {"username": "x" * 3_000_000, "email": "a@b.se"})

    assert response.status_code == 413
