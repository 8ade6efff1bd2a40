"""Pages for a signed-in person are never kept by a browser's or a proxy's cache."""

import pytest
from django.urls import reverse

from tests.personas import build_world

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url_name", ["followup:my-tasks", "actionplan:commitment-list", "home", "followup:period-list"]
)
def test_a_signed_in_persons_pages_are_not_stored(client, url_name):
    world = build_world()
    client.force_login(world.users["county_staff"])

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= directives


def test_a_visitors_public_page_may_be_cached(client):
    build_world()

    response = client.get(reverse("actionplan:commitment-list"))

    assert "no-store" not in response.get("Cache-Control", "")


def test_a_language_switch_cookie_is_same_site_and_not_read_by_scripts(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})

    cookie = response.cookies["django_language"]
    assert cookie["samesite"] == "Lax"
    assert cookie["httponly"]
