"""The demo's library entries: clearly demo, linked to demo commitments, one waiting for review."""

import io

import pytest
from django.core.management import call_command

from practices.models import Practice

pytestmark = pytest.mark.django_db


def test_the_demo_adds_marked_entries_linked_to_demo_commitments_and_one_proposal(settings):
    settings.DEBUG = True  # the demo belongs on development machines
    call_command("seed_demo", stdout=io.StringIO())

    demo = Practice.objects.filter(is_demo=True)
    assert demo.count() >= 3
    assert all(practice.title.startswith("Demo:") for practice in demo)
    assert not demo.filter(is_example=True).exists()
    assert demo.filter(state=Practice.State.PROPOSED).count() == 1
    for practice in demo.public():
        assert practice.commitments.exists()
        assert not practice.commitments.filter(is_demo=False).exists()
    # The shipped examples stay as they are: real, not demo.
    assert Practice.objects.filter(is_example=True, is_demo=False).count() == 2
