"""The main pages on a phone (390 × 844) and a laptop (1366 × 900), with the demo data: no page
scrolls sideways, axe finds nothing, and on the phone the header collapses behind "Meny".

Every page the tests load is checked with axe for WCAG 2.1 A/AA violations (see conftest).
"""

import io
import re

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from playwright.sync_api import expect

from actionplan.models import Commitment
from followup.models import ProgressReport, ReportingPeriod, ReportState

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed rows; each test starts from the migrated data.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DEMO_PASSWORD = "demo-kvinnofrid-2026"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}
# The header before the menu is opened: the service name and the "Meny" button, well under the
# 250 px the old header took on a phone.
PHONE_HEADER_MAX_PX = 200


@pytest.fixture
def demo():
    with override_settings(DEBUG=True):  # seed_demo runs on development machines only
        call_command("seed_demo", stdout=io.StringIO())
    return ReportingPeriod.objects.order_by("-year").first()


def coordinator_pages(period: ReportingPeriod) -> list[str]:
    commitment = Commitment.objects.filter(lead_organisation__slug="huddinge").order_by("code")[0]
    return [
        reverse("followup:my-tasks"),
        reverse("followup:report-edit", args=[commitment.pk, "huddinge"]),
        reverse("followup:commitment-detail", args=[commitment.pk]),
        reverse("followup:my-follows"),
        reverse("actionplan:commitment-list"),
        reverse("indicators:goal-detail", args=[1]),
        reverse("practices:practice-list"),
        reverse("prize:winners"),
    ]


def county_staff_pages(period: ReportingPeriod) -> list[str]:
    submitted = ProgressReport.objects.filter(state=ReportState.SUBMITTED, period=period).first()
    return [
        reverse("followup:dashboard"),
        reverse("followup:my-tasks"),
        reverse("followup:period-list"),
        reverse("followup:period-overview", args=[period.year]),
        reverse("followup:review-queue"),
        reverse("followup:report-detail", args=[submitted.pk]),
        reverse("indicators:goal-detail", args=[1]),
        reverse("practices:practice-list"),
        reverse("prize:manage-call-list"),
        reverse("countyreport:report-detail", args=[period.year]),
        reverse("indicators:manage-list"),
        reverse("indicators:manage-import"),
    ]


def assert_no_page_scrolls_sideways(visit, pages: list[str]) -> None:
    for viewport in (PHONE, LAPTOP):
        visit.page.set_viewport_size(viewport)
        for path in pages:
            page = visit.goto(path)  # and axe checks it at this size
            widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert widths[0] <= widths[1], f"{path} at {viewport['width']} px: {widths}"


@pytest.mark.parametrize(
    "username,pages",
    [("samordnare.huddinge", coordinator_pages), ("kansli", county_staff_pages)],
)
def test_the_main_pages_fit_a_phone_and_a_laptop_without_sideways_scrolling(
    visit, demo, username, pages
):
    person = visit()
    person.login(username, DEMO_PASSWORD)

    assert_no_page_scrolls_sideways(person, pages(demo))


def test_on_a_phone_the_header_collapses_behind_the_menu_button(visit, demo):
    person = visit()
    person.page.set_viewport_size(PHONE)
    person.login("kansli", DEMO_PASSWORD)
    page = person.goto(reverse("followup:my-tasks"))
    menu = page.get_by_role("button", name="Meny")
    navigation = page.locator("#navigation")

    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(navigation).to_be_hidden()
    assert page.locator("header").bounding_box()["height"] < PHONE_HEADER_MAX_PX

    menu.click()

    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(navigation.get_by_role("link", name="Granskning")).to_be_visible()
    expect(menu).to_be_focused()
    person.check()  # the open menu passes axe too
    with person.navigates():
        navigation.get_by_role("link", name="Granskning").click()
    person.check()
    assert page.url.endswith(reverse("followup:review-queue"))
    # The queue's table is too wide for a phone: its rows become cards, each cell labelled.
    queue = page.locator("main table")
    expect(queue).to_have_class(re.compile(r"\bkf-stacked\b"))
    expect(queue.locator("td").first).to_have_attribute("data-label", re.compile(r"\w"))
    expect(queue.get_by_role("row").nth(1)).to_be_visible()  # still rows to a screen reader


def test_on_a_laptop_the_navigation_shows_without_a_menu_button(visit, demo):
    person = visit()
    person.page.set_viewport_size(LAPTOP)
    person.login("samordnare.huddinge", DEMO_PASSWORD)
    page = person.page

    expect(page.get_by_role("button", name="Meny")).to_be_hidden()
    expect(page.locator("#navigation").get_by_role("link", name="Mina uppgifter")).to_be_visible()
