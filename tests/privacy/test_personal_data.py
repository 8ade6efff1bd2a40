"""Exporting and erasing one person's data: the administrators' commands."""

import io
import json
import uuid

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from actionplan.models import Delegation
from actors.models import Membership, User
from followup.models import CommitmentFollow, ProgressReport, Reminder
from followup.services import commitment_follow, progress_report_approve, progress_report_save
from privacy import services
from tests.factories import UserFactory
from tests.personas import PASSWORD, build_world

pytestmark = pytest.mark.django_db

REPORT = {
    "status": ProgressReport.Status.ON_TRACK,
    "percent_done": 60,
    "work_done": "Två utbildningsdagar för socialtjänsten.",
    "results": "",
    "obstacles": "",
    "next_steps": "",
}


@pytest.fixture
def world():
    """Coordinator A has sent in a report that county staff approved, follows a commitment,
    made a delegation and got two reminders: one sent, one still waiting."""
    world = build_world()
    coordinator, county_staff = world.users["coordinator_a"], world.users["county_staff"]
    report = progress_report_save(
        commitment=world.commitment,
        organisation=world.a_submitted.organisation,
        period=world.period,
        user=coordinator,
        data=REPORT,
        expected_version=world.a_submitted.version,
        submit=True,
    )
    world.report = progress_report_approve(
        report=report, user=county_staff, expected_version=report.version
    )
    commitment_follow(user=coordinator, commitment=world.b_commitment)
    for step, sent_at in [("due-14", timezone.now()), ("due-3", None)]:
        Reminder.objects.create(
            period=world.period,
            step=step,
            kind=Reminder.Kind.BEFORE_DUE,
            email=coordinator.email,
            recipient=coordinator,
            payload={"name": coordinator.first_name, "items": [], "recipient": coordinator.pk},
            claim_token=uuid.uuid4(),
            sent_at=sent_at,
        )
    return world


def export(person: str) -> dict:
    out = io.StringIO()
    call_command("personal_data_export", person, stdout=out)
    return json.loads(out.getvalue())


def erase(person: str) -> str:
    out = io.StringIO()
    call_command("personal_data_erase", person, "--yes", stdout=out)
    return out.getvalue()


def test_export_holds_everything_about_the_person(world):
    coordinator = world.users["coordinator_a"]

    data = export("coordinator_a")

    assert data["account"]["email"] == coordinator.email
    assert data["account"]["first_name"] == coordinator.first_name
    assert [m["organisation"] for m in data["memberships"]] == ["Myndighet A"]
    assert [d["commitment_id"] for d in data["delegations_made_by_them"]] == [world.commitment.pk]
    assert [f["commitment_id"] for f in data["follows"]] == [world.b_commitment.pk]
    assert {r["step"] for r in data["reminders_to_them"]} == {"due-14", "due-3"}
    assert data["reports_submitted"] == [
        {
            "id": world.report.pk,
            "commitment_id": world.commitment.pk,
            "commitment_code": world.commitment.code,
            "organisation": "Myndighet A",
            "period": world.period.year,
            "state": "approved",
            "at": data["reports_submitted"][0]["at"],
        }
    ]
    assert data["reports_submitted"][0]["at"] is not None
    assert [h["change_reason"] for h in data["report_history"]] == ["submit"]
    # The report's text is the organisation's, not the person's: it is referred to, not copied.
    assert REPORT["work_done"] not in json.dumps(data, ensure_ascii=False)


def test_export_of_a_reviewer_and_of_a_delegate(world):
    reviewer = export("county_staff")
    delegate = export("delegate")

    assert [r["id"] for r in reviewer["reports_reviewed"]] == [world.report.pk]
    assert [h["change_reason"] for h in reviewer["report_history"]] == ["approved"]
    assert [d["commitment_id"] for d in delegate["delegations_to_them"]] == [world.commitment.pk]


def test_export_finds_the_person_by_e_mail_address_and_writes_a_file(world, tmp_path):
    path = tmp_path / "export.json"

    call_command("personal_data_export", "COORDINATOR_A@example.org", output=str(path))

    assert json.loads(path.read_text())["account"]["username"] == "coordinator_a"


def test_export_refuses_an_unknown_or_ambiguous_person(world):
    UserFactory(username="twin", email="coordinator_a@example.org")
    with pytest.raises(CommandError, match="Nobody"):
        export("nobody@example.org")
    with pytest.raises(CommandError, match="give the username"):
        export("coordinator_a@example.org")


def test_erase_anonymises_the_account_and_ends_its_access(world, client):
    coordinator = world.users["coordinator_a"]
    client.force_login(coordinator)
    name = coordinator.get_full_name()

    output = erase("coordinator_a")

    erased = User.objects.get(pk=coordinator.pk)
    assert f"now borttagen-{coordinator.pk}" in output
    assert (erased.username, erased.first_name, erased.last_name, erased.email) == (
        f"borttagen-{coordinator.pk}",
        "",
        "",
        "",
    )
    assert not erased.is_active and not erased.has_usable_password() and erased.is_erased
    assert not Membership.objects.filter(user=erased).exists()
    assert not erased.groups.exists()
    assert not CommitmentFollow.objects.filter(user=erased).exists()
    # The delegation A's coordinator made on A's behalf stays: it is the delegate's access.
    assert Delegation.objects.filter(pk=world.delegation.pk).exists()
    # Signed out at once, and never in again, by either name.
    assert client.get(reverse("followup:my-tasks")).status_code == 302
    for username in ["coordinator_a", erased.username]:
        response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
        assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated
    # Nothing about them is left to export but the references to the reports.
    data = export(erased.username)
    assert name not in json.dumps(data, ensure_ascii=False)
    assert "coordinator_a" not in json.dumps(data)
    call_command("check_access", stdout=io.StringIO())


def test_erase_ends_the_delegations_made_to_the_person(world):
    erase("delegate")

    assert not Delegation.objects.exists()
    assert not Membership.objects.filter(user=world.users["delegate"]).exists()


def test_erase_removes_the_address_from_the_reminders_and_cancels_the_unsent(world):
    coordinator = world.users["coordinator_a"]
    # Another person erased after the same reminder steps: the placeholders may not collide.
    other = world.users["coordinator_b"]
    Reminder.objects.create(
        period=world.period,
        step="due-14",
        kind=Reminder.Kind.BEFORE_DUE,
        email=other.email,
        recipient=other,
        payload={"name": other.first_name, "recipient": other.pk},
        claim_token=uuid.uuid4(),
    )

    erase("coordinator_a")
    erase("coordinator_b")

    reminders = Reminder.objects.filter(recipient__in=[coordinator, other])
    assert reminders.count() == 3
    for reminder in reminders:
        assert reminder.email.endswith("@invalid")
        assert reminder.payload["name"] == ""
    assert {r.step: r.delivery_state for r in reminders.filter(recipient=coordinator)} == {
        "due-14": "sent",
        "due-3": "cancelled",
    }


def test_the_erased_persons_reports_stay_under_the_organisation(world, client):
    name = str(world.users["coordinator_a"])
    reviewer = str(world.users["county_staff"])
    erase("coordinator_a")
    erase("county_staff")
    client.force_login(world.users["administrator"])

    pages = [
        reverse("followup:report-detail", args=[world.report.pk]),
        reverse("followup:commitment-detail", args=[world.commitment.pk]),
        reverse("followup:review-queue"),
    ]
    for url in pages:
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 200, url
        assert name not in page and reviewer not in page, url
    assert ProgressReport.objects.filter(pk=world.report.pk).exists()
    detail = client.get(pages[0]).content.decode()
    assert "Myndighet A" in detail
    assert detail.count("borttagen användare") >= 2  # sent in by, and reviewed by
    history = client.get(pages[1]).context["history"]
    assert {entry.who for entry in history} >= {"borttagen användare"}


def test_erase_refuses_the_last_active_superuser(world):
    administrator = world.users["administrator"]

    with pytest.raises(CommandError, match="last active superuser"):
        erase("administrator")
    assert User.objects.get(pk=administrator.pk).is_superuser

    UserFactory(username="another_admin", is_superuser=True, is_staff=True)
    erase("administrator")
    assert not User.objects.get(pk=administrator.pk).is_superuser


def test_erase_asks_before_it_erases(world, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "nej")

    with pytest.raises(CommandError, match="Nothing erased"):
        call_command("personal_data_erase", "coordinator_a", stdout=io.StringIO())

    assert User.objects.get(pk=world.users["coordinator_a"].pk).is_active


def test_erase_of_an_erased_person_is_refused(world):
    erase("coordinator_a")

    with pytest.raises(CommandError, match="already been erased"):
        erase(f"borttagen-{world.users['coordinator_a'].pk}")


def test_the_admin_log_no_longer_names_the_erased_person(world):
    coordinator = world.users["coordinator_a"]
    entry = LogEntry.objects.log_actions(
        user_id=world.users["administrator"].pk,
        queryset=[coordinator],
        action_flag=CHANGE,
        single_object=True,
    )

    erase("coordinator_a")

    entry.refresh_from_db()
    assert entry.object_repr == "borttagen användare"
    assert entry.content_type == ContentType.objects.get_for_model(User)


def test_the_user_model_keeps_no_history_that_erasure_would_miss():
    # If it ever gets django-simple-history, personal_data_erase must clear those rows too.
    assert not hasattr(User, "history")


def test_finding_a_person_prefers_the_username():
    UserFactory(username="a@example.org", email="x@example.org")
    UserFactory(username="b", email="a@example.org")

    assert services.person_find("a@example.org").username == "a@example.org"


def _changelist_action(client, users):
    return client.post(
        reverse("admin:actors_user_changelist"),
        {"action": "personal_data_download", "_selected_action": [user.pk for user in users]},
    )


def test_superusers_download_the_export_from_the_user_admin(world, client):
    client.force_login(world.users["administrator"])
    coordinator = world.users["coordinator_a"]

    response = _changelist_action(client, [coordinator])

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="personuppgifter-coordinator_a.json"'
    )
    data = json.loads(response.content)
    assert data["coordinator_a"]["account"]["email"] == coordinator.email


def test_staff_who_change_people_get_no_export_action(world, client):
    staff = world.users["staff_only"]
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_user", "change_user"])
    )
    client.force_login(staff)

    page = client.get(reverse("admin:actors_user_changelist"))
    response = _changelist_action(client, [world.users["coordinator_a"]])

    assert page.status_code == 200
    assert "personal_data_download" not in page.content.decode()
    assert "Content-Disposition" not in response
