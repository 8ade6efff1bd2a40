import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from prize.models import Criterion, JuryMember, Motivation, Nomination, PrizeCall
from prize.services import prize_call_create
from tests.factories import (
    CriterionFactory,
    JuryMemberFactory,
    NominationFactory,
    PrizeCallFactory,
    ScoreFactory,
)

pytestmark = pytest.mark.django_db


def _violates(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_a_new_call_starts_with_the_four_default_criteria():
    call = prize_call_create(
        year=2027, opens_on=datetime.date(2027, 1, 1), closes_on=datetime.date(2027, 3, 1)
    )
    titles = list(call.criteria.values_list("title", flat=True))
    assert titles == [
        "Samverkan mellan organisationer",
        "Långsiktigt och en del av det ordinarie arbetet",
        "Visade resultat",
        "Möjligt för andra att använda",
    ]


def test_the_call_state_follows_the_dates_and_the_decision():
    call = PrizeCall(
        year=2026, opens_on=datetime.date(2026, 3, 1), closes_on=datetime.date(2026, 5, 31)
    )
    assert call.state_on(datetime.date(2026, 2, 28)) == PrizeCall.State.UPCOMING
    assert call.state_on(datetime.date(2026, 3, 1)) == PrizeCall.State.OPEN
    assert call.state_on(datetime.date(2026, 5, 31)) == PrizeCall.State.OPEN
    assert call.state_on(datetime.date(2026, 6, 1)) == PrizeCall.State.JURY
    call.decided_at = timezone.now()
    assert call.state_on(datetime.date(2026, 6, 1)) == PrizeCall.State.DECIDED
    call.published_at = timezone.now()
    assert call.state_on(datetime.date(2026, 6, 1)) == PrizeCall.State.PUBLISHED


def test_a_call_closes_after_it_opens_and_one_per_year():
    _violates(
        lambda: PrizeCall.objects.create(
            year=2030, opens_on=datetime.date(2030, 5, 1), closes_on=datetime.date(2030, 4, 1)
        )
    )
    PrizeCallFactory(year=2031)
    _violates(
        lambda: PrizeCall.objects.create(
            year=2031, opens_on=datetime.date(2031, 1, 1), closes_on=datetime.date(2031, 2, 1)
        )
    )


def test_a_score_is_from_1_to_5_and_given_once_per_criterion():
    score = ScoreFactory(value=5)
    _violates(lambda: ScoreFactory(juror=score.juror, nomination=score.nomination, value=0))
    _violates(
        lambda: ScoreFactory(
            juror=score.juror,
            nomination=score.nomination,
            criterion=score.nomination.call.criteria.last(),
            value=6,
        )
    )
    _violates(
        lambda: ScoreFactory(
            juror=score.juror, nomination=score.nomination, criterion=score.criterion
        )
    )


def test_a_jury_has_one_chair_and_each_person_once():
    chair = JuryMemberFactory(is_chair=True)
    _violates(lambda: JuryMemberFactory(call=chair.call, is_chair=True))
    _violates(lambda: JuryMember.objects.create(call=chair.call, user=chair.user))


def test_a_nomination_names_its_nominator_and_a_contact_only_with_consent():
    call = PrizeCallFactory()
    _violates(lambda: NominationFactory(call=call, nominator=None))
    _violates(lambda: NominationFactory(call=call, contact_name="Kim Kontakt"))
    NominationFactory(call=call, contact_name="Kim Kontakt", contact_consent_at=timezone.now())


def test_a_visitors_nomination_is_submitted_only_once_confirmed():
    call = PrizeCallFactory()
    _violates(
        lambda: NominationFactory(
            call=call,
            nominator=None,
            nominator_name="Vera",
            nominator_email="vera@example.org",
            state=Nomination.State.SUBMITTED,
        )
    )
    pending = NominationFactory(call=call, by_visitor=True)
    assert pending.submitted_at is None
    assert not Nomination.objects.for_jury().filter(pk=pending.pk).exists()


def test_hiding_needs_a_reason_and_hides_from_the_jury():
    nomination = NominationFactory()
    assert Nomination.objects.for_jury().filter(pk=nomination.pk).exists()
    _violates(lambda: Nomination.objects.filter(pk=nomination.pk).update(hidden_at=timezone.now()))
    Nomination.objects.filter(pk=nomination.pk).update(
        hidden_at=timezone.now(), hidden_reason="Namnger en privatperson."
    )
    assert not Nomination.objects.for_jury().filter(pk=nomination.pk).exists()


def test_one_motivation_per_criterion():
    nomination = NominationFactory()
    criterion = nomination.call.criteria.first()
    _violates(
        lambda: Motivation.objects.create(nomination=nomination, criterion=criterion, text="x")
    )
    assert nomination.motivations.count() == 4
    assert CriterionFactory(call=nomination.call).call == nomination.call
    assert Criterion.objects.filter(call=nomination.call).count() == 5
