"""The call's reminders: the follow-up's claim, queue and send machinery, with prize's rows."""

import datetime
import time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from actors.models import Membership, Organisation
from followup import reminders as followup_reminders
from prize import reminders
from prize.models import PrizeReminder
from prize.tasks import prize_reminders_sweep as sweep_task
from tests.factories import (
    JuryMemberFactory,
    MembershipFactory,
    NominationFactory,
    OrganisationFactory,
    PrizeCallFactory,
    ScoreFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
STOCKHOLM = ZoneInfo("Europe/Stockholm")
OPENS, CLOSES = datetime.date(2027, 2, 1), datetime.date(2027, 3, 31)


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(7), STOCKHOLM))


def sweep(day, capture):
    with at(day), capture(execute=True):
        return reminders.prize_reminders_sweep(day=day)


@pytest.fixture
def county():
    member = OrganisationFactory(short_name="M", slug="m")
    partner = OrganisationFactory(
        short_name="P", slug="p", affiliation=Organisation.Affiliation.PARTNER
    )
    for username, organisation in [("anna", member), ("paul", partner)]:
        MembershipFactory(
            user=UserFactory(username=username, email=f"{username}@example.org"),
            organisation=organisation,
            role=Membership.Role.COORDINATOR,
        )
    call = PrizeCallFactory(year=2027, opens_on=OPENS, closes_on=CLOSES)
    return {"call": call, "member": member}


def test_the_opening_goes_to_member_coordinators_once(county, django_capture_on_commit_callbacks):
    first = sweep(OPENS, django_capture_on_commit_callbacks)
    second = sweep(OPENS + datetime.timedelta(days=1), django_capture_on_commit_callbacks)

    assert [(r.kind, r.email) for r in first] == [("call_opening", "anna@example.org")]
    assert second == []
    assert [message.to for message in mail.outbox] == [["anna@example.org"]]
    assert "Kvinnofridspriset 2027" in mail.outbox[0].subject
    assert "/kvinnofridspriset/2027/nominera/" in mail.outbox[0].body
    assert PrizeReminder.objects.get().sent_at is not None


def test_the_deadline_reminder_comes_a_week_before_and_once(
    county, django_capture_on_commit_callbacks
):
    sweep(OPENS, django_capture_on_commit_callbacks)
    assert sweep(CLOSES - datetime.timedelta(days=8), django_capture_on_commit_callbacks) == []

    sent = sweep(CLOSES - datetime.timedelta(days=7), django_capture_on_commit_callbacks)
    again = sweep(CLOSES, django_capture_on_commit_callbacks)

    assert [r.kind for r in sent] == ["deadline"]
    assert again == []
    assert len(mail.outbox) == 2
    assert "sista dag att nominera" in mail.outbox[1].subject


def test_nothing_before_opening_or_after_the_decision(county, django_capture_on_commit_callbacks):
    assert sweep(OPENS - datetime.timedelta(days=1), django_capture_on_commit_callbacks) == []
    county["call"].decided_at = timezone.now()
    county["call"].save()
    assert sweep(CLOSES + datetime.timedelta(days=3), django_capture_on_commit_callbacks) == []


def test_jurors_with_scores_missing_are_reminded_weekly_until_done(
    county, django_capture_on_commit_callbacks
):
    call = county["call"]
    nomination = NominationFactory(call=call)
    own = NominationFactory(call=call, organisation=county["member"])
    NominationFactory(call=call, by_visitor=True)  # unconfirmed: not the jury's
    juror = JuryMemberFactory(call=call, user=UserFactory(username="jurist"))
    # A juror from the nominated organisation scores everything but that one.
    MembershipFactory(user=juror.user, organisation=county["member"])
    done = JuryMemberFactory(call=call, user=UserFactory(username="klar"))
    for nominee in (nomination, own):
        for criterion in call.criteria.all():
            ScoreFactory(juror=done, nomination=nominee, criterion=criterion)

    day = CLOSES + datetime.timedelta(days=1)
    first = sweep(day, django_capture_on_commit_callbacks)
    same_week = sweep(day + datetime.timedelta(days=6), django_capture_on_commit_callbacks)

    assert [(r.kind, r.email) for r in first] == [("scores_missing", "jurist@example.org")]
    assert first[0].payload["items"][0]["missing"] == 4  # four criteria of one nomination
    assert first[0].payload["items"][0]["url"].endswith(f"/kvinnofridspriset/{call.year}/jury/")
    assert same_week == []
    for criterion in call.criteria.all():
        ScoreFactory(juror=juror, nomination=nomination, criterion=criterion)
    assert reminders.missing_scores(call) == {}
    assert sweep(day + datetime.timedelta(days=7), django_capture_on_commit_callbacks) == []
    assert [message.to for message in mail.outbox] == [["jurist@example.org"]]


def test_a_claimed_reminder_that_is_no_longer_due_is_not_sent(
    county, django_capture_on_commit_callbacks, monkeypatch
):
    from followup.tasks import reminder_send

    on_the_broker = []
    monkeypatch.setattr(reminder_send, "delay", lambda *args: on_the_broker.append(args))
    claimed = sweep(OPENS, django_capture_on_commit_callbacks)
    assert on_the_broker == [(claimed[0].pk, "prize.prizereminder")]

    county["call"].closes_on = OPENS  # closed meanwhile
    county["call"].save()
    with at(OPENS + datetime.timedelta(days=1)):
        assert not followup_reminders.reminder_deliver(claimed[0].pk, PrizeReminder)

    reminder = PrizeReminder.objects.get()
    assert reminder.cancelled_at is not None
    assert reminder.last_error == "Nomineringen är inte längre öppen."
    assert mail.outbox == []


def test_a_lost_prize_reminder_is_queued_again_by_the_followup_requeue(
    county, django_capture_on_commit_callbacks, monkeypatch
):
    from followup.tasks import reminder_send

    real_delay = reminder_send.delay
    monkeypatch.setattr(reminder_send, "delay", lambda *args: None)  # the broker loses it
    PrizeReminder.objects.all().delete()
    with at(OPENS), django_capture_on_commit_callbacks(execute=True):
        reminders.prize_reminders_sweep(day=OPENS)
    PrizeReminder.objects.update(queued_at=None)
    monkeypatch.setattr(reminder_send, "delay", real_delay)

    later = datetime.datetime.combine(OPENS, datetime.time(8), STOCKHOLM)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        assert followup_reminders.reminders_requeue_stale() == 1

    assert [message.to for message in mail.outbox] == [["anna@example.org"]]


def _wait_until(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.2)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_sweep_run_twice_by_the_worker_sends_each_reminder_once(celery_worker, smtp):
    today = timezone.localdate()
    MembershipFactory(
        user=UserFactory(username="anna", email="anna@example.org"),
        role=Membership.Role.COORDINATOR,
    )
    PrizeCallFactory(
        year=2040,
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=30),
    )

    first = sweep_task.delay().get(timeout=30)
    second = sweep_task.delay().get(timeout=30)

    assert (first, second) == (1, 0)
    _wait_until(
        lambda: (
            PrizeReminder.objects.filter(sent_at__isnull=False).count() == 1
            and celery_worker.is_idle()
        )
    )
    assert smtp.recipients() == ["anna@example.org"]
