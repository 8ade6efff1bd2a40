"""The admin pages the portal's administrators use, checked with axe like every other page.

Django's admin is the portal's technical administration: its index, and the lists and forms of
organisations, people, memberships, commitments, progress reports and the reminder settings,
pass the same WCAG 2.1 AA check as the portal's own pages (Visit.check), with their scripted
widgets (select2's autocompletes, the many-to-many pickers) built and opened.
"""

import pytest
from playwright.sync_api import expect

from actors.models import Membership
from followup.models import ReminderSettings
from tests.factories import ProgressReportFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed rows; each test starts from the migrated data.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_admin_pages_administrators_use_have_no_accessibility_violations(
    visit, reporting_world
):
    world = reporting_world
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    report = ProgressReportFactory(
        commitment=world["commitment"], organisation=world["organisation"], period=world["period"]
    )
    membership = Membership.objects.get(user=world["coordinator"])
    ReminderSettings.load()
    administrator = visit()
    administrator.login("admin")

    page = administrator.goto("/admin/")
    expect(page.locator("#site-name")).to_have_text("Operation Kvinnofrid – teknisk administration")

    for model, pk in [
        ("actors/organisation", world["organisation"].pk),
        ("actors/user", world["coordinator"].pk),
        ("actors/membership", membership.pk),
        ("actionplan/commitment", world["commitment"].pk),
        ("followup/progressreport", report.pk),
        ("followup/remindersettings", 1),
    ]:
        administrator.goto(f"/admin/{model}/")
        administrator.goto(f"/admin/{model}/{pk}/change/")

    # The widgets that scripts build, open: the pickers, and an autocomplete's dropdown.
    page = administrator.goto(f"/admin/actionplan/commitment/{world['commitment'].pk}/change/")
    expect(page.locator("#id_goals_from")).to_be_visible()  # built by SelectFilter2.js
    page.locator("#id_lead_organisation + .select2").click()
    expect(page.locator(".select2-results__option").first).to_be_visible()
    administrator.check()
    page.keyboard.press("Escape")

    # A new membership row on an organisation, with its autocompletes.
    page = administrator.goto(f"/admin/actors/organisation/{world['organisation'].pk}/change/")
    rows = page.locator("#memberships-group tr.form-row:not(.empty-form)")
    before = rows.count()
    page.locator("#memberships-group .add-row a").click()
    expect(rows).to_have_count(before + 1)
    administrator.check()
