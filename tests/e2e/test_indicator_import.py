"""County staff import the project's CSV sample of indicator values in a real browser: a wrong
file first, then the sample, its preview and the confirmation. Every page is checked with axe
(see conftest)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from actors.models import Membership
from actors.services import membership_grant
from indicators import imports
from indicators.models import IndicatorValue, SurveyAnswer
from tests.factories import OrganisationFactory, UserFactory, make_demo_indicators

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SAMPLE = Path(imports.__file__).parent / "samples" / "indikatorvarden.csv"


@pytest.fixture
def county_staff(transactional_db):
    kansli = OrganisationFactory(name="Kansliet", short_name="Kansli", slug="kansli")
    user = UserFactory(username="kansli", first_name="Karin", last_name="Kansli")
    membership_grant(user=user, organisation=kansli, role=Membership.Role.COUNTY_STAFF)
    return make_demo_indicators()


def test_county_staff_import_the_csv_sample(visit, county_staff, tmp_path):
    staff = visit()
    staff.login("kansli")

    page = staff.goto("/")
    with staff.navigates():
        page.get_by_role("link", name="Indikatorvärden").click()
    staff.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Indikatorvärden")
    with staff.navigates():
        page.get_by_role("link", name="Importera värden").click()
    staff.check()

    # A wrong file first: every error with its line, and nothing saved.
    wrong = tmp_path / "fel.csv"
    wrong.write_text("indikator;år;område;värde\nvalj-att-sluta;2019;0999;många\n")
    page.get_by_label("Fil med indikatorvärden").set_input_files(wrong)
    with staff.navigates():
        page.get_by_role("button", name="Ladda upp och granska").click()
    staff.check()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Filen har 3 fel. Inget har sparats.")
    expect(alert).to_contain_text("Okänd områdeskod: 0999")
    expect(alert).to_contain_text("Värdet är inte ett tal: många.")

    page.get_by_label("Fil med indikatorvärden").set_input_files(SAMPLE)
    with staff.navigates():
        page.get_by_role("button", name="Ladda upp och granska").click()
    staff.check()

    expect(page.get_by_role("heading", level=1)).to_have_text("Granska importen")
    expect(page.get_by_text("16 nya värden")).to_be_visible()
    assert not IndicatorValue.objects.exists()
    with staff.navigates():
        page.get_by_role("button", name="Spara värdena").click()
    staff.check()
    expect(page.get_by_role("status").first).to_contain_text(
        "16 värden har sparats: 16 nya och 0 ändrade."
    )
    assert IndicatorValue.objects.count() == 11
    assert SurveyAnswer.objects.count() == 5

    # The imported values in the year's form, the indicator's form, and a yes/no question's year.
    indicators = county_staff
    page = staff.goto(f"/indikatorer/hantera/{indicators['misshandel-ntu'].pk}/varden/2025/")
    expect(page.get_by_label("Stockholms län, kvinnor")).to_have_value("1,90")
    page.get_by_label("Stockholms län, män").fill("tre")
    with staff.navigates():
        page.get_by_role("button", name="Spara värdena").click()
    staff.check()
    # The error summary links to the field, and the field says it too.
    expect(
        page.get_by_role("alert").get_by_role("link", name="Skriv ett tal, till exempel 12,5.")
    ).to_be_visible()
    expect(page.get_by_text("Skriv ett tal, till exempel 12,5.")).to_have_count(2)
    expect(page.get_by_label("Stockholms län, män")).to_have_value("tre")
    staff.goto(f"/indikatorer/hantera/{indicators['misshandel-ntu'].pk}/")
    page = staff.goto(
        f"/indikatorer/hantera/{indicators['stodsamtal-utan-beslut'].pk}/varden/2025/"
    )
    expect(page.get_by_text("Länets andel 2025: 60,0 procent.")).to_be_visible()
