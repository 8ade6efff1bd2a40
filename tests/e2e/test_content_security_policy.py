"""The Content-Security-Policy in a real browser: the main pages and the admin break nothing.

`Visit.check` (see conftest) fails on any violation the browser reports, on every page of every
browser test; this module opens the pages the policy matters most for, the admin's included, and
works the admin's scripted widgets, which build parts of the page after it has loaded.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed rows; each test starts from the migrated data.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_main_pages_load_under_the_policy_without_a_violation(visit, reporting_world):
    world = reporting_world
    visitor = visit()

    for path in ["/", "/ataganden/", "/konto/logga-in/", "/admin/login/"]:
        page = visitor.goto(path)
        response = page.request.get(visitor.base_url + path)
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy
        assert "style-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy

    coordinator = visit()
    coordinator.login("samordnare")
    page = coordinator.goto(
        reverse("followup:report-edit", args=[world["commitment"].pk, world["organisation"].slug])
    )
    expect(page.get_by_role("button", name="Spara utkast")).to_be_visible()


def test_the_admin_pages_and_their_widgets_work_under_the_policy(visit, reporting_world):
    # Checked with axe too, like every page (tests/e2e/test_admin_accessibility.py).
    world = reporting_world
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    administrator = visit()
    administrator.login("admin")

    # The change list, with its filters and search.
    page = administrator.goto("/admin/actionplan/commitment/")
    with administrator.navigates():
        page.get_by_role("link", name="Testkommunen").first.click()
    administrator.check()
    expect(page.locator("#changelist-filter")).to_be_visible()

    # A change form with many-to-many pickers (filter_horizontal) and autocompletes.
    commitment = world["commitment"]
    page = administrator.goto(f"/admin/actionplan/commitment/{commitment.pk}/change/")
    expect(page.locator("#id_goals_from")).to_be_visible()  # built by SelectFilter2.js
    page.locator("#id_lead_organisation + .select2").click()
    expect(page.locator(".select2-results__option").first).to_be_visible()  # loaded over fetch
    page.keyboard.press("Escape")
    administrator.check()

    # A change form with an inline: add a row, as the admin's inlines.js does.
    organisation = world["organisation"]
    page = administrator.goto(f"/admin/actors/organisation/{organisation.pk}/change/")
    rows = page.locator("#memberships-group tr.form-row:not(.empty-form)")
    before = rows.count()
    page.locator("#memberships-group .add-row a").click()
    expect(rows).to_have_count(before + 1)
    administrator.check()

    # An add form with date pickers (DateTimeShortcuts.js), its calendar opened.
    page = administrator.goto("/admin/followup/reportingperiod/add/")
    page.locator("#calendarlink0").click()
    expect(page.locator("#calendarbox0")).to_be_visible()
    administrator.check()

    # A delete confirmation, with everything that would go with the organisation.
    administrator.goto(f"/admin/actors/organisation/{organisation.pk}/delete/")

    # The history of a commitment (django-simple-history's page, overridden without its style).
    administrator.goto(f"/admin/actionplan/commitment/{commitment.pk}/history/")


def test_a_violation_is_caught_by_the_check(visit, transactional_db):
    """The check above can fail: an inline style on a page is reported as a violation."""
    visitor = visit()
    page = visitor.goto("/ataganden/")

    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.wait_for_function("window.__cspViolations.length > 0")

    with pytest.raises(AssertionError, match="Content-Security-Policy violations"):
        visitor.check()
    page.evaluate("window.__cspViolations = []")
    visitor.check()
