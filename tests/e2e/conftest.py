"""End-to-end tests: the portal in headless Chromium, checked with axe on every page.

One browser for the session, a new browser context (own cookies, own login) per person.
Every page a test loads must be checked with axe (`Visit.check`): a page that was loaded but
never checked fails the test, so new steps cannot skip the accessibility check by accident.
"""

import os

# Playwright's sync API runs an event loop in the main thread; Django refuses ORM calls from a
# thread with a running loop unless told that it is safe (it is: the loop is Playwright's own).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import dataclasses  # noqa: E402
import datetime  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

import pytest  # noqa: E402
from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from django.db import connections  # noqa: E402
from django.utils import timezone  # noqa: E402
from playwright.sync_api import Page, sync_playwright  # noqa: E402

from actors.models import User  # noqa: E402
from actors.services import membership_grant  # noqa: E402
from followup.models import ReportState  # noqa: E402
from tests import two_factor as two_factor_helpers  # noqa: E402
from tests.e2e.chromium import CHROMIUM_ARGS, chromium_path  # noqa: E402
from tests.factories import (  # noqa: E402
    CommitmentFactory,
    OrganisationFactory,
    ProgressReportFactory,
    ReportingPeriodFactory,
    UserFactory,
)

PASSWORD = "correct-horse-battery"
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
# Django's admin stylesheets @import each other. For its one rule that reads stylesheets
# (css-orientation-lock), axe preloads them and rebuilds an imported sheet as an inline <style>,
# which the Content-Security-Policy refuses: on the admin's pages, axe runs without the preload,
# and that rule alone is left unanswered there (the admin locks no orientation).
AXE_ADMIN_OPTIONS = AXE_OPTIONS | {"preload": False}
# Playwright's default timeouts are 30 s; a page of this portal that takes 10 s is broken.
TIMEOUT_MS = 10_000

_axe = Axe()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Remember whether the test itself failed, so that teardown checks do not pile on.
    report = yield
    if report.when == "call":
        item.e2e_call_failed = report.failed
    return report


@pytest.fixture(scope="session")
def _migrated_data(django_db_setup, django_db_blocker) -> dict[str, str]:
    """The data the migrations ship, as pytest-django serialized it for serialized rollback."""
    with django_db_blocker.unblock():
        return {
            alias: connections[alias]._test_serialized_contents
            for alias in connections
            if hasattr(connections[alias], "_test_serialized_contents")
        }


@pytest.fixture(scope="session")
def browser(_migrated_data, django_db_blocker):
    with sync_playwright() as playwright:
        # While Playwright's event loop runs in this thread, Django keeps its connections per
        # context instead of per thread, so the ORM gets new connection objects here. Give them
        # the serialized data too, or serialized rollback silently restores nothing.
        for alias, contents in _migrated_data.items():
            connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(
            executable_path=chromium_path(),
            headless=True,
            args=CHROMIUM_ARGS,
        )
        yield browser
        browser.close()
        # These connections are invisible once the loop stops: close them while they are
        # reachable, so that the test database can be dropped at the end of the session.
        with django_db_blocker.unblock():
            connections.close_all()


@pytest.fixture(scope="module", autouse=True)
def _restore_migrated_data(_migrated_data, django_db_blocker):
    """Put the data the migrations ship back once this module's tests are done.

    The browser tests are transactional with serialized rollback: each starts from the migrated
    data, and the database is emptied after each (without re-creating content types and
    permissions). Reload the data afterwards, so that tests which run later find the database
    just as the migrations left it.
    """
    yield
    with django_db_blocker.unblock():
        for alias, contents in _migrated_data.items():
            connections[alias].creation.deserialize_db_from_string(contents)


# Every violation of the Content-Security-Policy, as the page's own listener sees it. Playwright
# adds the script through the DevTools protocol, which the policy does not govern (axe is
# injected the same way).
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} ` +
      `at ${event.sourceFile}:${event.lineNumber} (${event.sample})`
  );
});
"""


class Visit:
    """One person's browser tab, with an axe check for every page it loads.

    The check also fails on any Content-Security-Policy violation on the page, whether the
    page's listener or Chromium's console reported it.
    """

    def __init__(self, page: Page, base_url: str):
        self.page = page
        self.base_url = base_url
        # Set for a window of a given size (visit(viewport=...)): `check` then also asserts
        # that the page fits the window's width.
        self.fits_width = False
        self.unchecked: list[str] = []
        self.csp_console_errors: list[str] = []
        page.on("load", lambda loaded: self.unchecked.append(loaded.url))
        page.add_init_script(RECORD_CSP_VIOLATIONS)
        page.on("console", self._console)

    def _console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.csp_console_errors.append(message.text)

    def csp_violations(self) -> list[str]:
        """The policy's violations on the page shown, and in the console since the last check."""
        recorded = self.page.evaluate("window.__cspViolations || []")
        return recorded + self.csp_console_errors

    def goto(self, path: str, accessibility: bool = True) -> Page:
        """Open a page of the portal and check it with axe (see `check`)."""
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        self.check(accessibility=accessibility)
        return self.page

    def navigates(self):
        """Context manager: the action inside loads a new page (checked by the caller)."""
        return self.page.expect_navigation()

    def check(self, accessibility: bool = True) -> None:
        """Assert that the page now shown has no WCAG 2.1 A/AA violations that axe can find,
        and that the browser refused nothing under the Content-Security-Policy.

        `accessibility=False` skips axe. No page needs it: Django's admin passes too, with the
        portal's admin styles and script (static/css/admin.css, static/js/admin-a11y.js).
        """
        self.page.wait_for_load_state("load")
        violations = self.csp_violations()
        self.csp_console_errors.clear()
        assert not violations, (
            f"Content-Security-Policy violations on {self.page.url}: {violations}"
        )
        if not accessibility:
            self.unchecked.clear()
            return
        if self.fits_width:
            self.assert_no_horizontal_scroll()
        admin = urlsplit(self.page.url).path.startswith("/admin/")
        results = _axe.run(self.page, options=AXE_ADMIN_OPTIONS if admin else AXE_OPTIONS)
        # The load event of this page has been delivered before axe's answer came back.
        self.unchecked.clear()
        assert results.violations_count == 0, (
            f"axe found {results.violations_count} kinds of WCAG 2.1 AA violations on "
            f"{self.page.url}:\n{results.generate_report()}"
        )

    def login(self, username: str, password: str = PASSWORD, *, two_factor: bool = True) -> None:
        """Sign in through the login page, as a person would.

        Administrators, county staff and staff (and whoever has turned it on) then enter a code
        from their app, computed here from the app's secret; a person who must use two factors
        and has no app is given one first. `two_factor=False` stops after the password, for the
        tests of two-factor sign-in itself.
        """
        user = User.objects.filter(username=username).first()
        device = None
        if two_factor and user is not None and two_factor_helpers.signs_in_with_two_factors(user):
            device = two_factor_helpers.app_device(user)
        page = self.goto("/konto/logga-in/")
        page.get_by_label("Användarnamn").fill(username)
        page.get_by_label("Lösenord").fill(password)
        with self.navigates():
            page.get_by_role("button", name="Logga in").click()
        self.check()
        if device is not None and "/konto/tvastegsverifiering/kod/" in page.url:
            self.enter_app_code(device)

    def enter_app_code(self, device) -> None:
        """On the code page: enter the code the person's app shows now (computed here)."""
        page = self.page
        page.get_by_label("Kod från appen").fill(two_factor_helpers.code_for(device))
        with self.navigates():
            page.get_by_role("button", name="Verifiera").click()
        self.check()

    def assert_no_horizontal_scroll(self) -> None:
        """The page is no wider than the window: nothing makes the whole page scroll sideways.

        A wide table may scroll inside its own container (`<div class="table-scroll">`).
        """
        measured = self.page.evaluate(MEASURE_WIDTH)
        assert measured["scrollWidth"] <= measured["innerWidth"], (
            f"{self.page.url} scrolls sideways: {measured['scrollWidth']} px wide in a window of "
            f"{measured['innerWidth']} px; reaching past the edge: {measured['culprits']}"
        )

    def assert_focus_kept(self) -> dict:
        """After an action that stays on the page, the focus is on a visible element, not lost to
        the page's body (where a keyboard or screen reader user would have to start over)."""
        focused = self.page.evaluate(FOCUSED_ELEMENT)
        assert focused is not None, f"The focus is lost (on the page's body) on {self.page.url}"
        assert focused["visible"], (
            f"The focus is on an invisible element on {self.page.url}: {focused}"
        )
        return focused


@pytest.fixture
def visit(browser, live_server, request):
    """Open a new, signed-out browser context (one person) and return its `Visit`."""
    contexts = []
    visits = []

    def open_visit(*, viewport: "Viewport | None" = None) -> Visit:
        """`viewport` (see VIEWPORTS): a window of that size, where every page checked must also
        fit the window's width (`Visit.assert_no_horizontal_scroll`)."""
        size = {"viewport": viewport.size} if viewport is not None else {}
        context = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm", **size)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        visits.append(Visit(context.new_page(), live_server.url))
        visits[-1].fits_width = viewport is not None
        return visits[-1]

    yield open_visit
    for context in contexts:
        context.close()
    if not getattr(request.node, "e2e_call_failed", True):
        unchecked = [url for visit in visits for url in visit.unchecked]
        assert not unchecked, f"Pages loaded but never checked with axe: {unchecked}"


@pytest.fixture
def reporting_world(transactional_db):
    """An organisation with a coordinator, one commitment, county staff and an open period."""
    today = timezone.localdate()
    period = ReportingPeriodFactory(
        year=today.year,
        opens_on=today - datetime.timedelta(days=30),
        due_on=today + datetime.timedelta(days=14),
        closes_on=today + datetime.timedelta(days=60),
    )
    organisation = OrganisationFactory(name="Testkommunen", short_name="Testkommunen")
    commitment = CommitmentFactory(
        lead_organisation=organisation,
        title="Utbilda socialtjänsten om våld i nära relation",
        start_year=min(2024, today.year),
        end_year=max(2027, today.year),
    )
    coordinator = UserFactory(username="samordnare", first_name="Sara", last_name="Samordnare")
    membership_grant(user=coordinator, organisation=organisation, role="coordinator")
    county = OrganisationFactory(name="Storsthlm (test)", short_name="Storsthlm test")
    staff = UserFactory(username="kansli", first_name="Karin", last_name="Kansli")
    membership_grant(user=staff, organisation=county, role="county_staff")
    return {
        "period": period,
        "organisation": organisation,
        "commitment": commitment,
        "coordinator": coordinator,
        "staff": staff,
    }


def add_reported_organisation(world: dict, *, goals=None, **report_fields) -> dict:
    """Add to a `reporting_world` a second organisation, Rapportkommunen, whose coordinator has
    sent in the report on its own commitment: world["submitted"] and
    world["reported_commitment"]. `report_fields` fill the report further."""
    reported = OrganisationFactory(name="Rapportkommunen", short_name="Rapportkommunen")
    commitment = CommitmentFactory(
        lead_organisation=reported,
        title="Stöd till barn som har upplevt våld",
        start_year=world["commitment"].start_year,
        end_year=world["commitment"].end_year,
        **({"goals": goals} if goals is not None else {}),
    )
    reporter = UserFactory(username="rapportor", first_name="Rut", last_name="Rapportör")
    membership_grant(user=reporter, organisation=reported, role="coordinator")
    world["submitted"] = ProgressReportFactory(
        commitment=commitment,
        organisation=reported,
        period=world["period"],
        state=ReportState.SUBMITTED,
        submitted_at=timezone.now(),
        submitted_by=reporter,
        **report_fields,
    )
    world["reported_commitment"] = commitment
    return world


# --- e2e persona walks (issue 10): two window sizes, no sideways scrolling, focus kept --------


@dataclasses.dataclass(frozen=True)
class Viewport:
    name: str
    width: int
    height: int

    @property
    def size(self) -> dict[str, int]:
        return {"width": self.width, "height": self.height}

    @property
    def is_narrow(self) -> bool:
        return self.width < 640


# A laptop and a phone (an iPhone 12-15 held upright), the sizes issue 10 names.
VIEWPORTS = (Viewport("1366x900", 1366, 900), Viewport("390x844", 390, 844))

# The page's width against the window's, and the elements that reach past the window's right
# edge, outermost first, unless a scroll container of their own (.table-scroll) holds them.
MEASURE_WIDTH = """
() => {
  const width = window.innerWidth;
  const describe = (element) => {
    let name = element.tagName.toLowerCase();
    if (element.id) name += "#" + element.id;
    const classes = [...element.classList].slice(0, 3);
    if (classes.length) name += "." + classes.join(".");
    return `${name} (right edge ${Math.round(element.getBoundingClientRect().right)} px)`;
  };
  // Inside a container that fits the window and scrolls or clips what is wider.
  const scrollsItself = (element) => {
    for (let parent = element.parentElement; parent; parent = parent.parentElement) {
      if (parent === document.body || parent === document.documentElement) return false;
      const overflow = getComputedStyle(parent).overflowX;
      if (overflow !== "visible" && parent.getBoundingClientRect().right <= width + 0.5) {
        return true;
      }
    }
    return false;
  };
  const wide = [];
  for (const element of document.body.querySelectorAll("*")) {
    if (element.getBoundingClientRect().right > width + 0.5 && !scrollsItself(element)) {
      if (!wide.some((outer) => outer.contains(element))) wide.push(element);
    }
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: width,
    culprits: wide.slice(0, 5).map(describe),
  };
}
"""

# What has the focus, described for a message; null when nothing (or the page itself) has it.
FOCUSED_ELEMENT = """
() => {
  const element = document.activeElement;
  if (!element || element === document.body || element === document.documentElement) {
    return null;
  }
  const box = element.getBoundingClientRect();
  const label = element.getAttribute("aria-label") || element.labels?.[0]?.textContent ||
    element.textContent || "";
  return {
    tag: element.tagName.toLowerCase(),
    id: element.id,
    role: element.getAttribute("role"),
    text: label.trim().replace(/\\s+/g, " ").slice(0, 80),
    visible: box.width > 0 && box.height > 0,
  };
}
"""
