"""A coordinator reports on a commitment: drafts, submission, review, and nothing lost."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actionplan.models import Delegation
from actionplan.services import commitment_responsibility_set, delegation_revoke
from actors.services import membership_revoke
from followup import services
from followup.models import ProgressReport, ReportState
from tests.personas import build_world

pytestmark = pytest.mark.django_db

VALID = {
    "status": "on_track",
    "percent_done": "60",
    "work_done": "Tre utbildningar för socialtjänsten.",
    "results": "120 deltagare.",
    "obstacles": "",
    "next_steps": "Fler utbildningar i norra länet.",
}


@pytest.fixture
def world():
    return build_world()


def edit_url(commitment, slug="a"):
    return reverse(
        "followup:report-edit",
        kwargs={"commitment_pk": commitment.pk, "organisation_slug": slug},
    )


def report_of(world):
    return ProgressReport.objects.get(
        commitment=world.commitment, organisation__slug="a", period=world.period
    )


@pytest.fixture
def coordinator(client, world):
    client.force_login(world.users["coordinator_a"])
    return client


def test_a_draft_is_saved_and_the_coordinator_stays_on_the_form(coordinator, world):
    # commitment has a submitted report; other_commitment has A's draft (version 1)
    url = edit_url(world.other_commitment)

    response = coordinator.post(url, VALID | {"version": "1", "save": "1"})

    assert response.status_code == 302
    assert response["Location"] == url
    world.a_draft.refresh_from_db()
    assert world.a_draft.state == ReportState.DRAFT
    assert world.a_draft.work_done == VALID["work_done"]
    assert world.a_draft.version == 2


def test_submitting_records_who_and_when(coordinator, world):
    coordinator.post(edit_url(world.other_commitment), VALID | {"version": "1", "submit": "1"})

    world.a_draft.refresh_from_db()
    assert world.a_draft.state == ReportState.SUBMITTED
    assert world.a_draft.submitted_by == world.users["coordinator_a"]
    assert world.a_draft.submitted_at is not None


def test_the_first_save_creates_the_report(coordinator, world):
    world.a_submitted.delete()

    coordinator.post(edit_url(world.commitment), VALID | {"version": "0", "save": "1"})

    assert report_of(world).state == ReportState.DRAFT


@pytest.mark.parametrize(
    "changes,field,message",
    [
        ({"percent_done": "140"}, "percent_done", "Andelen kan inte vara mer än 100 procent."),
        ({"percent_done": "-5"}, "percent_done", "Andelen kan inte vara mindre än 0 procent."),
        ({"percent_done": "sextio"}, "percent_done", "Ange andelen som ett heltal"),
        ({"status": "splendid"}, "status", "Välj en av statusarna i listan."),
        ({"status": ""}, "status", "Välj en status innan du skickar in."),
        ({"work_done": "   "}, "work_done", "Beskriv vad som har gjorts innan du skickar in."),
        (
            {"status": "major_deviation", "obstacles": ""},
            "obstacles",
            "Beskriv hindren när arbetet avviker från planen.",
        ),
        # A paste 200 times too long that still fits in a request (Django's limit of 2.5 MB).
        ({"results": "x" * 2_000_000}, "results", "Texten får vara högst 10000 tecken"),
    ],
)
def test_bad_input_gets_a_swedish_message_by_its_field_and_keeps_the_rest(
    coordinator, world, changes, field, message
):
    before = list(ProgressReport.objects.values())

    response = coordinator.post(
        edit_url(world.other_commitment), VALID | changes | {"version": "1", "submit": "1"}
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field])
    content = response.content.decode()
    assert f'id="id_{field}_error"' in content
    if field != "next_steps":
        assert VALID["next_steps"] in content  # what the person typed is still there
    assert list(ProgressReport.objects.values()) == before


@pytest.mark.parametrize("token", [None, "forged"])
def test_a_report_form_without_its_csrf_token_changes_nothing(world, token):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.users["coordinator_a"])
    url = edit_url(world.other_commitment)
    browser.get(url)  # the CSRF cookie
    data = VALID | {"version": "1", "save": "1"}
    if token:
        data["csrfmiddlewaretoken"] = token
    before = list(ProgressReport.objects.values())

    assert browser.post(url, data).status_code == 403
    assert list(ProgressReport.objects.values()) == before


def test_a_report_form_with_its_csrf_token_is_saved(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.users["coordinator_a"])
    url = edit_url(world.other_commitment)
    token = browser.get(url).context["csrf_token"]

    response = browser.post(
        url, VALID | {"csrfmiddlewaretoken": token, "version": "1", "save": "1"}
    )

    assert response.status_code == 302
    world.a_draft.refresh_from_db()
    assert world.a_draft.results == VALID["results"]


def test_a_draft_may_leave_the_texts_empty(coordinator, world):
    data = VALID | {"work_done": "", "version": "1", "save": "1"}

    assert coordinator.post(edit_url(world.other_commitment), data).status_code == 302


def test_a_second_save_from_a_stale_form_is_refused_and_keeps_the_typed_text(
    client, coordinator, world
):
    """Two people opened version 1; the first saves, the second is told and loses nothing."""
    url = edit_url(world.other_commitment)
    coordinator.post(url, VALID | {"version": "1", "save": "1"})

    mine = VALID | {"work_done": "Min egen text som inte får försvinna.", "version": "1"}
    response = coordinator.post(url, mine | {"save": "1"})

    assert response.status_code == 200
    assert "Någon annan har ändrat rapporten" in response.content.decode()
    assert "Min egen text som inte får försvinna." in response.content.decode()
    assert response.context["latest"].work_done == VALID["work_done"]
    world.a_draft.refresh_from_db()
    assert world.a_draft.work_done == VALID["work_done"]
    # Having seen the newer version, saving again is a deliberate choice and goes through.
    assert response.context["form"]["version"].value() == 2
    again = coordinator.post(url, mine | {"version": "2", "save": "1"})
    assert again.status_code == 302


def test_the_service_refuses_a_stale_version():
    world = build_world()
    report = world.a_draft

    with pytest.raises(services.StaleReportError):
        services.progress_report_save(
            commitment=report.commitment,
            organisation=report.organisation,
            period=report.period,
            user=world.users["coordinator_a"],
            data={field: VALID[field] for field in services.REPORT_FIELDS},
            expected_version=report.version + 1,
            submit=False,
        )


def test_county_staff_return_a_report_and_the_coordinator_sees_the_comment_and_resubmits(
    client, world
):
    report = world.a_submitted
    client.force_login(world.users["county_staff"])
    client.post(
        reverse("followup:report-return", args=[report.pk]),
        {"version": report.version, "comment": "Beskriv resultaten mer utförligt."},
    )
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED
    assert report.reviewed_by == world.users["county_staff"]

    client.force_login(world.users["coordinator_a"])
    form_page = client.get(edit_url(world.commitment))
    assert "Beskriv resultaten mer utförligt." in form_page.content.decode()
    client.post(edit_url(world.commitment), VALID | {"version": report.version, "submit": "1"})

    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    history = client.get(reverse("followup:report-detail", args=[report.pk])).content.decode()
    assert "återsände för komplettering" in history
    assert "skickade in" in history


def test_returning_without_a_comment_is_refused_with_a_message(client, world):
    report = world.b_submitted
    client.force_login(world.users["county_staff"])

    response = client.post(
        reverse("followup:report-return", args=[report.pk]), {"version": report.version}
    )

    assert response.status_code == 200
    assert "Skriv vad organisationen behöver komplettera." in response.content.decode()
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_an_approved_report_is_shown_not_edited(client, world):
    report = world.a_submitted
    client.force_login(world.users["county_staff"])
    client.post(reverse("followup:report-approve", args=[report.pk]), {"version": report.version})
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED
    assert report.reviewed_by == world.users["county_staff"]

    client.force_login(world.users["coordinator_a"])
    assert client.get(edit_url(world.commitment)).status_code == 302
    assert client.post(edit_url(world.commitment), VALID | {"version": "3"}).status_code == 403


def test_a_locked_period_accepts_no_more_changes(coordinator, world):
    world.period.locked_at = timezone.now()
    world.period.save()

    response = coordinator.post(edit_url(world.other_commitment), VALID | {"version": "1"})

    assert response.status_code == 403
    world.a_draft.refresh_from_db()
    assert world.a_draft.version == 1


def test_a_period_past_its_closing_date_accepts_no_more_changes(coordinator, world):
    world.period.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    world.period.due_on = world.period.opens_on
    world.period.save()

    assert coordinator.post(edit_url(world.other_commitment), VALID).status_code == 403


def test_leaving_the_organisation_ends_access_on_the_very_next_request(coordinator, world):
    url = edit_url(world.other_commitment)
    assert coordinator.get(url).status_code == 200

    membership_revoke(membership=world.users["coordinator_a"].memberships.get())

    assert coordinator.get(url).status_code == 404
    assert coordinator.post(url, VALID | {"version": "1"}).status_code == 404


def test_leaving_the_organisation_ends_a_delegation_too(client, world):
    delegate = world.users["delegate"]
    client.force_login(delegate)
    assert client.get(edit_url(world.commitment)).status_code == 200

    membership_revoke(membership=delegate.memberships.get())

    assert client.get(edit_url(world.commitment)).status_code == 404
    assert not Delegation.objects.filter(membership__user=delegate).exists()


def test_a_delegated_colleague_reports_on_that_commitment_only(client, world):
    client.force_login(world.users["delegate"])

    tasks = client.get(reverse("followup:my-tasks")).context["rows"]

    assert [task.commitment for task, _report in tasks] == [world.commitment]
    assert client.get(edit_url(world.other_commitment)).status_code == 404


def test_a_coordinator_delegates_a_commitment_to_a_colleague(coordinator, world):
    delegation_revoke(delegation=world.delegation)
    colleague = world.users["delegate"]

    response = coordinator.post(
        reverse("actionplan:delegation-create", args=[world.other_commitment.pk]),
        {"organisation": world.a_draft.organisation.pk, "delegate": colleague.pk},
    )

    assert response.status_code == 302
    assert colleague.has_perm("actionplan.report_on_commitment", world.other_commitment)
    assert not colleague.has_perm("actionplan.report_on_commitment", world.commitment)


def test_a_coordinator_cannot_delegate_to_somebody_outside_the_organisation(coordinator, world):
    outsider = world.users["coordinator_b"]

    response = coordinator.post(
        reverse("actionplan:delegation-create", args=[world.other_commitment.pk]),
        {"organisation": world.a_draft.organisation.pk, "delegate": outsider.pk},
    )

    assert response.status_code == 200
    assert "Välj en kollega i listan." in response.content.decode()
    assert not Delegation.objects.filter(membership__user=outsider).exists()


def test_the_lead_sees_every_part_of_a_joint_commitment(coordinator, world):
    b = world.b_submitted.organisation
    commitment_responsibility_set(
        commitment=world.commitment,
        lead_organisation=world.commitment.lead_organisation,
        participating_organisations=[b],
    )
    world.b_submitted.commitment = world.commitment
    world.b_submitted.save()

    page = coordinator.get(reverse("followup:commitment-detail", args=[world.commitment.pk]))

    parts = [report.organisation.slug for _year, reports in page.context["reports_by_year"]
             for report in reports]  # fmt: skip
    assert sorted(parts) == ["a", "b"]


def test_the_commitment_page_shows_the_history_of_changes(coordinator, world):
    coordinator.post(edit_url(world.other_commitment), VALID | {"version": "1", "submit": "1"})

    page = coordinator.get(reverse("followup:commitment-detail", args=[world.other_commitment.pk]))

    history = page.context["history"]
    assert history[0].action == "skickade in"
    assert history[0].who == str(world.users["coordinator_a"])
    assert ("vad har gjorts", VALID["work_done"]) in history[0].changes


def test_other_organisations_do_not_see_a_draft_on_the_commitment_page(client, world):
    client.force_login(world.users["coordinator_b"])

    page = client.get(reverse("followup:commitment-detail", args=[world.other_commitment.pk]))

    assert page.context["reports_by_year"] == []


def test_my_tasks_shows_the_period_the_deadline_and_what_is_done(coordinator, world):
    page = coordinator.get(reverse("followup:my-tasks"))

    assert page.context["period"] == world.period
    assert page.context["days_left"] == 10
    states = {task.commitment.pk: report.state for task, report in page.context["rows"]}
    assert states == {world.commitment.pk: "submitted", world.other_commitment.pk: "draft"}
    assert page.context["done"] == 1
    assert "1 av 2 rapporter inskickade." in page.content.decode()


def test_draft_text_stays_inside_the_organisation_even_after_submission(client, world):
    url = edit_url(world.other_commitment)
    client.force_login(world.users["coordinator_a"])
    client.post(url, VALID | {"work_done": "INTERNT UTKAST", "version": "1", "save": "1"})
    client.post(url, VALID | {"version": "2", "submit": "1"})
    own = client.get(reverse("followup:report-detail", args=[world.a_draft.pk])).content.decode()

    client.force_login(world.users["county_staff"])  # reads what A sent in, not its drafts
    report_page = client.get(reverse("followup:report-detail", args=[world.a_draft.pk]))
    commitment_page = client.get(
        reverse("followup:commitment-detail", args=[world.other_commitment.pk])
    )

    assert "INTERNT UTKAST" in own
    assert "INTERNT UTKAST" not in report_page.content.decode()
    assert "INTERNT UTKAST" not in commitment_page.content.decode()
    assert VALID["work_done"] in report_page.content.decode()


def test_a_submitted_report_changes_only_by_submitting_again(coordinator, world):
    url = edit_url(world.commitment)  # A's submitted report
    emptied = VALID | {"work_done": "", "version": world.a_submitted.version, "save": "1"}

    response = coordinator.post(url, emptied)

    assert "skicka in ändringarna i stället" in response.content.decode()
    world.a_submitted.refresh_from_db()
    assert world.a_submitted.state == ReportState.SUBMITTED
    assert world.a_submitted.work_done == "Utbildningar har genomförts."


def test_work_on_a_returned_report_is_a_private_draft_until_it_is_submitted(client, world):
    report = world.a_submitted
    services.progress_report_return(
        report=report,
        user=world.users["county_staff"],
        expected_version=report.version,
        comment="Mer om resultaten.",
    )
    report.refresh_from_db()
    client.force_login(world.users["coordinator_a"])

    client.post(edit_url(world.commitment), VALID | {"version": report.version, "save": "1"})

    report.refresh_from_db()
    assert report.state == ReportState.DRAFT
    page = client.get(edit_url(world.commitment)).content.decode()
    assert "Mer om resultaten." in page  # the county's comment is still there to work from
    client.force_login(world.users["coordinator_b"])
    assert client.get(reverse("followup:report-detail", args=[report.pk])).status_code == 404


@pytest.mark.parametrize(
    "changes,field,message",
    [
        ({"work_done": "   "}, "work_done", "Beskriv vad som har gjorts innan du skickar in."),
        (
            {"status": "minor_deviation", "obstacles": ""},
            "obstacles",
            "Beskriv hindren när arbetet avviker från planen.",
        ),
        ({"status": "splendid"}, "status", "Välj en av statusarna i listan."),
        ({"percent_done": 140}, "percent_done", "Andelen ska vara mellan 0 och 100 procent."),
    ],
)
def test_the_service_itself_refuses_a_submission_that_breaks_the_rules(changes, field, message):
    world = build_world()
    report = world.a_draft
    data = {name: VALID[name] for name in services.REPORT_FIELDS} | {"percent_done": 60}

    with pytest.raises(services.FollowUpError) as refused:
        services.progress_report_save(
            commitment=report.commitment,
            organisation=report.organisation,
            period=report.period,
            user=world.users["coordinator_a"],
            data=data | changes,
            expected_version=report.version,
            submit=True,
        )

    assert refused.value.errors == {field: message}
    report.refresh_from_db()
    assert (report.state, report.version) == (ReportState.DRAFT, 1)


def test_the_service_saves_an_unfinished_draft_but_not_a_status_that_does_not_exist():
    world = build_world()
    report = world.a_draft
    data = {name: VALID[name] for name in services.REPORT_FIELDS} | {"percent_done": 60}
    save = {
        "commitment": report.commitment,
        "organisation": report.organisation,
        "period": report.period,
        "user": world.users["coordinator_a"],
        "submit": False,
    }

    with pytest.raises(services.FollowUpError) as refused:
        services.progress_report_save(
            **save, data=data | {"status": "splendid"}, expected_version=report.version
        )
    assert list(refused.value.errors) == ["status"]

    saved = services.progress_report_save(
        **save, data=data | {"work_done": ""}, expected_version=report.version
    )
    assert (saved.state, saved.work_done, saved.version) == (ReportState.DRAFT, "", 2)


def test_a_report_in_a_locked_period_is_not_offered_for_review(client, world):
    world.period.locked_at = timezone.now()
    world.period.save()
    client.force_login(world.users["county_staff"])

    page = client.get(reverse("followup:report-detail", args=[world.a_submitted.pk]))

    assert page.context["may_review"] is False
    assert "Godkänn rapporten" not in page.content.decode()


@pytest.mark.parametrize("review", ["approve", "return"])
def test_the_service_refuses_a_review_of_ones_own_organisations_report(world, review):
    report = world.b_submitted  # county_coordinator coordinates B

    with pytest.raises(services.FollowUpError, match="egen rapport"):
        if review == "approve":
            services.progress_report_approve(
                report=report,
                user=world.users["county_coordinator"],
                expected_version=report.version,
            )
        else:
            services.progress_report_return(
                report=report,
                user=world.users["county_coordinator"],
                expected_version=report.version,
                comment="Ser bra ut.",
            )

    report.refresh_from_db()
    assert (report.state, report.reviewed_by) == (ReportState.SUBMITTED, None)


def test_the_service_refuses_a_review_by_the_person_who_submitted_it(world):
    # Sent in by somebody who is county staff now, and no longer reports for B.
    report = world.b_submitted
    report.submitted_by = world.users["county_staff"]
    report.save()

    with pytest.raises(services.FollowUpError, match="egen rapport"):
        services.progress_report_approve(
            report=report, user=world.users["county_staff"], expected_version=report.version
        )

    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_own_reports_are_not_offered_for_review_nor_queued(client, world):
    client.force_login(world.users["county_coordinator"])

    own = client.get(reverse("followup:report-detail", args=[world.b_submitted.pk]))
    other = client.get(reverse("followup:report-detail", args=[world.a_submitted.pk]))
    queue = client.get(reverse("followup:review-queue"))

    assert own.context["may_review"] is False
    assert "Godkänn rapporten" not in own.content.decode()
    assert "Du kan inte granska er egen rapport" in own.content.decode()
    assert other.context["may_review"] is True
    assert list(queue.context["object_list"]) == [world.a_submitted]


def test_other_county_staff_review_the_report_of_a_county_staff_members_organisation(client, world):
    client.force_login(world.users["county_staff"])

    queue = client.get(reverse("followup:review-queue"))
    client.post(
        reverse("followup:report-approve", args=[world.b_submitted.pk]),
        {"version": world.b_submitted.version},
    )

    assert set(queue.context["object_list"]) == {world.a_submitted, world.b_submitted}
    world.b_submitted.refresh_from_db()
    assert world.b_submitted.state == ReportState.APPROVED
