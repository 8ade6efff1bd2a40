"""The jury's work: who sits on it, what each juror may score, the ranking and the decision.

The conflict-of-interest rule lives here and nowhere else: a juror who is a member of the
nominated organisation may not score that nomination. Views, the ranking and the reminders all
ask `conflicted_organisation_ids`, and `scores_save` refuses such a score whatever the form said.
"""

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from actors.emails import send_templated
from actors.models import Membership, User
from prize.models import Award, Criterion, JuryMember, Nomination, PrizeCall, Score

SCORE_VALUES = range(1, 6)


class JuryError(Exception):
    """A jury action that cannot be done now; the message says why, in Swedish."""


# --- Reads -------------------------------------------------------------------------------------


def juror_for(call: PrizeCall, user) -> JuryMember | None:
    """The person's seat on this year's jury, or None."""
    if not user.is_authenticated or not user.is_active:
        return None
    return JuryMember.objects.filter(call=call, user=user).select_related("call").first()


def conflicted_organisation_ids(user: User) -> set[int]:
    """The organisations the person is a member of: their nominations are not theirs to score."""
    return set(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))


def may_score(juror: JuryMember, nomination: Nomination) -> bool:
    return nomination.organisation_id not in conflicted_organisation_ids(juror.user)


def jury_nominations(call: PrizeCall):
    """What the jury judges: submitted (visitors': confirmed) and not hidden, oldest first."""
    return (
        Nomination.objects.filter(call=call)
        .for_jury()
        .select_related("organisation")
        .order_by("submitted_at", "pk")
    )


@dataclass
class JurorRow:
    nomination: Nomination
    is_conflicted: bool
    scored: int
    criteria: int

    @property
    def left(self) -> int:
        return 0 if self.is_conflicted else self.criteria - self.scored


def juror_rows(juror: JuryMember) -> list[JurorRow]:
    """Each nomination the jury sees, with how many of its criteria this juror has scored."""
    criteria = juror.call.criteria.count()
    conflicted = conflicted_organisation_ids(juror.user)
    nominations = jury_nominations(juror.call).annotate(
        scored=Count("scores", filter=Q(scores__juror=juror))
    )
    return [JurorRow(n, n.organisation_id in conflicted, n.scored, criteria) for n in nominations]


def juror_has_scored_everything(juror: JuryMember) -> bool:
    return all(row.left == 0 for row in juror_rows(juror))


def scores_open_to(juror: JuryMember) -> bool:
    """Other jurors' scores stay hidden until this juror has scored all they may, or the chair
    opened them: nobody is swayed by the others before making up their own mind."""
    return juror.call.scores_opened_at is not None or juror_has_scored_everything(juror)


def is_decided(call: PrizeCall) -> bool:
    return call.decided_at is not None


@dataclass
class RankingRow:
    nomination: Nomination
    means: list[float | None]
    overall: float | None
    jurors_scored: int
    conflicted_jurors: list[str] = field(default_factory=list)


def ranking_queryset(call: PrizeCall):
    """The nominations the jury sees, best overall mean first (unscored last), for paging."""
    return (
        jury_nominations(call)
        .annotate(
            overall=Avg("scores__value"),
            jurors_scored=Count("scores__juror", distinct=True),
        )
        .order_by(F("overall").desc(nulls_last=True), "pk")
    )


def ranking_rows(
    call: PrizeCall, nominations: list[Nomination], criteria: list[Criterion]
) -> list[RankingRow]:
    """One page of the ranking: each nomination's mean per criterion and overall, how many jurors
    scored it, and the jurors who may not score it (members of its organisation).

    Three queries whatever the size: the means are aggregated by the database.
    """
    means = {
        (row["nomination"], row["criterion"]): row["mean"]
        for row in Score.objects.filter(nomination__in=[n.pk for n in nominations])
        .values("nomination", "criterion")
        .annotate(mean=Avg("value"))
    }
    jurors = list(
        JuryMember.objects.filter(call=call)
        .select_related("user")
        .prefetch_related("user__memberships")
    )
    rows = []
    for nomination in nominations:
        conflicted = [
            juror.user.get_full_name() or juror.user.username
            for juror in jurors
            if any(
                m.organisation_id == nomination.organisation_id
                for m in juror.user.memberships.all()
            )
        ]
        rows.append(
            RankingRow(
                nomination=nomination,
                means=[means.get((nomination.pk, c.pk)) for c in criteria],
                overall=nomination.overall,
                jurors_scored=nomination.jurors_scored,
                conflicted_jurors=conflicted,
            )
        )
    return rows


def published_awards():
    """What the public sees: the awards of published decisions, never a nomination's own text."""
    return Award.objects.filter(
        published_at__isnull=False, call__published_at__isnull=False
    ).select_related("call", "organisation")


# --- Writes ------------------------------------------------------------------------------------


def jury_member_appoint(*, call: PrizeCall, user: User, is_chair: bool = False) -> JuryMember:
    if JuryMember.objects.filter(call=call, user=user).exists():
        raise JuryError(_("%(person)s sitter redan i juryn.") % {"person": user})
    with transaction.atomic():
        if is_chair:
            JuryMember.objects.filter(call=call, is_chair=True).update(is_chair=False)
        try:
            return JuryMember.objects.create(call=call, user=user, is_chair=is_chair)
        except IntegrityError:
            raise JuryError(_("%(person)s sitter redan i juryn.") % {"person": user}) from None


def jury_member_remove(*, member: JuryMember) -> None:
    """Off the jury, with the scores the person gave (they no longer count)."""
    if is_decided(member.call):
        raise JuryError(_("Juryn kan inte ändras när beslutet är fattat."))
    member.delete()


@transaction.atomic
def jury_chair_set(*, member: JuryMember) -> JuryMember:
    """One chair per call: the new chair takes over from the old."""
    JuryMember.objects.filter(call=member.call, is_chair=True).exclude(pk=member.pk).update(
        is_chair=False
    )
    member.is_chair = True
    member.save(update_fields=["is_chair"])
    return member


@transaction.atomic
def scores_save(
    *, juror: JuryMember, nomination: Nomination, scores: dict[int, tuple[int, str]]
) -> None:
    """The juror's scores of one nomination: {criterion id: (1–5, comment)}.

    Refused for a nomination of the juror's own organisation, one the jury does not see, or
    once the decision is made.
    """
    call = PrizeCall.objects.select_for_update().get(pk=juror.call_id)
    if is_decided(call):
        raise JuryError(_("Beslutet är fattat: poängen kan inte längre ändras."))
    if not jury_nominations(call).filter(pk=nomination.pk).exists():
        raise JuryError(_("Nomineringen bedöms inte av juryn."))
    if not may_score(juror, nomination):
        raise JuryError(
            _("Du är jävig: du kan inte bedöma en nominering av din egen organisation.")
        )
    criteria = set(call.criteria.values_list("pk", flat=True))
    for criterion_id, (value, comment) in scores.items():
        if criterion_id not in criteria or value not in SCORE_VALUES:
            raise JuryError(_("Poängen ska vara från 1 till 5 för omgångens kriterier."))
        Score.objects.update_or_create(
            juror=juror,
            nomination=nomination,
            criterion_id=criterion_id,
            defaults={"value": value, "comment": comment},
        )


def scores_open(*, juror: JuryMember) -> PrizeCall:
    """The chair opens every juror's scores to the whole jury."""
    if not juror.is_chair:
        raise JuryError(_("Bara juryns ordförande kan öppna poängen."))
    call = juror.call
    if call.scores_opened_at is None:
        call.scores_opened_at = timezone.now()
        call.scores_opened_by = juror.user
        call.save(update_fields=["scores_opened_at", "scores_opened_by"])
    return call


def _texts_of(nomination: Nomination) -> list[str]:
    texts = [nomination.summary, *nomination.motivations.values_list("text", flat=True)]
    return [" ".join(text.split()).casefold() for text in texts if len(text.strip()) >= 20]


def motivation_is_copied(*, nomination: Nomination, motivation: str) -> bool:
    """The published motivation is the jury's own: not the nominator's text pasted in."""
    written = " ".join(motivation.split()).casefold()
    return any(text in written for text in _texts_of(nomination))


@transaction.atomic
def award_decide(*, call: PrizeCall, nomination: Nomination, motivation: str) -> Award:
    """Record one winner (a call may have several) with the motivation the jury wrote."""
    call = PrizeCall.objects.select_for_update().get(pk=call.pk)
    if call.published_at:
        raise JuryError(_("Beslutet är redan publicerat."))
    if not jury_nominations(call).filter(pk=nomination.pk).exists():
        raise JuryError(_("Bara en nominering som juryn bedömer kan vinna."))
    if Award.objects.filter(nomination=nomination).exists():
        raise JuryError(_("Nomineringen är redan vald som pristagare."))
    if motivation_is_copied(nomination=nomination, motivation=motivation):
        raise JuryError(_("Skriv juryns egen motivering: nomineringens text publiceras aldrig."))
    now = timezone.now()
    award = Award.objects.create(
        call=call,
        nomination=nomination,
        organisation=nomination.organisation,
        unit_name=nomination.unit_name,
        motivation=motivation.strip(),
        decided_at=now,
    )
    if call.decided_at is None:
        call.decided_at = now
        call.save(update_fields=["decided_at"])
    return award


@transaction.atomic
def award_withdraw(*, award: Award) -> None:
    """Before publishing, a winner may be taken back; with the last one the call is undecided."""
    call = PrizeCall.objects.select_for_update().get(pk=award.call_id)
    if call.published_at:
        raise JuryError(_("Beslutet är redan publicerat."))
    award.delete()
    if not call.awards.exists():
        call.decided_at = None
        call.save(update_fields=["decided_at"])


def _award_recipients(award: Award) -> list[tuple[str, str]]:
    """(address, name) of the winner's contact and the nominator, each once."""
    nomination = award.nomination
    recipients: dict[str, str] = {}
    if nomination is None:
        return []
    if nomination.contact_email:
        recipients[nomination.contact_email.lower()] = nomination.contact_name
    if nomination.nominator_id and nomination.nominator.email:
        recipients.setdefault(
            nomination.nominator.email.lower(), nomination.nominator.get_full_name()
        )
    elif nomination.nominator_email:
        recipients.setdefault(nomination.nominator_email.lower(), nomination.nominator_name)
    if not nomination.contact_email and nomination.organisation.contact_email:
        recipients.setdefault(nomination.organisation.contact_email.lower(), "")
    return list(recipients.items())


def _send_award_emails(award_ids: list[int]) -> None:
    for award in Award.objects.filter(pk__in=award_ids).select_related(
        "call", "organisation", "nomination__nominator", "nomination__organisation"
    ):
        for address, name in _award_recipients(award):
            send_templated(
                "prize/emails/award",
                {"award": award, "call": award.call, "name": name},
                [address],
            )


@transaction.atomic
def award_publish(*, call: PrizeCall, now: datetime.datetime | None = None) -> PrizeCall:
    """Publish the decision: the winners reach the public page, and the winner's contact and
    the nominator hear of it by e-mail once the transaction holds."""
    call = PrizeCall.objects.select_for_update().get(pk=call.pk)
    if call.published_at:
        raise JuryError(_("Beslutet är redan publicerat."))
    award_ids = list(call.awards.values_list("pk", flat=True))
    if not award_ids:
        raise JuryError(_("Välj minst en pristagare innan beslutet publiceras."))
    now = now or timezone.now()
    call.awards.update(published_at=now)
    call.published_at = now
    call.save(update_fields=["published_at"])
    transaction.on_commit(lambda: _send_award_emails(award_ids), robust=True)
    return call


def juror_candidates():
    """Who county staff may appoint: active portal users."""
    return User.objects.filter(is_active=True).order_by("first_name", "last_name", "username")


def jurors_with_conflicts(call: PrizeCall) -> list[tuple[JuryMember, list[str]]]:
    """Each juror and the nominations (titles) they may not score."""
    nominations = list(jury_nominations(call))
    jurors = list(
        call.jury.select_related("user")
        .prefetch_related("user__memberships")
        .order_by("-is_chair", "user__first_name", "user__last_name", "pk")
    )
    result = []
    for juror in jurors:
        organisations = {m.organisation_id for m in juror.user.memberships.all()}
        result.append((juror, [n.title for n in nominations if n.organisation_id in organisations]))
    return result


# --- The good-practice library ------------------------------------------------------------------


def award_make_practice(*, award: Award, user: User):
    """One step from a winning nomination to a proposed entry of the good-practice library.

    The entry starts as a proposal for county staff's review (practices' rule): the nomination's
    texts were written for the jury, so the library publishes nothing of them unreviewed.
    """
    from practices.services import practice_create_from

    nomination = award.nomination
    if nomination is None:
        raise JuryError(_("Pristagaren har ingen nominering att göra ett gott exempel av."))
    if award.practices.exists():
        raise JuryError(_("Pristagaren har redan ett gott exempel."))
    organisation = award.organisation
    with transaction.atomic():
        practice = practice_create_from(
            proposing_organisation=organisation,
            created_by=user,
            title=nomination.title,
            summary=award.motivation,
            what_is_done=nomination.summary,
            organisations=[organisation],
            municipalities=[organisation] if organisation.municipality_code else [],
            sources=str(_("Kvinnofridspriset %(year)s") % {"year": award.call.year}),
        )
        award.practices.add(practice)
    return practice
