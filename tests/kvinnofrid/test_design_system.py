"""The design system: GOV.UK Frontend in Kvinnofrid purple, built by `npm run build` (which
scripts/test.sh runs first), collected and served by WhiteNoise, and the layout around each page."""

import json
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse

from indicators.charts import Colours
from tests.kvinnofrid.test_deploy import GUNICORN, free_port, production_environment

ROOT = Path(__file__).resolve().parents[2]
BUILT_CSS = ROOT / "static" / "dist" / "kvinnofrid.css"
TOKENS = ROOT / "frontend" / "_tokens.scss"


@pytest.fixture(scope="module")
def built_css() -> str:
    assert BUILT_CSS.exists(), "static/dist/kvinnofrid.css is missing: run `npm run build`"
    return BUILT_CSS.read_text()


def test_the_built_stylesheet_is_govuk_frontend_in_kvinnofrid_purple(built_css):
    assert ".govuk-service-navigation" in built_css
    assert "#5b1f6b" in built_css.lower()
    for state in ("missing", "draft", "submitted", "approved", "returned", "late", "due-soon"):
        assert f".state-{state}" in built_css  # the tags of templates/includes/report_state.html


def test_the_built_stylesheet_uses_the_system_font_not_the_gov_uk_typeface(built_css):
    # "GDS Transport" may be used only by gov.uk services; nothing of it may be loaded.
    assert "GDS Transport" not in built_css
    assert "@font-face" not in built_css
    assert "system-ui" in built_css
    assert "url(" not in built_css  # no GOV.UK image (the crest), nothing from elsewhere


def test_the_built_stylesheet_is_newer_than_its_sources():
    newest_source = max(path.stat().st_mtime for path in (ROOT / "frontend").glob("*.scss"))
    assert BUILT_CSS.stat().st_mtime >= newest_source, "run `npm run build`"


def test_the_charts_use_the_stylesheets_colour_tokens():
    tokens = {
        name.upper().replace("-", "_"): value.lower()
        for name, value in re.findall(
            r"^\$kf-([\w-]+):\s*(#[0-9a-fA-F]{6});", TOKENS.read_text(), re.M
        )
    }
    colours = {name: value for name, value in vars(Colours).items() if name.isupper()}

    assert colours, "indicators.charts.Colours names no colour"
    for name, value in colours.items():
        assert tokens.get(name) == value.lower(), f"Colours.{name} is not $kf-{name.lower()}"


def test_gov_uk_frontend_is_pinned_by_the_lockfile():
    package = json.loads((ROOT / "package.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())

    for name, version in package["dependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} is not pinned exactly"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
    assert package["dependencies"]["govuk-frontend"].startswith("6.")


@pytest.mark.django_db
def test_every_page_has_the_skip_link_the_favicon_and_the_service_navigation(client):
    html = client.get(reverse("home")).content.decode()

    assert '<html lang="sv" class="govuk-template">' in html
    assert '<a class="govuk-skip-link" href="#main"' in html
    assert '<main id="main" class="govuk-main-wrapper"' in html
    assert f'<link rel="icon" href="{static("img/favicon.svg")}"' in html
    assert f'<link rel="stylesheet" href="{static("dist/kvinnofrid.css")}">' in html
    assert 'data-module="govuk-service-navigation"' in html
    # The "Meny" button that collapses the navigation on small screens, GOV.UK's script shows it.
    toggle = re.search(r'<button type="button" class="govuk-service-navigation__toggle[^>]*>', html)
    assert toggle and 'aria-controls="navigation"' in toggle[0]
    assert ">Meny</button>" in html
    assert '<ul class="govuk-service-navigation__list" id="navigation">' in html
    assert 'class="govuk-footer"' in html
    # The body is marked for GOV.UK's components by a static script, not an inline one.
    supported = f'<script src="{static("js/govuk-supported.js")}"></script>'
    assert f'<body class="govuk-template__body">\n  {supported}' in html
    assert f'<script type="module" src="{static("js/govuk-init.js")}"></script>' in html


@pytest.mark.django_db
def test_a_message_is_a_notification_banner_read_out_as_a_status_or_an_alert(rf):
    request = rf.get("/")
    request.user = AnonymousUser()
    messages = [
        Message(constants.SUCCESS, "Rapporten är inskickad."),
        Message(constants.ERROR, "Något stämmer inte."),
        Message(constants.INFO, "Perioden öppnar i morgon."),
    ]

    html = render_to_string("base.html", {"messages": messages}, request=request)
    banners = re.findall(r'<div class="govuk-notification-banner([^"]*)"\s+role="(\w+)"', html)

    assert banners == [
        (" kf-banner-success govuk-notification-banner--success", "status"),
        (" kf-banner-error", "alert"),
        (" kf-banner-info", "status"),
    ]
    assert '<div class="messages">' in html  # what the e2e tests look for
    for message in messages:
        assert f'<p class="govuk-notification-banner__heading">{message}</p>' in html


def test_collectstatic_collects_the_built_assets_and_whitenoise_serves_them(tmp_path):
    static_root = tmp_path / "static"
    environment = production_environment(STATIC_ROOT=str(static_root))
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=environment,
        check=True,
        timeout=300,
    )
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    hashed_css = manifest["dist/kvinnofrid.css"]
    assert hashed_css != "dist/kvinnofrid.css"
    assert "dist/govuk-frontend.min.js" in manifest and "img/favicon.svg" in manifest

    port = free_port()
    server = subprocess.Popen(
        [GUNICORN, "-c", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env=environment | {"GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # GOV.UK's module is imported by js/govuk-init.js by its plain name.
        fetched = {}
        for path in (f"/static/{hashed_css}", "/static/dist/govuk-frontend.min.js"):
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}{path}",
                headers={"Host": "kvinnofrid.example.se", "X-Forwarded-Proto": "https"},
            )
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(request, timeout=5) as response:
                        fetched[path] = (
                            response.status,
                            response.headers["Content-Type"],
                            response.read(),
                        )
                    break
                except (ConnectionError, urllib.error.URLError):
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)

    status, content_type, body = fetched[f"/static/{hashed_css}"]
    assert (status, content_type.split(";")[0]) == (200, "text/css")
    assert b"#5b1f6b" in body.lower()
    status, content_type, body = fetched["/static/dist/govuk-frontend.min.js"]
    assert status == 200 and b"initAll" in body


class _Report:
    def __init__(self, state: str):
        self.state = state

    def get_state_display(self) -> str:
        return self.state.title()


@pytest.mark.parametrize(
    "state,days_left,colour_classes",
    [
        (None, 23, "state-missing"),  # not started, weeks to go: grey, no alarm
        ("draft", 23, "state-draft"),
        (None, 5, "state-missing state-due-soon"),  # the last week: yellow
        ("draft", 0, "state-draft state-due-soon"),
        (None, -2, "state-missing state-late"),  # late: red
        ("draft", -2, "state-draft state-late"),
        ("submitted", -2, "state-submitted"),  # sent in is sent in, whatever the date
        ("returned", 23, "state-returned"),  # returned: red
        ("approved", -2, "state-approved"),
        (None, None, "state-missing"),  # a page that does not know the deadline
    ],
)
def test_a_reports_state_is_a_tag_coloured_by_how_much_alarm_it_deserves(
    state, days_left, colour_classes
):
    context = {"report": _Report(state) if state else None}
    if days_left is not None:
        context["days_left"] = days_left

    html = render_to_string("includes/report_state.html", context)

    assert f'<strong class="govuk-tag badge {colour_classes}">' in html
