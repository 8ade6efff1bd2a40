"""The reminder schedule, travelled through day by day, and what each e-mail says."""

import datetime
import io
import smtplib
import threading
import time
from collections import defaultdict
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone

from actionplan.services import commitment_responsibility_set
from actors.models import Membership
from actors.services import membership_grant
from followup import reminders
from followup.models import CommitmentFollow, Reminder, ReminderSettings, ReportState
from followup.tasks import reminders_sweep as reminders_sweep_task
from kvinnofrid.celery import app as celery_app
from tests.factories import (
    CommitmentFactory,
    OrganisationFactory,
    ProgressReportFactory,
    ReportingPeriodFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
STOCKHOLM = ZoneInfo("Europe/Stockholm")
# Summer time starts on 28 March 2027, inside the period.
OPENS, DUE, CLOSES = (
    datetime.date(2027, 3, 1),
    datetime.date(2027, 3, 31),
    datetime.date(2027, 5, 15),
)


def build_county():
    """Organisation A leads two commitments; B leads one that A takes part in."""
    period = ReportingPeriodFactory(year=2027, opens_on=OPENS, due_on=DUE, closes_on=CLOSES)
    a = OrganisationFactory(short_name="A", slug="a", contact_email="registrator@a.example")
    b = OrganisationFactory(short_name="B", slug="b")
    kansli = OrganisationFactory(short_name="Kansli", slug="kansli")
    people = {}
    for username, organisation, role, contact in [
        ("anna", a, Membership.Role.COORDINATOR, False),
        ("bo", b, Membership.Role.COORDINATOR, False),
        ("chef", a, Membership.Role.COLLEAGUE, True),
        ("kerstin", kansli, Membership.Role.COUNTY_STAFF, False),
    ]:
        people[username] = UserFactory(username=username, email=f"{username}@example.org")
        membership_grant(
            user=people[username], organisation=organisation, role=role, is_contact_person=contact
        )
    years = {"start_year": 2026, "end_year": 2028}
    commitments = [
        CommitmentFactory(code="1.1", lead_organisation=a, **years),
        CommitmentFactory(code="1.2", lead_organisation=a, **years),
        CommitmentFactory(
            code="2.1", lead_organisation=b, participating_organisations=[a], **years
        ),
        # Out of scope: ended before the period's year. (Factories number theirs 9.0, 9.1 …)
        CommitmentFactory(code="7.9", lead_organisation=a, start_year=2020, end_year=2022),
    ]
    return {"period": period, "a": a, "b": b, "people": people, "commitments": commitments}


@pytest.fixture
def county():
    return build_county()


def at(day: datetime.date, hour=7, minute=0):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(hour, minute), STOCKHOLM)
    )


def sweep(day, capture):
    with at(day), capture(execute=True):
        return reminders.reminders_sweep(day=day)


def days(start, end):
    day = start
    while day <= end:
        yield day
        day += datetime.timedelta(days=1)


@pytest.mark.parametrize(
    "day,step",
    [
        (datetime.date(2027, 2, 28), None),  # not open yet
        (datetime.date(2027, 3, 1), None),  # open, no reminder step yet (the invitation is apart)
        (datetime.date(2027, 3, 16), None),
        (datetime.date(2027, 3, 17), "due-14"),
        (datetime.date(2027, 3, 27), "due-14"),
        (datetime.date(2027, 3, 28), "due-3"),
        (datetime.date(2027, 3, 31), "due-3"),  # the last day itself
        (datetime.date(2027, 4, 1), "overdue-0"),  # the day after
        (datetime.date(2027, 4, 6), "overdue-0"),
        (datetime.date(2027, 4, 7), "overdue-1"),  # then weekly
        (datetime.date(2027, 4, 14), "overdue-2"),
        (datetime.date(2027, 5, 15), "overdue-6"),
        (datetime.date(2027, 5, 16), None),  # closed
    ],
)
def test_the_step_of_each_day(county, day, step):
    found = reminders.step_for_day(county["period"], day, ReminderSettings.load())

    assert (found[0] if found else None) == step


def test_administrators_change_the_steps(county):
    settings_row = ReminderSettings.load()
    settings_row.days_before_due = "7"
    settings_row.weekly_overdue = False
    settings_row.save()

    assert (
        reminders.step_for_day(county["period"], datetime.date(2027, 3, 17), settings_row) is None
    )
    assert (
        reminders.step_for_day(county["period"], datetime.date(2027, 3, 24), settings_row)[0]
        == "due-7"
    )
    assert reminders.step_for_day(county["period"], datetime.date(2027, 4, 7), settings_row) is None


def test_a_whole_period_day_by_day_across_the_change_to_summer_time(
    county, django_capture_on_commit_callbacks
):
    received = defaultdict(list)
    for day in days(datetime.date(2027, 2, 25), datetime.date(2027, 5, 20)):
        before = len(mail.outbox)
        sweep(day, django_capture_on_commit_callbacks)
        for message in mail.outbox[before:]:
            received[message.to[0]].append((day, message.subject))

    def steps(address):
        return [(day.isoformat(), subject.split(" – ")[0]) for day, subject in received[address]]

    anna = steps("anna@example.org")
    assert [day for day, _subject in anna] == [
        "2027-03-01",  # invitation
        "2027-03-17",  # 14 days before
        "2027-03-28",  # 3 days before: the day summer time starts
        "2027-04-01",  # the day after
        "2027-04-07",  # weekly
        "2027-04-14",
        "2027-04-21",
        "2027-04-28",
        "2027-05-05",
        "2027-05-12",
    ]
    assert anna[0][1] == "Uppföljning 2027 har öppnat: dags att rapportera"
    assert anna[1][1] == "Påminnelse: rapportera senast 31 mars"
    assert anna[3][1] == "Försenad: rapporter saknas"
    # After 14 overdue days the contact person, the organisation and county staff hear of it, once.
    for address in ("chef@example.org", "registrator@a.example", "kerstin@example.org"):
        assert [day for day, _subject in steps(address)] == ["2027-04-14"]
    assert Reminder.objects.count() == sum(len(messages) for messages in received.values())


def test_reminders_stop_for_a_person_once_everything_is_reported(
    county, django_capture_on_commit_callbacks
):
    sweep(OPENS, django_capture_on_commit_callbacks)
    bo_commitment = county["commitments"][2]
    ProgressReportFactory(
        commitment=bo_commitment,
        organisation=county["b"],
        period=county["period"],
        state=ReportState.SUBMITTED,
    )
    mail.outbox.clear()

    sweep(datetime.date(2027, 3, 17), django_capture_on_commit_callbacks)

    assert sorted(message.to[0] for message in mail.outbox) == ["anna@example.org"]


def test_a_reminder_lists_every_missing_commitment_with_a_direct_link_in_text_and_html(
    county, django_capture_on_commit_callbacks
):
    sweep(OPENS, django_capture_on_commit_callbacks)
    ProgressReportFactory(
        commitment=county["commitments"][0],
        organisation=county["a"],
        period=county["period"],
        state=ReportState.SUBMITTED,
    )
    mail.outbox.clear()

    sweep(datetime.date(2027, 3, 17), django_capture_on_commit_callbacks)

    message = next(m for m in mail.outbox if m.to == ["anna@example.org"])
    html = message.alternatives[0][0]
    for code, commitment in [("1.2", county["commitments"][1]), ("2.1", county["commitments"][2])]:
        link = reverse("followup:report-edit", args=[commitment.pk, "a"])
        assert f"- {code} " in message.body
        assert link in message.body
        assert link in html
    assert "1.1" not in message.body  # reported already
    assert "7.9" not in message.body  # not in the period
    assert "Sista dag att rapportera är 31 mars 2027." in message.body


@pytest.mark.parametrize("kind", Reminder.Kind.values)
def test_each_kind_of_reminder_has_its_own_e_mail_templates(kind):
    for part in ("subject.txt", "body.txt", "body.html"):
        get_template(f"followup/emails/{kind}_{part}")


def test_running_the_sweep_twice_sends_nothing_twice(county, django_capture_on_commit_callbacks):
    first = sweep(OPENS, django_capture_on_commit_callbacks)
    sent = len(mail.outbox)

    second = sweep(OPENS, django_capture_on_commit_callbacks)

    assert len(first) == sent == 2
    assert second == []
    assert len(mail.outbox) == sent


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_planning_the_same_reminders_claim_each_once(county):
    with at(OPENS):
        planned = reminders.reminders_sweep(day=OPENS, dry_run=True)
        claimed = run_together(lambda: reminders.claim_and_queue(planned), times=2)

    assert len(planned) == 2
    keys = [(reminder.email, reminder.step) for claim in claimed for reminder in claim]
    assert sorted(keys) == [
        ("anna@example.org", "invitation"),
        ("bo@example.org", "invitation"),
    ]
    assert Reminder.objects.count() == 2


def run_together(work, *, times):
    """Run `work` in `times` threads, each with its own database connection, started at once."""
    barrier = threading.Barrier(times)
    results, errors = [None] * times, []

    def run(index):
        try:
            barrier.wait(timeout=10)
            results[index] = work()
        except BaseException as error:  # re-raised in the test's thread
            errors.append(error)
        finally:
            connection.close()  # the thread's own connection

    threads = [threading.Thread(target=run, args=[index]) for index in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    if errors:
        raise errors[0]
    return results


def test_the_sweep_runs_a_constant_number_of_queries(county, django_assert_num_queries):
    def sweep_queries(day):
        with at(day), django_assert_num_queries(QUERIES) as captured:
            reminders.reminders_sweep(day=day)
        return captured

    QUERIES = 16
    ReminderSettings.load()  # created once, on the very first sweep of a new installation
    sweep_queries(datetime.date(2027, 4, 14))  # invitations: every person at once
    Reminder.objects.all().delete()

    # Ten times the organisations, people and commitments: the same number of queries.
    for _number in range(10):
        organisation = OrganisationFactory()
        membership_grant(
            user=UserFactory(), organisation=organisation, role=Membership.Role.COORDINATOR
        )
        for _ in range(3):
            CommitmentFactory(lead_organisation=organisation, start_year=2027, end_year=2027)
        sweep_queries(datetime.date(2027, 4, 14))


def test_county_staff_send_a_reminder_now_at_most_once_a_day(
    client, county, django_capture_on_commit_callbacks
):
    url = reverse("followup:remind-now", args=[2027, "a"])

    with at(datetime.date(2027, 4, 2)), django_capture_on_commit_callbacks(execute=True):
        client.force_login(county["people"]["kerstin"])  # signed in "then", or the session expires
        client.post(url)
        again = client.post(url, follow=True)

    assert [message.to for message in mail.outbox] == [["anna@example.org"]]
    assert "för mindre än ett dygn sedan" in again.content.decode()
    reminder = Reminder.objects.get()
    assert reminder.kind == Reminder.Kind.MANUAL
    assert reminder.triggered_by == county["people"]["kerstin"]


def test_a_follower_hears_when_a_report_is_submitted_and_when_it_is_returned(
    client, county, django_capture_on_commit_callbacks
):
    anna, bo, kerstin = (county["people"][name] for name in ("anna", "bo", "kerstin"))
    joint = county["commitments"][2]
    form = {"status": "on_track", "percent_done": 50, "work_done": "Gjort.", "version": 0}

    with at(datetime.date(2027, 3, 10)), django_capture_on_commit_callbacks(execute=True):
        client.force_login(anna)
        client.post(reverse("followup:follow", args=[joint.pk]), {"follow": "1"})
        client.force_login(bo)
        client.post(reverse("followup:report-edit", args=[joint.pk, "b"]), form | {"submit": "1"})
        client.force_login(kerstin)
        report = joint.progress_reports.get()
        client.post(
            reverse("followup:report-return", args=[report.pk]),
            {"version": report.version, "comment": "Komplettera."},
        )

    subjects = [(m.to[0], m.subject.split(" – ")[0]) for m in mail.outbox]
    # Bo, who must complete it, hears it from county staff, with the comment (issue 10).
    assert subjects == [
        ("anna@example.org", "Ny rapport om 2.1"),
        ("bo@example.org", "Kansliet ber er komplettera rapporten om 2.1"),
        ("anna@example.org", "Rapport om 2.1 återsänd för komplettering"),
    ]


def test_a_mail_server_that_is_down_is_retried_and_the_failure_is_visible(
    client, county, settings, monkeypatch
):
    settings.REMINDER_MAX_RETRIES = 2
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", False)

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    with at(OPENS):
        reminders.reminders_sweep(day=OPENS, dry_run=False)
        from followup.tasks import reminder_send

        for reminder in Reminder.objects.all():
            reminder_send.apply(args=[reminder.pk])

    reminder = Reminder.objects.get(email="anna@example.org")
    assert reminder.sent_at is None
    assert reminder.attempts == 3  # the first try and two retries
    assert reminder.failed_at is not None
    client.force_login(county["people"]["kerstin"])
    log = client.get(reverse("followup:reminder-log", args=[2027])).content.decode()
    assert "Kunde inte skickas" in log
    assert "SMTPServerDisconnected" in log
    overview = client.get(reverse("followup:period-overview", args=[2027])).content.decode()
    assert "2 påminnelser har inte kunnat levereras till e-postservern." in overview


def test_send_reminders_prints_what_it_would_send_and_what_it_sent(
    county, django_capture_on_commit_callbacks
):
    dry = io.StringIO()
    call_command("send_reminders", "--today", "2027-03-01", "--dry-run", stdout=dry)
    assert "Would send invitation to anna@example.org: 3 commitment(s)" in dry.getvalue()
    assert not Reminder.objects.exists()

    real = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--today", "2027-03-01", stdout=real)
    assert "Sent 2 reminder(s)." in real.getvalue()
    assert len(mail.outbox) == 2

    again = io.StringIO()
    call_command("send_reminders", "--today", "2027-03-01", stdout=again)
    assert "No reminders are due." in again.getvalue()


@pytest.mark.parametrize("today", ["2027-13-01", "tomorrow", ""])
def test_send_reminders_refuses_a_bad_date_clearly(today):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--today", today)


def test_the_daily_beat_entry_fires_at_seven_stockholm_time_across_summer_time():
    entry = celery_app.conf.beat_schedule["reminder-sweep"]
    schedule = entry["schedule"]
    schedule.app = celery_app
    fired = []
    last_run = datetime.datetime(2027, 3, 25, 7, 0, tzinfo=STOCKHOLM)
    moment = last_run
    while moment < datetime.datetime(2027, 3, 31, 0, 0, tzinfo=STOCKHOLM):
        moment += datetime.timedelta(minutes=15)
        with time_machine.travel(moment, tick=False):
            due, _next = schedule.is_due(last_run)
        if due:
            fired.append(moment.astimezone(STOCKHOLM).strftime("%m-%d %H:%M %Z"))
            last_run = moment

    assert fired == [
        "03-26 07:00 CET",
        "03-27 07:00 CET",
        "03-28 07:00 CEST",  # summer time started at 02:00 that night
        "03-29 07:00 CEST",
        "03-30 07:00 CEST",
    ]


# --- With the real parts: a Celery worker on Redis, and an SMTP server on loopback -----------


def wait_until(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.2)


def all_sent_and_nothing_left_to_run(worker, smtp) -> bool:
    """Every claimed reminder is sent, the SMTP server has at least as many messages, and the
    worker has nothing queued, running or scheduled: whatever was sent twice has arrived."""
    claimed = Reminder.objects.count()
    return (
        claimed > 0
        and not Reminder.objects.filter(sent_at__isnull=True).exists()
        and len(smtp.messages) >= claimed
        and worker.is_idle()
    )


@pytest.fixture
def open_county():
    """The county above, with its period open today (the worker sweeps the real today)."""
    today = timezone.localdate()
    data = build_county()
    data["period"].opens_on = today - datetime.timedelta(days=1)
    data["period"].due_on = today + datetime.timedelta(days=10)
    data["period"].closes_on = today + datetime.timedelta(days=30)
    data["period"].year = today.year
    data["period"].save()
    return data


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_sweep_run_twice_by_the_worker_sends_each_reminder_exactly_once(
    open_county, celery_worker, smtp
):
    first = reminders_sweep_task.delay().get(timeout=30)
    second = reminders_sweep_task.delay().get(timeout=30)

    assert (first, second) == (2, 0)
    wait_until(lambda: all_sent_and_nothing_left_to_run(celery_worker, smtp))
    assert smtp.recipients() == ["anna@example.org", "bo@example.org"]
    assert all(message.is_multipart() for message in smtp.messages)  # text and HTML
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 2


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reminders_claimed_while_the_mail_server_is_down_all_arrive_once_it_is_back(
    open_county, celery_worker, smtp
):
    smtp.stop()

    assert reminders_sweep_task.delay().get(timeout=30) == 2
    wait_until(lambda: Reminder.objects.filter(attempts__gte=2).count() == 2)
    assert not Reminder.objects.filter(sent_at__isnull=False).exists()
    assert "ConnectionRefusedError" in Reminder.objects.first().last_error

    smtp.start()
    wait_until(lambda: Reminder.objects.filter(sent_at__isnull=False).count() == 2)
    assert reminders_sweep_task.delay().get(timeout=30) == 0  # a sweep meanwhile adds nothing
    wait_until(lambda: all_sent_and_nothing_left_to_run(celery_worker, smtp))
    assert smtp.recipients() == ["anna@example.org", "bo@example.org"]
    assert Reminder.objects.count() == 2


def test_send_reminders_for_a_given_day_run_twice_sends_one_e_mail_per_person(
    county, django_capture_on_commit_callbacks
):
    # Not travelling in time: --today differs from the clock, as when an operator catches up.
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_reminders", "--today", "2027-03-20", stdout=io.StringIO())

    assert sorted(message.to[0] for message in mail.outbox) == [
        "anna@example.org",
        "bo@example.org",
    ]


def test_a_broker_that_is_down_fails_no_request_and_the_reminder_is_queued_again_later(
    client, county, django_capture_on_commit_callbacks, monkeypatch
):
    from kombu.exceptions import OperationalError

    from followup.tasks import reminder_send

    anna, bo = county["people"]["anna"], county["people"]["bo"]
    joint = county["commitments"][2]
    form = {"status": "on_track", "percent_done": 50, "work_done": "Gjort.", "version": 0}
    with at(datetime.date(2027, 3, 10)), django_capture_on_commit_callbacks(execute=True):
        client.force_login(anna)
        client.post(reverse("followup:follow", args=[joint.pk]), {"follow": "1"})
        client.force_login(bo)
        real_delay = reminder_send.delay
        monkeypatch.setattr(reminder_send, "delay", _raise(OperationalError("Redis is down")))
        response = client.post(
            reverse("followup:report-edit", args=[joint.pk, "b"]), form | {"submit": "1"}
        )
    assert response.status_code == 302
    assert joint.progress_reports.get().state == ReportState.SUBMITTED
    assert mail.outbox == []
    assert Reminder.objects.get().queued_at is None

    monkeypatch.setattr(reminder_send, "delay", real_delay)
    with at(datetime.date(2027, 3, 10), hour=8), django_capture_on_commit_callbacks(execute=True):
        requeued = reminders.reminders_requeue_stale()

    assert requeued == 1
    assert [message.to for message in mail.outbox] == [["anna@example.org"]]
    reminder = Reminder.objects.get()
    assert reminder.sent_at is not None
    assert reminder.queued_at is not None


def test_a_reminder_waiting_for_its_retry_is_not_queued_twice(county):
    with at(OPENS):
        # Anna's and Bo's invitations; on_commit never runs here, so neither reaches the queue.
        assert len(reminders.reminders_sweep(day=OPENS)) == 2
        waiting = Reminder.objects.get(email="anna@example.org")
        reminders.reminder_record_failure(
            waiting.pk, OSError("refused"), retry_in=datetime.timedelta(hours=1)
        )
    with at(OPENS, hour=8):  # an hour later, Anna's retry is due but not overdue
        requeued = reminders.reminders_requeue_stale()

    assert requeued == 1  # Bo's, which never reached the queue


def test_a_backlog_on_the_broker_is_not_queued_again(
    county, django_capture_on_commit_callbacks, monkeypatch
):
    from followup.tasks import reminder_send

    on_the_broker = []  # handed to the broker, not yet reached by a worker
    monkeypatch.setattr(reminder_send, "delay", on_the_broker.append)
    with at(OPENS), django_capture_on_commit_callbacks(execute=True):
        reminders.reminders_sweep(day=OPENS)
    assert len(on_the_broker) == 2

    # Six hours on, an opening-day burst still waits for the workers: that is not lost.
    with at(OPENS, hour=13), django_capture_on_commit_callbacks(execute=True):
        assert reminders.reminders_requeue_stale() == 0
    assert len(on_the_broker) == 2

    # Two days on, Redis would long since have redelivered them: now they count as lost.
    with at(OPENS + datetime.timedelta(days=2)), django_capture_on_commit_callbacks(execute=True):
        assert reminders.reminders_requeue_stale() == 2
    assert len(on_the_broker) == 4


def test_a_reminder_that_never_reached_the_broker_is_queued_again_soon(
    county, django_capture_on_commit_callbacks, monkeypatch
):
    from kombu.exceptions import OperationalError

    from followup.tasks import reminder_send

    real_delay, on_the_broker = reminder_send.delay, []

    def broker_fails_half_way(reminder_id):
        if on_the_broker:
            raise OperationalError("Redis is down")
        on_the_broker.append(reminder_id)

    monkeypatch.setattr(reminder_send, "delay", broker_fails_half_way)
    with at(OPENS), django_capture_on_commit_callbacks(execute=True):
        claimed = reminders.reminders_sweep(day=OPENS)  # Anna's first, then Bo's
    assert [reminder.email for reminder in claimed] == ["anna@example.org", "bo@example.org"]
    assert on_the_broker == [claimed[0].pk]

    monkeypatch.setattr(reminder_send, "delay", real_delay)
    with at(OPENS, minute=10), django_capture_on_commit_callbacks(execute=True):
        assert reminders.reminders_requeue_stale() == 0  # give the on-commit queueing a moment
    with at(OPENS, minute=30), django_capture_on_commit_callbacks(execute=True):
        assert reminders.reminders_requeue_stale() == 1

    assert [message.to for message in mail.outbox] == [["bo@example.org"]]


def test_a_retry_that_never_reached_the_broker_is_queued_again_soon(
    county, django_capture_on_commit_callbacks, monkeypatch, settings
):
    from celery.exceptions import Reject
    from kombu.exceptions import OperationalError

    from followup.tasks import reminder_send

    settings.REMINDER_RETRY_BASE_SECONDS = 60
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", False)
    real_delay, on_the_broker = reminder_send.delay, []
    monkeypatch.setattr(reminder_send, "delay", on_the_broker.append)
    with at(OPENS), django_capture_on_commit_callbacks(execute=True):
        reminders.reminders_sweep(day=OPENS)
    assert Reminder.objects.filter(queued_at__isnull=True).count() == 0

    # A worker takes each message; the mail server refuses, and the broker the retry.
    send = mail.EmailMultiAlternatives.send
    refused = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", _raise(refused))
    lost = Reject(OperationalError("Redis is down"), requeue=False)  # what retry() raises then
    monkeypatch.setattr(reminder_send, "retry", _raise(lost))
    with at(OPENS, minute=1):
        for reminder_id in on_the_broker:
            reminder_send.apply(args=[reminder_id])
    assert list(Reminder.objects.values_list("attempts", "queued_at")) == [(1, None), (1, None)]

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", send)
    monkeypatch.setattr(reminder_send, "delay", real_delay)
    with at(OPENS, minute=20), django_capture_on_commit_callbacks(execute=True):
        assert reminders.reminders_requeue_stale() == 2

    assert sorted(message.to[0] for message in mail.outbox) == [
        "anna@example.org",
        "bo@example.org",
    ]


def _raise(error):
    def raising(*args, **kwargs):
        raise error

    return raising


# --- Re-checked when sent: retries run for days, and people and reports change meanwhile ------


def claim(day):
    """Claim the day's reminders without sending them (on_commit does not run in these tests)."""
    with at(day):
        return reminders.reminders_sweep(day=day)


def deliver(day, email, step):
    reminder = Reminder.objects.get(email=email, step=step)
    with at(day, hour=8):
        sent = reminders.reminder_deliver(reminder.pk)
    reminder.refresh_from_db()
    return sent, reminder


def test_an_invitation_does_not_go_to_a_person_who_left_the_organisation_meanwhile(county):
    from actors.services import membership_revoke

    claim(OPENS)
    bo = county["people"]["bo"]
    membership_revoke(membership=bo.memberships.get())

    sent_to_anna, _anna = deliver(OPENS, "anna@example.org", "invitation")
    sent_to_bo, to_bo = deliver(OPENS, "bo@example.org", "invitation")

    assert (sent_to_anna, sent_to_bo) == (True, False)
    assert [message.to for message in mail.outbox] == [["anna@example.org"]]
    assert to_bo.delivery_state == "cancelled"
    assert (to_bo.sent_at, to_bo.failed_at) == (None, None)
    assert to_bo.last_error == "Personen rapporterar inte längre på något av åtagandena."


def test_a_reminder_lists_only_what_is_still_missing_and_still_the_persons_when_it_is_sent(
    county,
):
    claim(OPENS)
    claim(datetime.date(2027, 3, 17))  # Anna: 1.1, 1.2 and 2.1; Bo: 2.1
    one_one, one_two, two_one = county["commitments"][:3]
    ProgressReportFactory(
        commitment=one_one,
        organisation=county["a"],
        period=county["period"],
        state=ReportState.SUBMITTED,
    )
    ProgressReportFactory(
        commitment=two_one,
        organisation=county["b"],
        period=county["period"],
        state=ReportState.SUBMITTED,
    )
    # Anna's organisation stops taking part in 2.1.
    commitment_responsibility_set(
        commitment=two_one,
        lead_organisation=two_one.lead_organisation,
        participating_organisations=[],
    )

    sent_to_anna, to_anna = deliver(datetime.date(2027, 3, 17), "anna@example.org", "due-14")
    sent_to_bo, to_bo = deliver(datetime.date(2027, 3, 17), "bo@example.org", "due-14")

    assert (sent_to_anna, sent_to_bo) == (True, False)
    [message] = mail.outbox
    assert "- 1.2 " in message.body
    assert "1.1" not in message.body and "2.1" not in message.body
    assert [item["code"] for item in to_anna.payload["items"]] == ["1.2"]  # what was sent
    assert to_bo.delivery_state == "cancelled"
    assert to_bo.last_error == "Alla rapporterna har redan lämnats."


def test_no_reminder_goes_to_a_person_deactivated_or_deleted_meanwhile(county):
    claim(OPENS)
    anna, bo = county["people"]["anna"], county["people"]["bo"]
    anna.is_active = False
    anna.save()
    bo.delete()

    _sent, to_anna = deliver(OPENS, "anna@example.org", "invitation")
    _sent, to_bo = deliver(OPENS, "bo@example.org", "invitation")

    assert mail.outbox == []
    assert to_anna.delivery_state == to_bo.delivery_state == "cancelled"
    assert to_anna.last_error == "Personen är inte längre aktiv."
    assert to_bo.last_error == "Personen finns inte längre i portalen."


def test_escalations_and_notifications_only_check_that_the_person_is_still_active(county):
    day = datetime.date(2027, 4, 14)
    claim(OPENS)
    claim(day)  # escalations to chef, A's shared address and Kerstin
    kerstin = county["people"]["kerstin"]
    kerstin.is_active = False
    kerstin.save()

    delivered = {
        email: deliver(day, email, "escalation")[1].delivery_state
        for email in ("chef@example.org", "registrator@a.example", "kerstin@example.org")
    }

    # Chef reports on nothing and still hears of it; the shared address belongs to nobody.
    assert delivered == {
        "chef@example.org": "sent",
        "registrator@a.example": "sent",
        "kerstin@example.org": "cancelled",
    }


def test_a_follower_deactivated_meanwhile_is_not_notified(county):
    anna = county["people"]["anna"]
    joint = county["commitments"][2]
    report = ProgressReportFactory(
        commitment=joint, organisation=county["b"], period=county["period"]
    )
    CommitmentFollow.objects.create(user=anna, commitment=joint)
    with at(datetime.date(2027, 3, 10)):
        [notification] = reminders.followers_notify(
            report=report, event="submitted", actor=county["people"]["bo"]
        )
    anna.is_active = False
    anna.save()

    sent, notification = deliver(datetime.date(2027, 3, 10), "anna@example.org", notification.step)

    assert not sent
    assert notification.delivery_state == "cancelled"
    assert mail.outbox == []


def test_a_reminder_not_sent_shows_why_in_the_log_and_is_not_counted_as_undelivered(client, county):
    claim(OPENS)
    bo = county["people"]["bo"]
    bo.is_active = False
    bo.save()
    deliver(OPENS, "bo@example.org", "invitation")

    client.force_login(county["people"]["kerstin"])
    log = client.get(reverse("followup:reminder-log", args=[2027])).content.decode()
    assert "Skickades inte</strong>: Personen är inte längre aktiv." in log
    assert "Kunde inte skickas" not in log
    overview = client.get(reverse("followup:period-overview", args=[2027])).content.decode()
    assert "har inte kunnat levereras" not in overview


def test_sending_a_reminder_runs_a_constant_number_of_queries(county, django_assert_num_queries):
    claim(OPENS)
    for _number in range(10):
        CommitmentFactory(lead_organisation=county["a"], start_year=2027, end_year=2027)
    claim(datetime.date(2027, 3, 17))
    few = Reminder.objects.get(email="bo@example.org", step="due-14")  # one commitment
    many = Reminder.objects.get(email="anna@example.org", step="due-14")  # thirteen
    assert (len(few.payload["items"]), len(many.payload["items"])) == (1, 13)

    for reminder in (few, many):
        with at(datetime.date(2027, 3, 17)), django_assert_num_queries(QUERIES_TO_SEND):
            assert reminders.reminder_deliver(reminder.pk)


# Savepoint, the locked row, two for who reports on what, the reports, the update, release.
QUERIES_TO_SEND = 6


def test_an_organisation_without_a_coordinator_is_still_escalated(
    county, django_capture_on_commit_callbacks
):
    from actors.services import membership_revoke

    bo = county["people"]["bo"]
    membership_revoke(membership=bo.memberships.get())  # B has nobody left to report

    sweep(datetime.date(2027, 4, 14), django_capture_on_commit_callbacks)

    to_county_staff = next(m for m in mail.outbox if m.to == ["kerstin@example.org"])
    assert "(B)" in to_county_staff.body


def test_a_contact_person_who_is_county_staff_too_gets_one_escalation_listing_everything(
    county, django_capture_on_commit_callbacks
):
    kerstin = county["people"]["kerstin"]
    membership_grant(
        user=kerstin,
        organisation=county["a"],
        role=Membership.Role.COLLEAGUE,
        is_contact_person=True,
    )

    sweep(datetime.date(2027, 4, 14), django_capture_on_commit_callbacks)

    to_kerstin = [m for m in mail.outbox if m.to == ["kerstin@example.org"]]
    assert len(to_kerstin) == 1
    assert "(A)" in to_kerstin[0].body and "(B)" in to_kerstin[0].body
