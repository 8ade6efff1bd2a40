import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from prize.models import Nomination, PrizeCall

pytestmark = pytest.mark.django_db


def test_the_demo_has_this_years_call_open_with_marked_nominations_once(settings):
    settings.DEBUG = True  # the demo belongs on development machines
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())

    call = PrizeCall.objects.get(year=timezone.localdate().year)
    assert call.is_open
    nominations = list(call.nominations.all())
    assert len(nominations) == 3
    assert all(nomination.title.startswith("Demo: ") for nomination in nominations)
    assert all(nomination.motivations.count() == 4 for nomination in nominations)
    assert Nomination.objects.for_jury().count() == 3


def test_the_demo_jury_has_two_jurors_each_from_a_nominated_organisation(settings):
    from prize import jury

    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())

    call = PrizeCall.objects.get(year=timezone.localdate().year)
    jurors = {member.user.username: member for member in call.jury.select_related("user")}
    assert sorted(jurors) == ["samordnare.huddinge", "samordnare.polisen"]
    assert jurors["samordnare.huddinge"].is_chair
    for member in jurors.values():
        rows = jury.juror_rows(member)
        assert any(row.is_conflicted for row in rows)
        assert any(not row.is_conflicted for row in rows)
