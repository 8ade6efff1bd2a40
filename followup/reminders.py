"""The follow-up reminders: which e-mail is due today, claiming it, and sending it.

The sweep runs every day (Celery beat, and `manage.py send_reminders`). It reads everything it
needs in a fixed number of queries, whatever the number of organisations and commitments,
claims the due reminders with one insert that ignores those already claimed, and hands each
claimed reminder to a task that sends it, retrying with back-off while the mail server is down.
"""

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from actionplan.models import Commitment
from actionplan.permissions import reporting_assignments
from actors.emails import render_templated, send_templated
from actors.models import Membership, Organisation, User
from followup.models import (
    REPORTED_STATES,
    ClaimedDelivery,
    Reminder,
    ReminderSettings,
    ReportingPeriod,
)
from followup.overview import PeriodObligations

INVITATION = "invitation"
ESCALATION = "escalation"


def step_for_day(
    period: ReportingPeriod, day: datetime.date, reminder_settings: ReminderSettings
) -> tuple[str, str] | None:
    """The reminder step (key, kind) that falls on `day`, if any.

    Each step covers the days until the next one, so a sweep that missed a day still sends it.
    """
    if not period.accepts_reports_on(day):
        return None
    if day <= period.due_on:
        days_left = (period.due_on - day).days
        reached = [n for n in reminder_settings.days_before_due_list if days_left <= n]
        if not reached:
            return None
        return f"due-{min(reached)}", Reminder.Kind.BEFORE_DUE
    weeks_over = (day - period.due_on).days // 7
    if weeks_over and not reminder_settings.weekly_overdue:
        return None
    return f"overdue-{weeks_over}", Reminder.Kind.OVERDUE


@dataclass
class PlannedReminder:
    period: ReportingPeriod
    step: str
    kind: str
    email: str
    name: str
    recipient_id: int | None
    organisation_id: int | None = None
    items: list[dict] = field(default_factory=list)
    event: str = ""

    def as_reminder(self, claim_token, sweep_day, triggered_by=None) -> Reminder:
        return Reminder(
            sweep_day=sweep_day,
            period=self.period,
            step=self.step,
            kind=self.kind,
            email=self.email,
            recipient_id=self.recipient_id,
            organisation_id=self.organisation_id,
            # The person's id too, so that a person deleted before sending can be told from
            # an address that belongs to nobody (an organisation's shared address).
            payload={
                "name": self.name,
                "items": self.items,
                "event": self.event,
                "recipient": self.recipient_id,
            },
            claim_token=claim_token,
            triggered_by=triggered_by,
        )


def _report_url(commitment_id: int, organisation_slug: str) -> str:
    return settings.SITE_URL + reverse(
        "followup:report-edit",
        kwargs={"commitment_pk": commitment_id, "organisation_slug": organisation_slug},
    )


@dataclass
class _Followup:
    """Who reminds whom of what in a period: read in seven queries."""

    period: ReportingPeriod
    tasks_by_user: dict[int, list[tuple[int, int]]]
    missing: set[tuple[int, int]]
    commitments: dict[int, tuple[str, str]]
    organisations: dict[int, tuple[str, str]]
    users: dict[int, tuple[str, str]]

    @classmethod
    def load(cls, period: ReportingPeriod) -> "_Followup":
        owed = PeriodObligations.load(period)
        # Inactive organisations are neither reminded nor escalated.
        organisations = {
            pk: (short_name, slug)
            for pk, short_name, slug in Organisation.objects.active().values_list(
                "pk", "short_name", "slug"
            )
        }
        tasks_by_user = defaultdict(set)
        for user_id, commitment_id, organisation_id in reporting_assignments(owed.in_scope):
            if organisation_id in organisations:
                tasks_by_user[user_id].add((commitment_id, organisation_id))
        users = {
            pk: (email, name or username)
            for pk, email, name, username in User.objects.filter(
                pk__in=tasks_by_user, is_active=True
            )
            .exclude(email="")
            .values_list("pk", "email", "first_name", "username")
        }
        return cls(
            period=period,
            tasks_by_user={user: sorted(tasks) for user, tasks in tasks_by_user.items()},
            missing={task for task in owed.missing if task[1] in organisations},
            commitments=owed.commitments,
            organisations=organisations,
            users=users,
        )

    def items(self, tasks) -> list[dict]:
        return [
            {
                "code": self.commitments[commitment_id][0],
                "title": self.commitments[commitment_id][1],
                "organisation": self.organisations[organisation_id][0],
                "url": _report_url(commitment_id, self.organisations[organisation_id][1]),
                # To check again when sending that the report is still the person's and missing.
                "commitment_id": commitment_id,
                "organisation_id": organisation_id,
            }
            for commitment_id, organisation_id in tasks
        ]

    def late_organisations(self) -> dict[int, list[tuple[int, int]]]:
        late = defaultdict(list)
        for commitment_id, organisation_id in sorted(self.missing):
            late[organisation_id].append((commitment_id, organisation_id))
        return late


def _plan_for_period(
    period: ReportingPeriod,
    day: datetime.date,
    reminder_settings: ReminderSettings,
    already: dict[tuple[str, str], datetime.date],
) -> list[PlannedReminder]:
    followup = _Followup.load(period)
    step = step_for_day(period, day, reminder_settings)
    # One e-mail a day is enough: what else is due waits for tomorrow's sweep.
    emailed_today = {email for (email, _step), claimed_on in already.items() if claimed_on == day}
    planned = []
    for user_id, tasks in followup.tasks_by_user.items():
        if user_id not in followup.users:
            continue
        email, name = followup.users[user_id]
        if email in emailed_today:
            continue
        missing = [task for task in tasks if task in followup.missing]
        if (email, INVITATION) not in already:
            # The invitation comes first; the day's reminder waits for the next sweep.
            planned.append(
                PlannedReminder(
                    period,
                    INVITATION,
                    Reminder.Kind.INVITATION,
                    email,
                    name,
                    user_id,
                    items=followup.items(tasks),
                )
            )
        elif step and missing and (email, step[0]) not in already:
            planned.append(
                PlannedReminder(
                    period, step[0], step[1], email, name, user_id, items=followup.items(missing)
                )
            )
    days_over = (day - period.due_on).days
    if days_over >= reminder_settings.escalate_after_days and followup.missing:
        planned += _escalations(period, followup, already)
    return planned


def _escalations(period, followup: _Followup, already) -> list[PlannedReminder]:
    """Late organisations' contact people hear of their own; county staff of all of them."""
    late = followup.late_organisations()
    all_missing = [task for tasks in late.values() for task in tasks]
    contacts = Membership.objects.filter(
        is_contact_person=True, organisation__in=late, user__is_active=True
    ).exclude(user__email="")
    shared_addresses = Organisation.objects.filter(pk__in=late).exclude(contact_email="")
    county_staff = Membership.objects.filter(
        role=Membership.Role.COUNTY_STAFF, user__is_active=True
    ).exclude(user__email="")
    # (organisation, or None for all late ones; address; name; person)
    recipients = [
        *contacts.values_list("organisation", "user__email", "user__first_name", "user"),
        *(
            (pk, email, "", None)
            for pk, email in shared_addresses.values_list("pk", "contact_email")
        ),
        *(
            (None, email, name, pk)
            for pk, email, name in county_staff.values_list(
                "user", "user__email", "user__first_name"
            )
        ),
    ]
    # One e-mail per address, listing every late organisation the address answers for.
    people, tasks_of = {}, defaultdict(set)
    for organisation_id, email, name, user_id in recipients:
        if (email, ESCALATION) in already:
            continue
        known_name, known_user = people.get(email, ("", None))
        people[email] = (known_name or name, known_user or user_id)
        tasks_of[email].update(late[organisation_id] if organisation_id else all_missing)
    return [
        PlannedReminder(
            period,
            ESCALATION,
            Reminder.Kind.ESCALATION,
            email,
            name,
            user_id,
            items=followup.items(sorted(tasks_of[email])),
        )
        for email, (name, user_id) in people.items()
    ]


def reminders_sweep(*, day: datetime.date | None = None, dry_run: bool = False):
    """Work out and claim today's reminders, and queue them for sending.

    Returns the reminders due today (for a dry run) or the ones this run claimed.
    """
    day = day or timezone.localdate()
    reminder_settings = ReminderSettings.load()
    periods = list(ReportingPeriod.objects.open_on(day))
    planned = []
    for period in periods:
        already = {
            (email, step): sweep_day
            for email, step, sweep_day in period.reminders.exclude(
                kind__in=[Reminder.Kind.MANUAL, Reminder.Kind.NOTIFICATION]
            ).values_list("email", "step", "sweep_day")
        }
        planned += _plan_for_period(period, day, reminder_settings, already)
    if dry_run or not planned:
        return planned
    return claim_and_queue(planned, sweep_day=day)


def claim_and_queue(
    planned: list[PlannedReminder], *, sweep_day: datetime.date | None = None, triggered_by=None
) -> list[Reminder]:
    """Claim reminders (those someone else claimed first are skipped) and queue the sending."""
    token = uuid.uuid4()
    # The same order everywhere, so that two sweeps inserting at once cannot deadlock.
    planned = sorted(
        planned, key=lambda reminder: (reminder.period.pk, reminder.email, reminder.step)
    )
    rows = [
        reminder.as_reminder(token, sweep_day or timezone.localdate(), triggered_by)
        for reminder in planned
    ]
    return claim_rows(Reminder, rows, token=token)


def claim_rows(
    model: type[ClaimedDelivery], rows: list[ClaimedDelivery], *, token: uuid.UUID
) -> list[ClaimedDelivery]:
    """Insert the reminder rows, skipping those already claimed, and queue the ones this call
    claimed for sending after the commit. Any app's reminders (a ClaimedDelivery with a unique
    key) go through here; `rows` carry `token` as their claim token and come in one fixed order,
    so that two sweeps inserting at once cannot deadlock."""
    with transaction.atomic():
        model.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        claimed = list(model.objects.filter(claim_token=token).order_by("pk"))
        _queue_after_commit([reminder.pk for reminder in claimed], model)
    return claimed


# The task's second argument names the reminder's model; followup's own is the default.
DEFAULT_MODEL_LABEL = "followup.reminder"


def delivery_model(model_label: str) -> type[ClaimedDelivery]:
    model = apps.get_model(model_label)
    if not issubclass(model, ClaimedDelivery):
        raise LookupError(model_label)
    return model


def delivery_models() -> list[type[ClaimedDelivery]]:
    """Every app's reminder model (found, not imported: followup knows none of them)."""
    return [model for model in apps.get_models() if issubclass(model, ClaimedDelivery)]


def _queue_after_commit(reminder_ids: list[int], model: type[ClaimedDelivery] = Reminder) -> None:
    from followup.tasks import reminder_send

    label = model._meta.label_lower
    extra = () if label == DEFAULT_MODEL_LABEL else (label,)

    def queue():
        queued = []
        try:
            for reminder_id in reminder_ids:
                reminder_send.delay(reminder_id, *extra)
                queued.append(reminder_id)
        finally:
            # One UPDATE for the batch, also when the broker fails half-way. A row that a worker
            # has meanwhile rescheduled for a retry (next attempt ahead) keeps its own state.
            now = timezone.now()
            model.objects.filter(pk__in=queued, next_attempt_at__lte=now).update(queued_at=now)

    # robust: a broker that is down must not fail the request or the sweep that claimed them;
    # reminders_requeue_stale() queues them again later.
    transaction.on_commit(queue, robust=True)


def reminder_mark_queued(reminder_id: int, model: type[ClaimedDelivery] = Reminder) -> None:
    """Record that a message for the reminder (a retry) is on the broker."""
    model.objects.filter(pk=reminder_id).update(queued_at=timezone.now())


# Time for the on-commit queueing to run before a reminder without a message counts as lost.
UNQUEUED_GRACE = datetime.timedelta(minutes=15)


def lost_after_queueing() -> datetime.timedelta:
    """How long past its next attempt a reminder whose message reached the broker may wait.

    Redis hands a message that a worker took and never acknowledged (acks_late) to another
    worker once the visibility timeout has passed, and a retry waits up to the longest back-off;
    a queue may also be long on a busy day. Only well beyond all that is the message lost.
    """
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 60 * 60)
    return 2 * datetime.timedelta(seconds=visibility + settings.REMINDER_RETRY_MAX_SECONDS)


@transaction.atomic
def reminders_requeue_stale() -> int:
    """Queue again the unsent reminders, of every app, that were lost on the way; returns how
    many.

    Lost is a reminder whose message never reached the broker (queueing failed), a short while
    after its next attempt; or one whose message did, long after Redis would have redelivered it.
    """
    now = timezone.now()
    lost = Q(queued_at__isnull=True, next_attempt_at__lt=now - UNQUEUED_GRACE) | Q(
        next_attempt_at__lt=now - lost_after_queueing()
    )
    requeued = 0
    for model in delivery_models():
        stale = list(
            model.objects.select_for_update(skip_locked=True)
            .filter(lost, sent_at__isnull=True, failed_at__isnull=True, cancelled_at__isnull=True)
            .values_list("pk", flat=True)
        )
        model.objects.filter(pk__in=stale).update(next_attempt_at=now, queued_at=None)
        _queue_after_commit(stale, model)
        requeued += len(stale)
    return requeued


def reminder_deliver(reminder_id: int, model: type[ClaimedDelivery] = Reminder) -> bool:
    """Send one claimed reminder unless it has been sent; True when this call sent it.

    The row is locked while sending, so that a redelivered task cannot send it twice. What it
    lists is checked again first (the model's delivery_items(); followup's is still_due); a
    reminder with nothing left to say is marked as not sent, with the reason, and never retried.
    """
    with transaction.atomic():
        reminder = (
            model.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                pk=reminder_id,
                sent_at__isnull=True,
                failed_at__isnull=True,
                cancelled_at__isnull=True,
            )
            .select_related(*model.DELIVERY_RELATED)
            .first()
        )
        if reminder is None:
            return False
        items, reason = reminder.delivery_items()
        if reason:
            with translation.override("sv"):  # stored, like the e-mail itself, in Swedish
                reminder.last_error = str(reason)
            reminder.cancelled_at = timezone.now()
            reminder.save(update_fields=["last_error", "cancelled_at"])
            return False
        reminder.payload = {**reminder.payload, "items": items}  # what was actually sent
        send_templated(reminder.email_template, reminder.email_context(items), to=[reminder.email])
        reminder.sent_at = timezone.now()
        reminder.attempts = F("attempts") + 1
        reminder.save(update_fields=["sent_at", "attempts", "payload"])
    return True


# The kinds that list the recipient's own reports.
_REPORTING_KINDS = {
    Reminder.Kind.INVITATION,
    Reminder.Kind.BEFORE_DUE,
    Reminder.Kind.OVERDUE,
    Reminder.Kind.MANUAL,
}


def still_due(reminder: Reminder) -> tuple[list[dict], str]:
    """What a claimed reminder should list now, or why it should not be sent at all.

    Retries go on for days: meanwhile the person may have been deactivated or deleted, have
    left the organisation or lost a delegation, and reports may have come in. Escalations and
    notifications only need the person to be active; the other kinds list only what the person
    still reports on, and, but for the invitation, what is still missing. Three queries at most.
    """
    items = reminder.payload.get("items", [])
    had_person = reminder.payload.get("recipient") or reminder.kind in _REPORTING_KINDS
    if reminder.recipient_id is None and had_person:
        return [], _("Personen finns inte längre i portalen.")
    if reminder.recipient_id is not None and not reminder.recipient.is_active:
        return [], _("Personen är inte längre aktiv.")
    if reminder.payload.get("event") == RETURNED_TO_REPORTER:
        # The comment is about the organisation's report: only for who still reports on it.
        item = items[0]
        assignment = (reminder.recipient_id, item["commitment_id"], item["organisation_id"])
        if assignment not in reporting_assignments(
            Commitment.objects.filter(pk=item["commitment_id"])
        ):
            return [], _("Personen rapporterar inte längre på åtagandet.")
        return items, ""
    if reminder.kind not in _REPORTING_KINDS:
        return items, ""
    if not items or any("commitment_id" not in item for item in items):
        return items, ""  # claimed before items carried their ids: nothing to check against
    tasks = {(item["commitment_id"], item["organisation_id"]) for item in items}
    commitment_ids = {commitment_id for commitment_id, _organisation_id in tasks}
    in_scope = Commitment.objects.in_scope_for_year(reminder.period.year).filter(
        pk__in=commitment_ids
    )
    tasks &= {
        (commitment_id, organisation_id)
        for user_id, commitment_id, organisation_id in reporting_assignments(in_scope)
        if user_id == reminder.recipient_id
    }
    if not tasks:
        return [], _("Personen rapporterar inte längre på något av åtagandena.")
    if reminder.kind != Reminder.Kind.INVITATION:
        tasks -= set(
            reminder.period.progress_reports.filter(
                state__in=REPORTED_STATES, commitment__in=commitment_ids
            ).values_list("commitment", "organisation")
        )
        if not tasks:
            return [], _("Alla rapporterna har redan lämnats.")
    return [item for item in items if (item["commitment_id"], item["organisation_id"]) in tasks], ""


def reminder_record_failure(
    reminder_id: int,
    error: Exception,
    *,
    retry_in: datetime.timedelta | None,
    model: type[ClaimedDelivery] = Reminder,
) -> None:
    """Keep what went wrong where county staff can see it; no retry means given up."""
    now = timezone.now()
    model.objects.filter(pk=reminder_id).update(
        attempts=F("attempts") + 1,
        last_error=f"{error.__class__.__name__}: {error}"[:2000],
        failed_at=None if retry_in else now,
        next_attempt_at=now + (retry_in or datetime.timedelta()),
        # The retry's message is not on the broker until reminder_mark_queued() says so.
        queued_at=None,
    )


class TooSoonError(Exception):
    pass


MANUAL_REMINDER_INTERVAL = datetime.timedelta(hours=24)


def _manual_reminders(
    followup: _Followup, organisations: list[Organisation], now: datetime.datetime
) -> list[PlannedReminder]:
    """County staff's reminder to each of `organisations`: one e-mail to each person who reports
    for it, listing what it still lacks. Recorded against the organisation, so that the
    once-a-day rule and the overview's "last reminded" can find it."""
    planned = []
    for organisation in organisations:
        step = f"manual-{now:%Y%m%d%H%M}-{organisation.slug}"
        for user_id, tasks in followup.tasks_by_user.items():
            missing = [t for t in tasks if t in followup.missing and t[1] == organisation.pk]
            if missing and user_id in followup.users:
                email, name = followup.users[user_id]
                planned.append(
                    PlannedReminder(
                        followup.period,
                        step,
                        Reminder.Kind.MANUAL,
                        email,
                        name,
                        user_id,
                        organisation_id=organisation.pk,
                        items=followup.items(missing),
                    )
                )
    return planned


def _reminded_recently(period: ReportingPeriod, organisations) -> set[int]:
    """The organisations county staff reminded less than MANUAL_REMINDER_INTERVAL ago."""
    since = timezone.now() - MANUAL_REMINDER_INTERVAL
    return set(
        period.reminders.filter(
            kind=Reminder.Kind.MANUAL, organisation__in=organisations, claimed_at__gte=since
        ).values_list("organisation", flat=True)
    )


@transaction.atomic
def reminders_send_now(
    *, period: ReportingPeriod, organisation: Organisation, user: User
) -> list[Reminder]:
    """County staff's "send a reminder now" to one late organisation, at most once a day."""
    # Two clicks at once: the second waits here for the first, then sees its reminders.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    if _reminded_recently(period, [organisation]):
        raise TooSoonError
    planned = _manual_reminders(_Followup.load(period), [organisation], timezone.now())
    return claim_and_queue(planned, triggered_by=user) if planned else []


@dataclass
class AllLatePlan:
    """What "remind all late" would send now: the e-mails, and which late organisations get
    none, because they were reminded less than a day ago or nobody with an address reports
    for them."""

    planned: list[PlannedReminder]
    reminded: list[Organisation]
    reminded_recently: list[Organisation]
    unreachable: list[Organisation]
    claimed: list[Reminder] = field(default_factory=list)  # once sent: the rows this call claimed

    def preview(self) -> tuple[str, str, str] | None:
        """Subject, text and HTML of the first e-mail, rendered as the sending task renders
        it (Reminder.email_context, actors.emails), from an unsaved row."""
        if not self.planned:
            return None
        example = self.planned[0]
        reminder = example.as_reminder(claim_token=None, sweep_day=timezone.localdate())
        return render_templated(reminder.email_template, reminder.email_context(example.items))


def _plan_all_late(period: ReportingPeriod, *, lock: bool) -> AllLatePlan:
    followup = _Followup.load(period)
    late = Organisation.objects.filter(pk__in=followup.late_organisations()).order_by("pk")
    if lock:
        # The same order as any other locker, so that two clicks cannot deadlock; the second
        # waits here for the first, then finds its reminders and sends nothing again.
        late = late.select_for_update()
    late = sorted(late, key=lambda organisation: organisation.name)
    recently = _reminded_recently(period, late)
    due = [organisation for organisation in late if organisation.pk not in recently]
    planned = _manual_reminders(followup, due, timezone.now())
    with_email = {reminder.organisation_id for reminder in planned}
    return AllLatePlan(
        planned=planned,
        reminded=[organisation for organisation in due if organisation.pk in with_email],
        reminded_recently=[organisation for organisation in late if organisation.pk in recently],
        unreachable=[organisation for organisation in due if organisation.pk not in with_email],
    )


def reminders_preview_all_late(*, period: ReportingPeriod) -> AllLatePlan:
    """What reminders_send_all_late would send now, sending nothing."""
    return _plan_all_late(period, lock=False)


@transaction.atomic
def reminders_send_all_late(*, period: ReportingPeriod, user: User) -> AllLatePlan:
    """County staff's "remind all late": "send a reminder now" to every late organisation at
    once, through the same claim and queue, and under the same once-a-day rule, so that a
    second click, or a click right after one organisation's own reminder, sends nothing twice.
    """
    plan = _plan_all_late(period, lock=True)
    if plan.planned:
        plan.claimed = claim_and_queue(plan.planned, triggered_by=user)
    return plan


def _report_item(report, url: str) -> dict:
    return {
        "code": report.commitment.code,
        "title": report.commitment.title,
        "organisation": report.organisation.short_name,
        "url": url,
        "commitment_id": report.commitment_id,
        "organisation_id": report.organisation_id,
    }


def _report_step(report, event: str) -> str:
    # One e-mail per address for each version of a report: the unique key claims it once.
    return f"{event}-{report.pk}-v{report.version}"


def followers_notify(
    *, report, event: str, actor: User, except_users: set[int] = frozenset()
) -> list[Reminder]:
    """Tell the people who follow a commitment that a report on it was submitted or returned."""
    followers = (
        report.commitment.followers.exclude(user=actor)
        .exclude(user__in=except_users)
        .filter(user__is_active=True)
        .exclude(user__email="")
        .values_list("user", "user__email", "user__first_name")
    )
    item = _report_item(
        report, settings.SITE_URL + reverse("followup:report-detail", args=[report.pk])
    )
    planned = [
        PlannedReminder(
            report.period,
            _report_step(report, event),
            Reminder.Kind.NOTIFICATION,
            email,
            name,
            user_id,
            organisation_id=report.organisation_id,
            items=[item],
            event=event,
        )
        for user_id, email, name in followers
    ]
    return claim_and_queue(planned) if planned else []


RETURNED_TO_REPORTER = "returned_to_reporter"


def report_returned_notify(*, report, actor: User) -> list[Reminder]:
    """A returned report: the people who must complete it hear why, and followers that it was.

    Those who must complete it are everybody who reports on the commitment for the report's
    organisation: its coordinators and the colleague it is delegated to, if any. Each of them
    gets one e-mail with county staff's comment and a link to the form, and is left out of the
    followers' notice (which has a different step, so the unique key would not stop both).
    """
    reporters = {
        user_id
        for user_id, _commitment_id, organisation_id in reporting_assignments(
            Commitment.objects.filter(pk=report.commitment_id)
        )
        if organisation_id == report.organisation_id
    }
    people = (
        User.objects.filter(pk__in=reporters, is_active=True)
        .exclude(pk=actor.pk)
        .exclude(email="")
        .values_list("pk", "email", "first_name", "username")
    )
    item = {
        **_report_item(report, _report_url(report.commitment_id, report.organisation.slug)),
        "comment": report.review_comment,
    }
    planned = [
        PlannedReminder(
            report.period,
            _report_step(report, RETURNED_TO_REPORTER),
            Reminder.Kind.NOTIFICATION,
            email,
            name or username,
            user_id,
            organisation_id=report.organisation_id,
            items=[item],
            event=RETURNED_TO_REPORTER,
        )
        for user_id, email, name, username in people
    ]
    claimed = claim_and_queue(planned) if planned else []
    return claimed + followers_notify(
        report=report, event="returned", actor=actor, except_users=reporters
    )
