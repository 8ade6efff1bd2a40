"""Issue 10, the coordinators' side of the reporting cycle: returned reports reach the people who
must fix them, drafts save whatever is there and stay on the form, the form shows its context,
Mina uppgifter puts what needs the person first, and Mina bevakningar lists what they follow."""

import datetime
import json

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from actionplan.models import Delegation
from actionplan.services import commitment_responsibility_set
from followup import services
from followup.models import CommitmentFollow, ProgressReport, Reminder, ReportState
from tests.factories import (
    CommitmentFactory,
    ProgressReportFactory,
    ReportingPeriodFactory,
    UserFactory,
)
from tests.personas import build_world

pytestmark = pytest.mark.django_db

DRAFT = {
    "status": "",
    "percent_done": "",
    "work_done": "Halvvägs genom utbildningarna.",
    "results": "",
    "obstacles": "",
    "next_steps": "",
}
VALID = DRAFT | {"status": "on_track", "percent_done": "60"}


@pytest.fixture
def world():
    return build_world()


def edit_url(commitment, slug="a"):
    return reverse(
        "followup:report-edit", kwargs={"commitment_pk": commitment.pk, "organisation_slug": slug}
    )


def login(client, world, name):
    client.force_login(world.users[name])
    return client


def return_report(world, report, comment="Beskriv resultaten för norra länet.", capture=None):
    with capture(execute=True):
        return services.progress_report_return(
            report=report,
            user=world.users["county_staff"],
            expected_version=report.version,
            comment=comment,
        )


# 1. The returned report's e-mail


def test_a_returned_report_emails_the_coordinators_and_the_delegate_with_the_comment_and_a_link(
    world, django_capture_on_commit_callbacks
):
    return_report(world, world.a_submitted, capture=django_capture_on_commit_callbacks)

    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"coordinator_a@example.org", "delegate@example.org"}
    message = by_address["delegate@example.org"]
    assert message.subject.startswith(
        f"Kansliet ber er komplettera rapporten om {world.commitment.code}"
    )
    assert "Beskriv resultaten för norra länet." in message.body
    assert edit_url(world.commitment) in message.body
    html = message.alternatives[0][0]
    assert "Beskriv resultaten för norra länet." in html
    assert edit_url(world.commitment) in html


def test_a_coordinator_who_also_follows_the_commitment_gets_one_email_not_two(
    world, django_capture_on_commit_callbacks
):
    CommitmentFollow.objects.create(user=world.users["coordinator_a"], commitment=world.commitment)
    follower = UserFactory(username="follower")
    CommitmentFollow.objects.create(user=follower, commitment=world.commitment)

    return_report(world, world.a_submitted, capture=django_capture_on_commit_callbacks)

    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == [
        "coordinator_a@example.org",
        "delegate@example.org",
        "follower@example.org",
    ]
    follower_mail = next(m for m in mail.outbox if m.to == ["follower@example.org"])
    assert "återsänd för komplettering" in follower_mail.subject


def test_the_returned_report_email_is_claimed_once_and_never_sent_twice(
    world, django_capture_on_commit_callbacks
):
    from followup.tasks import reminder_send

    return_report(world, world.a_submitted, capture=django_capture_on_commit_callbacks)
    for reminder in Reminder.objects.all():
        reminder_send.apply(args=[reminder.pk])  # a redelivered task

    assert len(mail.outbox) == 2
    assert Reminder.objects.filter(kind=Reminder.Kind.NOTIFICATION).count() == 2


def test_a_delegate_whose_delegation_ended_before_sending_gets_nothing(
    world, django_capture_on_commit_callbacks
):
    from actionplan.services import delegation_revoke
    from followup.tasks import reminder_send

    return_report(world, world.a_submitted, capture=django_capture_on_commit_callbacks)
    mail.outbox.clear()
    reminder = Reminder.objects.get(email="delegate@example.org")
    Reminder.objects.filter(pk=reminder.pk).update(sent_at=None)
    delegation_revoke(delegation=world.delegation)

    reminder_send.apply(args=[reminder.pk])

    reminder.refresh_from_db()
    assert mail.outbox == []
    assert reminder.cancelled_at is not None
    assert reminder.last_error == "Personen rapporterar inte längre på åtagandet."


def test_nobody_of_another_organisation_hears_of_the_returned_report(
    world, django_capture_on_commit_callbacks
):
    return_report(world, world.b_submitted, capture=django_capture_on_commit_callbacks)

    assert sorted(message.to[0] for message in mail.outbox) == [
        "coordinator_b@example.org",
        "county_coordinator@example.org",
    ]


def test_the_returned_reports_comment_is_a_callout_at_the_top_of_the_form(
    client, world, django_capture_on_commit_callbacks
):
    return_report(world, world.a_submitted, capture=django_capture_on_commit_callbacks)

    html = login(client, world, "delegate").get(edit_url(world.commitment)).content.decode()

    callout = html.index('role="region" aria-labelledby="completion-heading"')
    assert callout < html.index('<form method="post" novalidate id="report-form"')
    assert "Kansliet har bett om komplettering" in html
    assert "Beskriv resultaten för norra länet." in html


# 2. Saving a draft


def test_a_draft_saves_without_a_status_and_stays_on_the_form(client, world):
    response = login(client, world, "coordinator_a").post(
        edit_url(world.other_commitment), DRAFT | {"version": "1", "save": "1"}
    )

    assert response.status_code == 302
    assert response["Location"] == edit_url(world.other_commitment)
    world.a_draft.refresh_from_db()
    assert world.a_draft.status == ""
    assert world.a_draft.percent_done is None
    assert world.a_draft.work_done == DRAFT["work_done"]
    page = client.get(response["Location"]).content.decode()
    when = timezone.localtime(world.a_draft.updated_at)
    assert f"Utkast sparat kl. {when:%H.%M}." in page


def test_the_saved_time_is_in_the_sites_time_zone_with_a_full_stop(world, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 26, 13, 32, tzinfo=datetime.UTC))
    world.a_draft.save()

    from followup.views import draft_saved_message

    assert draft_saved_message(world.a_draft) == "Utkast sparat kl. 14.32."


def test_submitting_needs_a_status_and_says_so_beside_the_field(client, world):
    response = login(client, world, "coordinator_a").post(
        edit_url(world.other_commitment), DRAFT | {"version": "1", "submit": "1"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Välj en status innan du skickar in." in html
    assert 'id="id_status_error"' in html
    assert 'href="#id_status_0"' in html
    assert DRAFT["work_done"] in html  # what was typed is kept
    world.a_draft.refresh_from_db()
    assert world.a_draft.state == ReportState.DRAFT
    assert world.a_draft.version == 1


def test_a_submission_still_goes_back_to_the_commitment(client, world):
    response = login(client, world, "coordinator_a").post(
        edit_url(world.other_commitment), VALID | {"version": "1", "submit": "1"}
    )

    assert response["Location"] == reverse(
        "followup:commitment-detail", args=[world.other_commitment.pk]
    )


def test_a_stale_draft_is_refused_and_the_typed_text_is_kept(client, world):
    ProgressReport.objects.filter(pk=world.a_draft.pk).update(version=5)

    response = login(client, world, "coordinator_a").post(
        edit_url(world.other_commitment),
        DRAFT | {"work_done": "Min osparade text.", "version": "1", "save": "1"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Någon annan har ändrat rapporten medan du skrev." in html
    assert "Min osparade text." in html
    world.a_draft.refresh_from_db()
    assert world.a_draft.work_done != "Min osparade text."


def test_the_autosave_answers_json_with_the_new_version(client, world):
    response = login(client, world, "coordinator_a").post(
        edit_url(world.other_commitment),
        DRAFT | {"version": "1", "save": "1"},
        headers={"X-Report-Autosave": "1"},
    )

    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["version"] == 2
    assert body["message"].startswith("Utkast sparat kl. ")


def test_a_stale_autosave_is_a_conflict_and_changes_nothing(client, world):
    ProgressReport.objects.filter(pk=world.a_draft.pk).update(version=5)

    response = login(client, world, "coordinator_a").post(
        edit_url(world.other_commitment),
        DRAFT | {"version": "1", "save": "1"},
        headers={"X-Report-Autosave": "1"},
    )

    assert response.status_code == 409
    assert "spara det själv" in json.loads(response.content)["message"]
    world.a_draft.refresh_from_db()
    assert world.a_draft.version == 5


@pytest.mark.parametrize("percent", ["abc", "101", "-1", "9" * 40])
def test_a_bad_autosave_is_a_400_not_a_500(client, world, percent):
    response = login(client, world, "coordinator_a").post(
        edit_url(world.other_commitment),
        DRAFT | {"percent_done": percent, "version": "1", "save": "1"},
        headers={"X-Report-Autosave": "1"},
    )

    assert response.status_code == 400


def test_a_draft_without_a_status_is_a_draft_only_in_the_database(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReport.objects.filter(pk=world.a_submitted.pk).update(status="")


# 3. Context: the description and last year's report


@pytest.fixture
def last_year(world):
    previous = ReportingPeriodFactory(year=world.period.year - 1)
    return ProgressReportFactory(
        commitment=world.other_commitment,
        organisation=world.a_draft.organisation,
        period=previous,
        state=ReportState.APPROVED,
        status="minor_deviation",
        percent_done=35,
        work_done="Förra årets arbete.",
        results="Förra årets resultat.",
    )


def test_the_form_shows_the_commitments_description_and_last_years_report(client, world, last_year):
    world.other_commitment.description = "Utbilda socialtjänsten i hela länet."
    world.other_commitment.save()

    html = login(client, world, "coordinator_a").get(edit_url(world.other_commitment))
    html = html.content.decode()

    assert "Utbilda socialtjänsten i hela länet." in html
    assert f"Förra årets rapport ({world.period.year - 1})" in html
    assert "Förra årets arbete." in html
    assert "Kopiera förra årets uppgifter" in html


def test_copying_last_year_without_javascript_fills_only_the_empty_fields(client, world, last_year):
    ProgressReport.objects.filter(pk=world.a_draft.pk).update(
        status="", percent_done=None, work_done="Mitt eget.", results=""
    )

    response = login(client, world, "coordinator_a").get(
        edit_url(world.other_commitment) + "?kopiera=1"
    )

    form = response.context["form"]
    assert form["status"].value() == "minor_deviation"
    assert form["percent_done"].value() == 35
    assert form["work_done"].value() == "Mitt eget."
    assert form["results"].value() == "Förra årets resultat."
    world.a_draft.refresh_from_db()
    assert world.a_draft.results == ""  # nothing saved until the person saves


def test_another_organisations_draft_of_last_year_is_not_shown(client, world):
    previous = ReportingPeriodFactory(year=world.period.year - 1)
    ProgressReportFactory(
        commitment=world.other_commitment,
        organisation=world.a_draft.organisation,
        period=previous,
        state=ReportState.DRAFT,
        work_done="A:s hemliga utkast.",
    )
    commitment_responsibility_set(
        commitment=world.other_commitment,
        lead_organisation=world.other_commitment.lead_organisation,
        participating_organisations=[world.b_submitted.organisation],
    )

    html = login(client, world, "coordinator_b").get(edit_url(world.other_commitment, "b"))

    assert "A:s hemliga utkast." not in html.content.decode()


# 4. The error summary


def test_the_error_summary_links_to_each_field_and_takes_the_focus(client, world):
    response = login(client, world, "coordinator_a").post(
        edit_url(world.other_commitment),
        DRAFT | {"percent_done": "200", "work_done": "", "version": "1", "submit": "1"},
    )

    html = response.content.decode()
    assert "Det finns fel i formuläret" in html
    assert 'role="alert" tabindex="-1"' in html
    assert "js/error-summary.js" in html
    for field in ("id_status_0", "id_percent_done", "id_work_done"):
        assert f'href="#{field}"' in html
    assert 'aria-describedby="id_percent_done_helptext id_percent_done_error"' in html


# 5. Mina uppgifter


def test_my_tasks_puts_returned_first_then_not_started_then_drafts_then_done(client, world):
    a = world.a_draft.organisation
    years = {"start_year": world.period.year, "end_year": world.period.year}
    codes = {}
    for code, state in [
        ("1.1", ReportState.SUBMITTED),
        ("1.2", None),
        ("1.3", ReportState.DRAFT),
        ("1.4", ReportState.RETURNED),
        ("1.5", None),
    ]:
        commitment = CommitmentFactory(lead_organisation=a, code=code, **years)
        codes[code] = commitment
        if state:
            ProgressReportFactory(
                commitment=commitment,
                organisation=a,
                period=world.period,
                state=state,
                review_comment="Komplettera." if state == ReportState.RETURNED else "",
            )
    # The personas' own: commitment submitted, other_commitment a draft.
    world.commitment.code, world.other_commitment.code = "9.1", "9.2"
    world.commitment.save()
    world.other_commitment.save()

    html = login(client, world, "coordinator_a").get(reverse("followup:my-tasks"))
    html = html.content.decode()

    order = sorted(["1.1", "1.2", "1.3", "1.4", "1.5", "9.1", "9.2"], key=html.index)
    assert order == ["1.4", "1.2", "1.5", "1.3", "9.2", "1.1", "9.1"]
    assert "Återsänd" in html
    assert "row-returned" in html


def test_my_tasks_links_to_my_follows(client, world):
    html = login(client, world, "delegate").get(reverse("followup:my-tasks")).content.decode()

    assert reverse("followup:my-follows") in html


# 6. Mina bevakningar


def test_my_follows_lists_delegations_and_follows_with_the_latest_report(client, world):
    CommitmentFollow.objects.create(user=world.users["delegate"], commitment=world.b_commitment)

    html = login(client, world, "delegate").get(reverse("followup:my-follows")).content.decode()

    delegated, followed = html.split('id="followed-heading"')
    assert world.commitment.title in delegated
    assert "Inskickad" in delegated
    assert world.b_commitment.title in followed
    # B's submitted report is B's and the county's to read, not A's delegate's.
    assert "Ingen rapport ännu." in followed
    assert world.other_commitment.title not in html


def test_my_follows_shows_the_latest_reports_the_person_may_read(client, world):
    CommitmentFollow.objects.create(user=world.users["county_staff"], commitment=world.b_commitment)

    html = login(client, world, "county_staff").get(reverse("followup:my-follows"))

    assert f"B {world.period.year}: " in html.content.decode()


def test_unfollowing_from_my_follows_comes_back_to_it(client, world):
    CommitmentFollow.objects.create(user=world.users["delegate"], commitment=world.b_commitment)

    response = login(client, world, "delegate").post(
        reverse("followup:follow", args=[world.b_commitment.pk]),
        {"follow": "0", "back": "my-follows"},
    )

    assert response["Location"] == reverse("followup:my-follows")
    assert not CommitmentFollow.objects.filter(user=world.users["delegate"]).exists()


def test_the_back_field_is_no_open_redirect(client, world):
    response = login(client, world, "delegate").post(
        reverse("followup:follow", args=[world.b_commitment.pk]),
        {"follow": "1", "back": "https://evil.example"},
    )

    assert response["Location"] == reverse(
        "followup:commitment-detail", args=[world.b_commitment.pk]
    )


def test_my_follows_shows_nobody_elses(client, world):
    CommitmentFollow.objects.create(
        user=world.users["coordinator_b"], commitment=world.b_commitment
    )

    html = login(client, world, "coordinator_a").get(reverse("followup:my-follows"))

    assert world.b_commitment.title not in html.content.decode()
    assert Delegation.objects.filter(membership__user=world.users["coordinator_a"]).count() == 0


def test_my_follows_asks_a_visitor_to_sign_in(client):
    response = client.get(reverse("followup:my-follows"))

    assert response.status_code == 302
    assert "login" in response["Location"] or "logga-in" in response["Location"]


# 7. Links only to usable pages, and a 403 that does not send people to themselves


@pytest.mark.parametrize(
    "persona,shown", [("coordinator_a", False), ("delegate", False), ("county_staff", True)]
)
def test_county_pages_are_linked_only_for_those_who_may_use_them(client, world, persona, shown):
    html = login(client, world, persona).get(reverse("followup:my-tasks")).content.decode()

    for name in ("followup:period-list", "followup:review-queue"):
        assert (f'href="{reverse(name)}"' in html) is shown
    assert f'href="{reverse("followup:my-follows")}"' in html


def test_the_403_tells_a_coordinator_who_may_use_the_page_and_offers_a_way_back(client, world):
    response = login(client, world, "coordinator_a").get(reverse("followup:period-list"))

    html = response.content.decode()
    assert response.status_code == 403
    assert "länets kansli" in html
    assert "samordnare" not in html.split('id="main"')[1]
    assert reverse("followup:my-tasks") in html
