"""The Content-Security-Policy: scripts and styles only from the portal's own files.

That a browser really loads every main page and the admin under it without a violation is proven
in tests/e2e/test_content_security_policy.py; here the header, and the templates it relies on.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.test import Client
from django.urls import reverse

from tests.personas import build_world

ROOT = Path(settings.BASE_DIR)


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "persona"),
    [
        ("/", "visitor"),
        ("/ataganden/", "visitor"),
        ("/konto/logga-in/", "visitor"),
        ("/admin/login/", "visitor"),
        ("/uppfoljning/", "administrator"),
        ("/admin/", "administrator"),
        ("/admin/actionplan/commitment/", "administrator"),
    ],
)
def test_every_page_forbids_inline_scripts_and_styles_and_being_framed(client, url, persona):
    world = build_world()
    if persona != "visitor":
        client.force_login(world.users[persona])

    response = client.get(url)

    assert response.status_code == 200
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_an_error_page_carries_the_policy_too(client):
    response = client.get("/ataganden/", HTTP_HOST="not-allowed.example")

    assert response.status_code == 400
    assert directives(response)["script-src"] == ["'self'"]


# Inline code the policy refuses: <script> without src, <style>, style="…" and on…="…".
INLINE = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>|<style[\s>]|\sstyle=|\son[a-z]+=", re.I)


def _served_templates() -> list[Path]:
    """The project's page templates. E-mails are not pages: mail clients need inline styles."""
    return [
        path
        for path in sorted((ROOT / "templates").rglob("*.html"))
        if "emails" not in path.relative_to(ROOT / "templates").parts
    ]


@pytest.mark.parametrize("path", _served_templates(), ids=lambda path: path.name)
def test_no_template_has_inline_scripts_styles_or_event_handlers(path):
    found = INLINE.findall(path.read_text())

    assert not found, f"{path.relative_to(ROOT)}: {found}; move them to a file in static/"


@pytest.mark.parametrize(
    "name",
    [
        # Third-party templates with inline styles, overridden in templates/.
        "simple_history/object_history_list.html",
        "health_check/index.html",
        "403_csrf.html",
    ],
)
def test_the_third_party_pages_with_inline_styles_are_overridden(name):
    template = engines["django"].get_template(name)

    assert Path(template.origin.name).is_relative_to(ROOT / "templates")
    assert not INLINE.findall(Path(template.origin.name).read_text())


@pytest.mark.django_db
def test_the_csrf_failure_page_is_the_portals_own_in_swedish():
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(reverse("login"), {"username": "x", "password": "y"})

    assert response.status_code == 403
    assert "<style" not in response.content.decode()
    assert "Formuläret har gått ut" in response.content.decode()
