"""Administrators manage the portal's data in the admin from day one."""

import uuid

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.forms import MultiWidget
from django.urls import reverse

from actionplan.services import (
    commitment_responsibility_set,
    delegation_grant,
    delegation_invite,
)
from followup import services
from followup.models import Reminder, ReminderSettings, ReportingPeriod
from followup.services import commitment_follow
from tests.factories import (
    CountyReportFactory,
    IndicatorValueFactory,
    MembershipFactory,
    ProgressReportFactory,
    ReportBuildFactory,
    ReportingPeriodFactory,
    SurveyAnswerFactory,
    UserFactory,
)
from tests.personas import build_world

pytestmark = pytest.mark.django_db

REGISTERED = sorted(
    (model._meta.app_label, model._meta.model_name) for model in admin.site._registry
)


class FakeRequest:
    def __init__(self, user):
        self.user = user


@pytest.fixture
def administrator(client):
    user = UserFactory(username="administrator", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.fixture
def some_of_everything():
    Group.objects.create(name="Testgrupp")
    report = ProgressReportFactory()
    colleague = MembershipFactory(organisation=report.organisation, role="colleague")
    commitment_responsibility_set(
        commitment=report.commitment,
        lead_organisation=report.organisation,
        participating_organisations=[MembershipFactory().organisation],
    )
    delegation_grant(commitment=report.commitment, membership=colleague, granted_by=colleague.user)
    delegation_invite(
        commitment=report.commitment,
        organisation=report.organisation,
        email="inbjuden@example.org",
        invited_by=colleague.user,
    )
    IndicatorValueFactory()
    SurveyAnswerFactory()
    commitment_follow(user=colleague.user, commitment=report.commitment)
    ReminderSettings.load()
    Reminder.objects.create(
        period=report.period,
        step="invitation",
        kind=Reminder.Kind.INVITATION,
        email="anna@example.org",
        claim_token=uuid.uuid4(),
    )
    _some_of_the_prize()
    # countyreport
    ReportBuildFactory(report=CountyReportFactory(period=report.period)).report.analyses.create(
        goal=report.commitment.goals.first(), text="Analys."
    )
    return report


def _some_of_the_prize():
    """prize: a call with a scored nomination, an attachment, an award and a reminder."""
    from prize.models import PrizeReminder
    from tests.factories import AttachmentFactory, AwardFactory, ScoreFactory

    score = ScoreFactory()
    AttachmentFactory(nomination=score.nomination)
    AwardFactory(call=score.juror.call, nomination=score.nomination)
    PrizeReminder.objects.create(
        call=score.juror.call,
        step="opening",
        kind=PrizeReminder.Kind.CALL_OPENING,
        email="anna@example.org",
        claim_token=uuid.uuid4(),
    )


def test_every_domain_model_is_in_the_admin():
    for app_label in ("actors", "actionplan", "followup", "indicators"):
        from django.apps import apps

        for model in apps.get_app_config(app_label).get_models():
            name = model._meta.model_name
            # History, guardian's permission rows and the access groups are derived by the
            # services, never edited by hand.
            derived = name.endswith(("objectpermission", "group")) or name.startswith("historical")
            if not derived:
                assert model in admin.site._registry, model


@pytest.mark.parametrize("app_label,model_name", REGISTERED)
def test_admin_list_search_and_add_pages_load(
    client, administrator, some_of_everything, app_label, model_name
):
    changelist = reverse(f"admin:{app_label}_{model_name}_changelist")

    assert client.get(changelist).status_code == 200
    assert client.get(changelist, {"q": "Stockholm"}).status_code == 200
    model_admin = next(
        admin_
        for model, admin_ in admin.site._registry.items()
        if model._meta.model_name == model_name
    )
    expected = 200 if model_admin.has_add_permission(FakeRequest(administrator)) else 403
    assert client.get(reverse(f"admin:{app_label}_{model_name}_add")).status_code == expected


@pytest.mark.parametrize("app_label,model_name", REGISTERED)
def test_admin_change_page_loads(client, administrator, some_of_everything, app_label, model_name):
    model = next(m for m in admin.site._registry if m._meta.model_name == model_name)
    obj = model.objects.first()
    assert obj is not None, f"the test data has no {model_name}"

    response = client.get(reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk]))

    assert response.status_code == 200


def test_the_organisation_admin_filters_by_kind(client, administrator):
    response = client.get(reverse("admin:actors_organisation_changelist"), {"kind": "municipality"})

    assert response.status_code == 200
    assert response.context["cl"].result_count == 26


def test_the_admin_refuses_people_who_are_not_administrators(client):
    client.force_login(UserFactory())

    response = client.get(reverse("admin:actors_organisation_changelist"))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_the_admin_refuses_an_overlapping_period_with_a_message(client, administrator):
    ReportingPeriodFactory(year=2026)  # 2026-11-01 to 2027-01-31

    response = client.post(
        reverse("admin:followup_reportingperiod_add"),
        {
            "year": "2027",
            "opens_on": "2027-01-15",
            "due_on": "2027-03-31",
            "closes_on": "2027-04-30",
            "locked_at_0": "",
            "locked_at_1": "",
        },
    )

    assert response.status_code == 200
    assert "Perioden överlappar en annan rapporteringsperiod." in response.content.decode()
    assert not ReportingPeriod.objects.filter(year=2027).exists()


def _admin_form_data(response, **changes) -> dict:
    """What the admin's change form would post back as it is, with `changes`."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field.widget, MultiWidget):
            parts = value if isinstance(value, list) else field.widget.decompress(value)
            for index, part in enumerate(parts):
                data[f"{name}_{index}"] = "" if part is None else str(part)
        else:
            data[name] = "" if value is None else value
    return data | changes


def test_an_administrators_edit_makes_a_coordinators_older_form_stale(client):
    world = build_world()
    report = world.a_draft  # version 1
    change_url = reverse("admin:followup_progressreport_change", args=[report.pk])
    client.force_login(world.users["administrator"])
    page = client.get(change_url)

    response = client.post(change_url, _admin_form_data(page, work_done="Rättat av admin."))

    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.work_done, report.version) == ("Rättat av admin.", 2)
    assert report.history.latest().history_user == world.users["administrator"]

    client.force_login(world.users["coordinator_a"])
    edit_url = reverse("followup:report-edit", args=[world.other_commitment.pk, "a"])
    stale = client.post(
        edit_url,
        {
            "status": "on_track",
            "percent_done": "60",
            "work_done": "Från ett formulär som öppnades före administratörens ändring.",
            "results": "",
            "obstacles": "",
            "next_steps": "",
            "version": "1",
            "save": "1",
        },
    )

    assert stale.status_code == 200
    assert "Någon annan har ändrat rapporten" in stale.content.decode()
    report.refresh_from_db()
    assert report.work_done == "Rättat av admin."


def test_an_administrators_older_form_does_not_overwrite_a_coordinators_save(client):
    world = build_world()
    report = world.a_draft
    change_url = reverse("admin:followup_progressreport_change", args=[report.pk])
    client.force_login(world.users["administrator"])
    page = client.get(change_url)
    services.progress_report_save(
        commitment=report.commitment,
        organisation=report.organisation,
        period=report.period,
        user=world.users["coordinator_a"],
        data={field: getattr(report, field) for field in services.REPORT_FIELDS}
        | {"work_done": "Samordnarens nya text."},
        expected_version=report.version,
        submit=False,
    )

    response = client.post(change_url, _admin_form_data(page, work_done="Gammal text."))

    assert response.status_code == 200
    assert "har ändrats sedan du öppnade den" in response.content.decode()
    report.refresh_from_db()
    assert (report.work_done, report.version) == ("Samordnarens nya text.", 2)
    # Having been told, the administrator may save over it deliberately.
    again = client.post(change_url, _admin_form_data(response, work_done="Gammal text."))
    assert again.status_code == 302
    report.refresh_from_db()
    assert (report.work_done, report.version) == ("Gammal text.", 3)


def test_reverting_a_report_in_the_admin_raises_its_version_too(client):
    world = build_world()
    report = world.a_draft
    first = report.history.earliest()
    services.progress_report_save(
        commitment=report.commitment,
        organisation=report.organisation,
        period=report.period,
        user=world.users["coordinator_a"],
        data={field: getattr(report, field) for field in services.REPORT_FIELDS}
        | {"work_done": "Samordnarens nya text."},
        expected_version=report.version,
        submit=False,
    )
    revert_url = reverse(
        "admin:followup_progressreport_simple_history", args=[report.pk, first.history_id]
    )
    client.force_login(world.users["administrator"])

    response = client.post(revert_url, _admin_form_data(client.get(revert_url)))

    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.work_done, report.version) == (first.work_done, 3)


@pytest.fixture
def user_manager(client):
    """Staff who may change people in the admin, and nothing more (issue 11)."""
    user = UserFactory(username="user_manager", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_user"))
    client.force_login(user)
    return user


def test_staff_who_may_change_people_cannot_make_themselves_superuser(client, user_manager):
    group = Group.objects.create(name="Alla rättigheter")
    group.permissions.set(Permission.objects.all())
    url = reverse("admin:actors_user_change", args=[user_manager.pk])
    page = client.get(url)

    response = client.post(
        url,
        _admin_form_data(
            page,
            first_name="Ändrad",
            is_superuser="on",
            groups=[group.pk],
            user_permissions=[Permission.objects.get(codename="delete_user").pk],
        ),
    )

    assert response.status_code == 302
    user_manager.refresh_from_db()
    assert user_manager.first_name == "Ändrad"  # the rest of the form still works
    assert not user_manager.is_superuser
    assert list(user_manager.groups.all()) == []
    assert list(user_manager.user_permissions.values_list("codename", flat=True)) == ["change_user"]


def test_staff_who_may_change_people_cannot_make_anybody_staff(client, user_manager):
    colleague = UserFactory(username="colleague")
    url = reverse("admin:actors_user_change", args=[colleague.pk])
    page = client.get(url)

    client.post(url, _admin_form_data(page, is_staff="on", is_superuser="on"))

    colleague.refresh_from_db()
    assert not colleague.is_staff and not colleague.is_superuser


def test_staff_who_may_change_people_cannot_change_a_superuser_or_their_password(
    client, user_manager
):
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)

    password = client.post(
        reverse("admin:auth_user_password_change", args=[superuser.pk]),
        {"password1": "ett-nytt-langt-losenord", "password2": "ett-nytt-langt-losenord"},
    )
    change = client.post(
        reverse("admin:actors_user_change", args=[superuser.pk]),
        {"username": "root", "email": "attacker@example.org"},
    )

    assert (password.status_code, change.status_code) == (403, 403)
    superuser.refresh_from_db()
    assert superuser.check_password("correct-horse-battery")
    assert superuser.email == "root@example.org"


def test_a_superuser_still_manages_who_is_staff(client, administrator):
    colleague = UserFactory(username="colleague")
    url = reverse("admin:actors_user_change", args=[colleague.pk])
    page = client.get(url)
    management = {
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }

    response = client.post(url, _admin_form_data(page, is_staff="on") | management)

    assert response.status_code == 302, response.context["adminform"].form.errors
    colleague.refresh_from_db()
    assert colleague.is_staff


@pytest.fixture
def membership_manager(client):
    """Staff who may add and change people and memberships in the admin, and nothing more."""
    user = UserFactory(username="membership_manager", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_user", "change_user", "add_membership", "change_membership"]
        )
    )
    client.force_login(user)
    return user


def _membership_add(client, **fields):
    return client.post(reverse("admin:actors_membership_add"), fields)


def test_staff_who_may_manage_memberships_cannot_make_themselves_county_staff(
    client, membership_manager
):
    organisation = MembershipFactory().organisation

    response = _membership_add(
        client, user=membership_manager.pk, organisation=organisation.pk, role="county_staff"
    )

    assert response.status_code == 200
    assert "Bara administratörer kan ge rollen Kansli." in response.content.decode()
    assert not membership_manager.memberships.exists()


def test_staff_who_may_manage_memberships_cannot_give_themselves_any_role(
    client, membership_manager
):
    organisation = MembershipFactory().organisation

    response = _membership_add(
        client, user=membership_manager.pk, organisation=organisation.pk, role="coordinator"
    )

    assert response.status_code == 200
    assert "Du kan inte ändra dina egna medlemskap." in response.content.decode()
    assert not membership_manager.memberships.exists()


def test_staff_who_may_manage_memberships_still_add_coordinators(client, membership_manager):
    colleague = UserFactory(username="colleague")
    organisation = MembershipFactory().organisation

    response = _membership_add(
        client, user=colleague.pk, organisation=organisation.pk, role="coordinator"
    )

    assert response.status_code == 302
    assert colleague.memberships.get().role == "coordinator"


def test_staff_cannot_make_anybody_county_staff_through_the_person_page(client, membership_manager):
    colleague = UserFactory(username="colleague")
    organisation = MembershipFactory().organisation
    url = reverse("admin:actors_user_change", args=[colleague.pk])
    page = client.get(url)
    inline = {
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-organisation": str(organisation.pk),
        "memberships-0-role": "county_staff",
    }

    response = client.post(url, _admin_form_data(page) | inline)

    assert response.status_code == 200
    assert "Bara administratörer kan ge rollen Kansli." in response.content.decode()
    assert not colleague.memberships.exists()


def test_staff_who_may_change_reports_cannot_approve_one_in_the_admin(client):
    world = build_world()
    report = world.a_draft
    editor = UserFactory(username="report_editor", is_staff=True)
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_progressreport", "change_progressreport"])
    )
    client.force_login(editor)
    url = reverse("admin:followup_progressreport_change", args=[report.pk])
    page = client.get(url)

    response = client.post(
        url, _admin_form_data(page, work_done="Rättat.", state="approved", review_comment="Bra")
    )

    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.work_done, report.state, report.review_comment) == ("Rättat.", "draft", "")
