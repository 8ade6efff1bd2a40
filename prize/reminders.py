"""The call's reminders, claimed, queued and sent by the follow-up cycle's machinery.

Three kinds: the call has opened (to the member organisations' coordinators), the last day to
nominate is near (to the same people), and jurors with scores missing (weekly, after the call
has closed and until the jury has decided). The sweep runs every day (Celery beat); a row per
address and step, claimed by followup.reminders.claim_rows, makes a second run send nothing.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.models import Membership, Organisation
from followup.reminders import claim_rows
from prize.models import JuryMember, Nomination, PrizeCall, PrizeReminder, Score

JURY_REMINDERS_FOR = datetime.timedelta(days=365)
# The kinds of organisation whose coordinators hear that a call has opened.
CALLED_AFFILIATIONS = [Organisation.Affiliation.MEMBER, Organisation.Affiliation.REPRESENTED]


@dataclass
class PlannedPrizeReminder:
    call: PrizeCall
    step: str
    kind: str
    email: str
    name: str
    recipient_id: int | None
    items: list[dict]

    def as_row(self, token: uuid.UUID, sweep_day: datetime.date) -> PrizeReminder:
        return PrizeReminder(
            call=self.call,
            step=self.step,
            kind=self.kind,
            email=self.email,
            recipient_id=self.recipient_id,
            payload={"name": self.name, "items": self.items, "recipient": self.recipient_id},
            claim_token=token,
            sweep_day=sweep_day,
        )


def _coordinators() -> list[tuple[int, str, str]]:
    """(person, address, name) of every active coordinator of a called organisation, once."""
    rows = (
        Membership.objects.filter(
            role=Membership.Role.COORDINATOR,
            organisation__is_active=True,
            organisation__affiliation__in=CALLED_AFFILIATIONS,
            user__is_active=True,
        )
        .exclude(user__email="")
        .order_by("user")
        .values_list("user", "user__email", "user__first_name")
        .distinct()
    )
    return list(rows)


def _nominate_url(call: PrizeCall) -> str:
    return settings.SITE_URL + reverse("prize:nominate", kwargs={"year": call.year})


def missing_scores(call: PrizeCall) -> dict[int, int]:
    """How many scores each juror of the call still owes, by JuryMember id (five queries).

    A juror owes a score on every criterion of every nomination the jury sees, except the
    nominations of the juror's own organisations, which they may not score.
    """
    jurors = list(call.jury.filter(user__is_active=True).values_list("pk", "user"))
    if not jurors:
        return {}
    criteria = call.criteria.count()
    nominations = list(
        Nomination.objects.for_jury().filter(call=call).values_list("pk", "organisation")
    )
    own = {}
    for user_id, organisation_id in Membership.objects.filter(
        user__in=[user for _pk, user in jurors], organisation__is_active=True
    ).values_list("user", "organisation"):
        own.setdefault(user_id, set()).add(organisation_id)
    given = {}
    for juror_id in Score.objects.filter(
        juror__call=call, nomination__in=[pk for pk, _org in nominations]
    ).values_list("juror", flat=True):
        given[juror_id] = given.get(juror_id, 0) + 1
    owed = {}
    for juror_id, user_id in jurors:
        to_score = [pk for pk, org in nominations if org not in own.get(user_id, set())]
        missing = len(to_score) * criteria - given.get(juror_id, 0)
        if missing > 0:
            owed[juror_id] = missing
    return owed


def _plan_for_call(call: PrizeCall, day: datetime.date, already: set) -> list:
    planned = []
    state = call.state_on(day)
    if state == PrizeCall.State.OPEN:
        days_left = (call.closes_on - day).days
        if days_left <= settings.PRIZE_DEADLINE_REMINDER_DAYS:
            step, kind = "deadline", PrizeReminder.Kind.DEADLINE
        else:
            step, kind = "opening", PrizeReminder.Kind.CALL_OPENING
        item = {"url": _nominate_url(call), "closes_on": call.closes_on.isoformat()}
        for user_id, email, name in _coordinators():
            # Who missed the opening e-mail (a late sweep) hears of the deadline only.
            if (email, step) not in already:
                planned.append(PlannedPrizeReminder(call, step, kind, email, name, user_id, [item]))
    elif state == PrizeCall.State.JURY:
        # Weekly from the day after the last day to nominate.
        week = ((day - call.closes_on).days - 1) // 7
        step = f"scores-{week}"
        owed = missing_scores(call)
        # The juror's own page of what is left to score (prize.jury_views.juror_home).
        url = settings.SITE_URL + reverse("prize:juror-home", kwargs={"year": call.year})
        for juror in JuryMember.objects.filter(pk__in=owed).select_related("user"):
            email = juror.user.email
            if email and (email, step) not in already:
                planned.append(
                    PlannedPrizeReminder(
                        call,
                        step,
                        PrizeReminder.Kind.SCORES_MISSING,
                        email,
                        juror.user.first_name,
                        juror.user_id,
                        [{"missing": owed[juror.pk], "juror": juror.pk, "url": url}],
                    )
                )
    return planned


def prize_reminders_sweep(*, day: datetime.date | None = None, dry_run: bool = False) -> list:
    """Work out and claim the day's prize reminders, and queue them for sending."""
    day = day or timezone.localdate()
    calls = PrizeCall.objects.filter(
        Q(opens_on__lte=day),
        # A call left undecided (an old one, say) stops reminding its jury after a year.
        closes_on__gte=day - JURY_REMINDERS_FOR,
        decided_at__isnull=True,
        published_at__isnull=True,
    )
    planned = []
    for call in calls:
        already = set(call.reminders.values_list("email", "step"))
        planned += _plan_for_call(call, day, already)
    if dry_run or not planned:
        return planned
    token = uuid.uuid4()
    planned.sort(key=lambda reminder: (reminder.call.pk, reminder.email, reminder.step))
    return claim_rows(
        PrizeReminder, [reminder.as_row(token, day) for reminder in planned], token=token
    )


def prize_reminder_still_due(reminder: PrizeReminder) -> tuple[list[dict], str]:
    """What a claimed prize reminder should say now, or why it should not be sent at all."""
    items = reminder.payload.get("items", [])
    if reminder.recipient_id is None:
        return [], _("Personen finns inte längre i portalen.")
    if not reminder.recipient.is_active:
        return [], _("Personen är inte längre aktiv.")
    call = reminder.call
    if reminder.kind == PrizeReminder.Kind.SCORES_MISSING:
        if call.decided_at is not None:
            return [], _("Juryn har redan beslutat.")
        juror_id = items[0]["juror"] if items else None
        owed = missing_scores(call).get(juror_id, 0)
        if not owed:
            return [], _("Alla poäng är redan satta.")
        return [{**items[0], "missing": owed}], ""
    if call.state != PrizeCall.State.OPEN:
        return [], _("Nomineringen är inte längre öppen.")
    return items, ""
