"""Coverage county staff can act on: from the overview to the missing commitments, who to call,
when they were last reminded, "remind all late" with a preview, and locking with a confirmation.
"""

import datetime
import uuid

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from actors.emails import render_templated
from actors.models import Membership
from actors.services import membership_grant
from followup import overview
from followup.models import ProgressReport, Reminder, ReportingPeriod, ReportState
from tests.factories import (
    CommitmentFactory,
    OrganisationFactory,
    ProgressReportFactory,
    UserFactory,
    shipped_goal,
)
from tests.followup.test_reminders import at
from tests.personas import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client):
    """The personas' world, plus C, late with two commitments (goals 2 and 3) and no report."""
    world = build_world()
    c = OrganisationFactory(name="Kommun C", short_name="C", slug="c")
    cecilia = UserFactory(username="cecilia", first_name="Cecilia", last_name="Ceder")
    membership_grant(user=cecilia, organisation=c, role=Membership.Role.COORDINATOR)
    years = {"start_year": world.period.year, "end_year": world.period.year}
    world.c = c
    world.c_commitments = [
        CommitmentFactory(code="8.1", lead_organisation=c, goals=[shipped_goal(2)], **years),
        CommitmentFactory(code="8.2", lead_organisation=c, goals=[shipped_goal(3)], **years),
    ]
    client.force_login(world.users["county_staff"])
    return world


def overview_page(client, world) -> str:
    response = client.get(reverse("followup:period-overview", args=[world.period.year]))
    assert response.status_code == 200
    return response.content.decode()


def organisation_url(world, slug="c") -> str:
    return reverse("followup:period-organisation", args=[world.period.year, slug])


def sent_reminder(world, *, organisation_id, sent_at, kind=Reminder.Kind.BEFORE_DUE, **fields):
    """A delivered reminder whose e-mail listed one report of `organisation_id`."""
    return Reminder.objects.create(
        period=world.period,
        step=f"{kind}-{uuid.uuid4().hex[:8]}",
        kind=kind,
        email=f"{uuid.uuid4().hex[:8]}@example.org",
        claim_token=uuid.uuid4(),
        sent_at=sent_at,
        payload={"items": [{"commitment_id": 1, "organisation_id": organisation_id}]},
        **fields,
    )


# --- From the overview to the missing commitments -------------------------------------------


def test_organisation_names_and_matrix_cells_lead_to_the_missing_commitments(client, world):
    page = overview_page(client, world)

    assert f'href="{organisation_url(world)}?missing=1"' in page  # the late organisation's name
    assert f'href="{organisation_url(world)}"' in page  # its row in the matrix
    goal_two = shipped_goal(2)
    cell = f'href="{organisation_url(world)}?goal={goal_two.pk}&amp;missing=1"'
    assert cell in page

    response = client.get(organisation_url(world), {"goal": goal_two.pk, "missing": "1"})
    listed = [commitment.code for commitment in response.context["page_obj"]]
    assert listed == ["8.1"]


def test_the_organisations_page_lists_every_commitment_with_its_reports_state(client, world):
    a = world.commitment.lead_organisation

    response = client.get(organisation_url(world, "a"))

    assert response.status_code == 200
    states = {row.pk: row.report_state for row in response.context["page_obj"]}
    assert states == {
        world.commitment.pk: ReportState.SUBMITTED,
        world.other_commitment.pk: ReportState.DRAFT,
    }
    # The missing one first; what was sent in can be read, the draft is A's own.
    assert response.context["page_obj"][0].pk == world.other_commitment.pk
    page = response.content.decode()
    assert "Utkast" in page and "Inskickad" in page
    assert reverse("followup:report-detail", args=[world.a_submitted.pk]) in page
    assert reverse("followup:report-detail", args=[world.a_draft.pk]) not in page
    assert a.name in page

    missing_only = client.get(organisation_url(world, "a"), {"missing": "1"})
    assert [row.pk for row in missing_only.context["page_obj"]] == [world.other_commitment.pk]


@pytest.mark.parametrize(
    "query", [{"goal": "x"}, {"goal": "999999"}, {"missing": "yes"}, {"page": "-1"}]
)
def test_a_bad_filter_on_the_organisations_page_is_ignored_not_a_500(client, world, query):
    response = client.get(organisation_url(world), query)

    assert response.status_code == 200
    assert len(response.context["page_obj"]) == 2


def test_an_unknown_organisation_or_period_is_a_404(client, world):
    assert client.get(organisation_url(world, "no-such")).status_code == 404
    missing_year = reverse("followup:period-organisation", args=[1999, "c"])
    assert client.get(missing_year).status_code == 404


def test_coordinators_may_not_read_another_organisations_page(client, world):
    client.force_login(world.users["coordinator_a"])

    assert client.get(organisation_url(world)).status_code == 403
    assert client.get(organisation_url(world, "a")).status_code == 403


# --- Who to call, and when they were last reminded ------------------------------------------


def test_each_late_organisation_shows_its_contacts_and_its_last_reminder(client, world):
    now = timezone.now()
    c = world.c
    contact = UserFactory(username="chef", first_name="Chris", last_name="Chef")
    membership_grant(
        user=contact, organisation=c, role=Membership.Role.COLLEAGUE, is_contact_person=True
    )
    # A colleague who is no contact person is not listed.
    membership_grant(
        user=UserFactory(username="kollega", first_name="Kim"),
        organisation=c,
        role=Membership.Role.COLLEAGUE,
    )
    last = now - datetime.timedelta(days=2)
    sent_reminder(world, organisation_id=c.pk, sent_at=now - datetime.timedelta(days=9))
    sent_reminder(
        world, organisation_id=c.pk, sent_at=last, kind=Reminder.Kind.MANUAL, organisation=c
    )
    # Neither counts: not delivered, or county staff's escalation listing everyone.
    sent_reminder(world, organisation_id=c.pk, sent_at=None)
    sent_reminder(world, organisation_id=c.pk, sent_at=now, kind=Reminder.Kind.ESCALATION)

    response = client.get(reverse("followup:period-overview", args=[world.period.year]))

    late = {entry.row.slug: entry for entry in response.context["late_page"]}
    assert [contact.name for contact in late["c"].contacts] == ["Chris Chef", "Cecilia Ceder"]
    assert late["c"].last_reminded == last
    assert late["a"].last_reminded is None
    page = response.content.decode()
    assert 'href="mailto:cecilia@example.org">Cecilia Ceder</a>' in page
    assert "Kim" not in page
    assert f'datetime="{timezone.localtime(last).isoformat()}"' in page
    assert "Inte påmind" in page  # A

    detail = client.get(organisation_url(world)).content.decode()
    assert 'href="mailto:chef@example.org">Chris Chef</a>' in detail
    assert timezone.localtime(last).strftime("%H:%M") in detail


def test_contacts_and_last_reminders_cost_the_same_for_one_late_organisation_as_for_many(
    client, world, django_assert_num_queries
):
    """The pinned count is in tests/test_query_counts.py; here, many late organisations."""

    def add_late(count):
        for _number in range(count):
            late = OrganisationFactory()
            membership_grant(
                user=UserFactory(), organisation=late, role=Membership.Role.COORDINATOR
            )
            CommitmentFactory(
                lead_organisation=late,
                start_year=world.period.year,
                end_year=world.period.year,
            )
            sent_reminder(world, organisation_id=late.pk, sent_at=timezone.now())

    url = reverse("followup:period-overview", args=[world.period.year])
    client.get(url)  # the figures in the cache, as on most requests
    # Contacts and last reminders are one query each for the whole page, not one a row.
    with django_assert_num_queries(7):
        client.get(url)
    add_late(20)
    cache.clear()  # factories bump no cache version
    client.get(url)
    with django_assert_num_queries(7):
        response = client.get(url)
    assert len(response.context["late_page"]) == 22


# --- Remind all late -----------------------------------------------------------------------


def remind_all_url(world):
    return reverse("followup:remind-all-late", args=[world.period.year])


def test_remind_all_late_previews_the_e_mail_with_its_deadline_and_sends_nothing(client, world):
    response = client.get(remind_all_url(world))

    assert response.status_code == 200
    plan = response.context["plan"]
    assert [organisation.slug for organisation in plan.reminded] == ["c", "a"]  # by name
    subject, text, html = response.context["preview"]
    due = world.period.due_on
    deadline = f"Sista dag att rapportera är {due.day} "
    assert deadline in text and deadline in html
    assert "Det är 10 dagar kvar." in text and "Det är 10 dagar kvar." in html
    assert "8.1" in text and "8.2" in text  # the example is C's
    page = response.content.decode()
    assert "Påminnelse från kansliet" in subject
    assert "Det är 10 dagar kvar." in page
    assert "Kommun C" in page and "Myndighet A" in page
    assert "2 organisationer saknar rapporter och påminns nu." in page
    assert not Reminder.objects.exists()


def test_remind_all_late_queues_one_reminder_per_late_organisation_once(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(remind_all_url(world), follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(remind_all_url(world), follow=True)

    reminded = Reminder.objects.order_by("organisation__slug")
    assert [(r.organisation.slug, r.kind) for r in reminded] == [
        ("a", Reminder.Kind.MANUAL),
        ("c", Reminder.Kind.MANUAL),
    ]
    assert {r.recipient.username for r in reminded} == {"coordinator_a", "cecilia"}
    assert all(r.triggered_by == world.users["county_staff"] for r in reminded)
    assert sorted(message.to[0] for message in mail.outbox) == [
        "cecilia@example.org",
        "coordinator_a@example.org",
    ]
    assert "Det är 10 dagar kvar." in mail.outbox[0].body
    assert "Påminnelser skickade till 2 personer på 2 organisationer." in first.content.decode()
    assert "Inga påminnelser skickades" in second.content.decode()


def test_remind_all_late_leaves_out_an_organisation_reminded_today(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("followup:remind-now", args=[world.period.year, "c"]))
        preview = client.get(remind_all_url(world))
        client.post(remind_all_url(world))

    assert [o.slug for o in preview.context["plan"].reminded_recently] == ["c"]
    assert Reminder.objects.filter(organisation=world.c).count() == 1
    assert Reminder.objects.filter(organisation__slug="a").count() == 1


def test_remind_all_late_names_the_late_organisations_nobody_can_be_reminded_at(client, world):
    nobody = OrganisationFactory(name="Kommun utan samordnare", short_name="Utan", slug="utan")
    CommitmentFactory(
        lead_organisation=nobody, start_year=world.period.year, end_year=world.period.year
    )

    response = client.get(remind_all_url(world))

    assert [o.slug for o in response.context["plan"].unreachable] == ["utan"]
    assert f'href="{organisation_url(world, "utan")}?missing=1"' in response.content.decode()


def test_remind_all_late_with_nobody_late_offers_nothing_to_send(client, world):
    for commitment in world.c_commitments:
        ProgressReportFactory(
            commitment=commitment,
            organisation=world.c,
            period=world.period,
            state=ReportState.SUBMITTED,
        )
    ProgressReport.objects.filter(pk=world.a_draft.pk).update(state=ReportState.SUBMITTED)

    page = client.get(remind_all_url(world)).content.decode()
    response = client.post(remind_all_url(world), follow=True)

    assert "Det finns ingen att påminna just nu." in page
    assert '<form method="post" class="form-actions">' not in page
    assert "Inga påminnelser skickades" in response.content.decode()
    assert not Reminder.objects.exists()


def test_remind_all_late_in_a_closed_period_sends_nothing(client, world):
    ReportingPeriod.objects.filter(pk=world.period.pk).update(locked_at=timezone.now())

    page = client.get(remind_all_url(world))
    response = client.post(remind_all_url(world), follow=True)

    assert "Perioden är stängd" in page.content.decode()
    assert "Perioden är stängd" in response.content.decode()
    assert not Reminder.objects.exists()


def test_the_overview_offers_remind_all_only_to_county_staff_in_an_open_period(client, world):
    assert remind_all_url(world) in overview_page(client, world)

    client.force_login(world.users["administrator"])
    assert remind_all_url(world) not in overview_page(client, world)


# --- The deadline in every reminder --------------------------------------------------------


@pytest.mark.parametrize(
    "days_before_due,sentence",
    [
        (3, "Sista dag att rapportera är 31 mars 2027. Det är 3 dagar kvar."),
        (1, "Sista dag att rapportera är 31 mars 2027. Det är 1 dag kvar."),
        (0, "Sista dag att rapportera är i dag, 31 mars 2027."),
        (-1, "Sista dag att rapportera var 31 mars 2027, för 1 dag sedan."),
        (-12, "Sista dag att rapportera var 31 mars 2027, för 12 dagar sedan."),
    ],
)
@pytest.mark.parametrize("kind", ["manual", "before_due", "overdue", "escalation"])
def test_a_reminder_states_the_deadline_and_the_days_left_or_passed(
    days_before_due, sentence, kind
):
    period = ReportingPeriod(
        year=2027,
        opens_on=datetime.date(2027, 1, 1),
        due_on=datetime.date(2027, 3, 31),
        closes_on=datetime.date(2027, 5, 31),
    )
    reminder = Reminder(period=period, kind=kind, payload={"name": "Anna"})

    with at(period.due_on - datetime.timedelta(days=days_before_due)):
        _subject, text, html = render_templated(reminder.email_template, reminder.email_context([]))

    assert sentence in text
    assert sentence in html


# --- Locking asks first --------------------------------------------------------------------


def lock_url(world):
    return reverse("followup:period-lock", args=[world.period.year])


def test_locking_asks_for_confirmation_and_a_get_does_not_lock(client, world):
    ProgressReportFactory(
        commitment=world.c_commitments[0],
        organisation=world.c,
        period=world.period,
        state=ReportState.RETURNED,
    )
    assert f'href="{lock_url(world)}"' in overview_page(client, world)

    response = client.get(lock_url(world))

    world.period.refresh_from_db()
    assert world.period.locked_at is None
    assert response.status_code == 200
    summary = response.context["summary"]
    # A's draft, C's returned report and C's report not started; A's and B's submitted ones.
    assert (summary.missing, summary.drafts, summary.returned, summary.not_started) == (3, 1, 1, 1)
    assert summary.waiting_for_review == 2
    page = response.content.decode()
    assert "3 rapporter har inte skickats in" in page
    assert "1 utkast, 1 återsända för komplettering och 1 inte påbörjade." in page
    assert "2 inskickade rapporter väntar på granskning." in page


def test_the_confirmed_form_locks_the_period(client, world):
    response = client.post(lock_url(world))

    assert response.status_code == 302
    world.period.refresh_from_db()
    assert world.period.locked_at is not None
    assert "låstes" in client.get(lock_url(world)).content.decode()


def test_coordinators_and_administrators_may_not_lock(client, world):
    for persona in ("coordinator_a", "administrator"):
        client.force_login(world.users[persona])
        assert client.get(lock_url(world)).status_code == 403
        assert client.post(lock_url(world)).status_code == 403
        assert client.get(remind_all_url(world)).status_code == 403
        assert client.post(remind_all_url(world)).status_code == 403
    world.period.refresh_from_db()
    assert world.period.locked_at is None
    assert not Reminder.objects.exists()


# --- English --------------------------------------------------------------------------------


@pytest.fixture
def english(client):
    """The client asks for English; the language the requests leave active is put back."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    yield
    translation.activate(settings.LANGUAGE_CODE)


def test_the_new_pages_speak_english_when_asked(client, world, english):

    overview = overview_page(client, world)
    organisation = client.get(organisation_url(world)).content.decode()
    remind = client.get(remind_all_url(world)).content.decode()
    lock = client.get(lock_url(world)).content.decode()

    assert "Remind all late" in overview and "Last reminded" in overview
    assert "Påminn alla sena" not in overview
    assert "Contact people" in organisation and "Not started" in organisation
    assert "organisations are missing reports and are reminded now" in remind
    # The e-mail itself stays Swedish: it goes to Swedish public-sector staff.
    assert "Sista dag att rapportera" in remind
    assert "Yes, lock the period" in lock


def test_the_quick_starts_reading_of_the_last_reminders_agrees_with_postgresqls(world):
    """SQLite has no jsonb functions; its reading in Python must give the same dates."""
    now = timezone.now()
    a, c = world.commitment.lead_organisation, world.c
    sent_reminder(world, organisation_id=c.pk, sent_at=now - datetime.timedelta(days=9))
    sent_reminder(world, organisation_id=c.pk, sent_at=now - datetime.timedelta(days=2))
    sent_reminder(world, organisation_id=a.pk, sent_at=now - datetime.timedelta(days=5))
    sent_reminder(world, organisation_id=a.pk, sent_at=None)
    sent_reminder(world, organisation_id=c.pk, sent_at=now, kind=Reminder.Kind.ESCALATION)
    ids = [a.pk, c.pk]

    in_sql = overview.last_reminded(world.period, ids)

    assert in_sql == {
        a.pk: now - datetime.timedelta(days=5),
        c.pk: now - datetime.timedelta(days=2),
    }
    assert overview._last_reminded_in_python(world.period, ids) == in_sql
