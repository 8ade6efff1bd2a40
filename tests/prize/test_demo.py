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
