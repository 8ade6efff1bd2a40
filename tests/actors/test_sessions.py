"""How long a sign-in lasts: an idle limit by role, and an absolute limit for everyone."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from followup.models import ProgressReport
from tests.personas import PASSWORD, build_world

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)
MY_TASKS = reverse("followup:my-tasks")
STATUS = reverse("session-status")


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def login_page_after(response):
    """The login page a redirect leads to, and where it will send the person afterwards."""
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    return response


@pytest.mark.parametrize(
    "persona,idle_minutes",
    [
        ("county_staff", 30),
        ("administrator", 30),
        ("staff_only", 30),
        ("county_coordinator", 30),  # county staff too: the stricter limit
        ("coordinator_a", 120),
        ("delegate", 120),
    ],
)
def test_a_session_ends_after_the_idle_limit_of_the_persons_role(
    client, world, clock, persona, idle_minutes
):
    client.force_login(world.users[persona])
    clock.shift((idle_minutes - 1) * MINUTE)
    assert client.get(MY_TASKS).status_code == 200  # activity: the idle time starts again

    clock.shift((idle_minutes - 1) * MINUTE)
    assert client.get(MY_TASKS).status_code == 200

    clock.shift(idle_minutes * MINUTE + MINUTE)
    response = client.get(MY_TASKS)

    assert login_page_after(response)["Location"] == f"{reverse('login')}?next={MY_TASKS}"
    assert "_auth_user_id" not in client.session


def test_the_person_is_told_why_in_swedish_and_returns_where_they_were(client, world, clock):
    page = reverse("followup:commitment-detail", args=[world.commitment.pk]) + "?flik=rapporter&x=1"
    client.force_login(world.users["county_staff"])
    clock.shift(31 * MINUTE)

    login = client.get(page, follow=True)
    signed_in = client.post(
        login.redirect_chain[-1][0],
        {"username": "county_staff", "password": PASSWORD, "next": page},
    )

    content = login.content.decode()
    assert "Du har loggats ut eftersom du inte har använt portalen på 30 minuter." in content
    assert f'name="next" value="{page}"' in content.replace("&amp;", "&")
    assert signed_in["Location"] == page


def test_a_report_posted_after_the_idle_limit_is_not_saved_and_leads_to_login(client, world, clock):
    form = reverse("followup:report-edit", args=[world.other_commitment.pk, "a"])
    client.force_login(world.users["coordinator_a"])
    clock.shift(121 * MINUTE)

    response = client.post(
        form,
        {"work_done": "Skrivet för länge sedan", "save": "1"},
        HTTP_REFERER=f"http://testserver{form}",
    )

    assert login_page_after(response)["Location"] == f"{reverse('login')}?next={form}"
    assert not ProgressReport.objects.filter(work_done="Skrivet för länge sedan").exists()


def test_a_button_pressed_after_the_idle_limit_returns_to_the_page_it_was_on(client, world, clock):
    """Not to the address the button posts to, which answers no GET (logging out, say)."""
    page = reverse("followup:commitment-detail", args=[world.commitment.pk])
    client.force_login(world.users["coordinator_a"])
    clock.shift(121 * MINUTE)

    response = client.post(reverse("logout"), HTTP_REFERER=f"http://testserver{page}")
    client.force_login(world.users["coordinator_a"])
    clock.shift(121 * MINUTE)
    from_elsewhere = client.post(reverse("logout"), HTTP_REFERER="https://evil.example/x/")

    assert login_page_after(response)["Location"] == f"{reverse('login')}?next={page}"
    assert login_page_after(from_elsewhere)["Location"] == f"{reverse('login')}?next={MY_TASKS}"


def test_a_session_ends_after_twelve_hours_however_active(client, world, clock):
    client.force_login(world.users["coordinator_a"])
    for _ in range(11 * 6):
        clock.shift(10 * MINUTE)
        assert client.get(MY_TASKS).status_code == 200
    clock.shift(59 * MINUTE)
    assert client.get(MY_TASKS).status_code == 200

    clock.shift(2 * MINUTE)
    response = client.get(MY_TASKS, follow=True)

    assert "Du har varit inloggad i 12 timmar" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_limits_are_settings(client, world, clock, settings):
    settings.SESSION_IDLE_LIMIT = datetime.timedelta(minutes=5)
    client.force_login(world.users["coordinator_a"])

    clock.shift(6 * MINUTE)

    assert login_page_after(client.get(MY_TASKS))


def test_by_default_two_hours_idle_thirty_minutes_for_staff_twelve_hours_in_all():
    limits = (
        settings.SESSION_IDLE_LIMIT,
        settings.SESSION_IDLE_LIMIT_STAFF,
        settings.SESSION_ABSOLUTE_LIMIT,
        datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE),
    )

    hour = datetime.timedelta(hours=1)
    assert limits == (2 * hour, 30 * MINUTE, 12 * hour, 12 * hour)


def test_asking_how_long_is_left_does_not_count_as_activity_but_keeping_alive_does(
    client, world, clock
):
    client.force_login(world.users["county_staff"])
    clock.shift(20 * MINUTE)

    asked = client.get(STATUS)
    kept = client.post(STATUS)
    clock.shift(29 * MINUTE)
    still = client.get(STATUS)

    assert asked.json() == {"remaining": 10 * 60}
    assert kept.json() == {"remaining": 30 * 60}
    assert still.json() == {"remaining": 60}


def test_a_session_that_has_ended_answers_the_status_with_401_and_a_message_for_the_login(
    client, world, clock
):
    client.force_login(world.users["county_staff"])
    clock.shift(31 * MINUTE)

    response = client.post(STATUS)
    login = client.get(MY_TASKS, follow=True)

    assert response.status_code == 401
    assert "Du har loggats ut eftersom" in login.content.decode()


def test_visitors_asking_for_the_status_get_401(client):
    assert client.get(STATUS).status_code == 401
