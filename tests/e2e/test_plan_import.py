"""An administrator creates an action plan and imports its commitments from the template, in a
real browser. Every page is checked with axe (see conftest)."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from actionplan.models import ActionPlan, Commitment
from actors.models import Organisation
from tests.factories import CommitmentFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def admin_world(transactional_db):
    UserFactory(
        username="admin", first_name="Ada", last_name="Admin", is_staff=True, is_superuser=True
    )
    return CommitmentFactory(
        plan=ActionPlan.objects.get(slug="handlingsplan-2024-2027"),
        code="2.3",
        title="Utbilda socialtjänsten om våld i nära relation",
        lead_organisation=Organisation.objects.get(short_name="Polisen"),
    )


def test_an_administrator_imports_commitments_from_the_template(visit, admin_world, tmp_path):
    predecessor = admin_world
    admin = visit()
    admin.login("admin")

    # --- From the administration to a new plan ----------------------------------------------
    page = admin.goto("/administration/")
    with admin.navigates():
        page.get_by_role("link", name="Handlingsplaner").click()
    admin.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Handlingsplaner")
    page.get_by_label("Titel:", exact=True).fill("Handlingsplan 2028–2030")
    page.get_by_label("Från år").fill("2028")
    page.get_by_label("Till och med år").fill("2030")
    with admin.navigates():
        page.get_by_role("button", name="Skapa handlingsplanen").click()
    admin.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Handlingsplan 2028–2030")
    expect(page.get_by_text("Planen har inga åtaganden ännu.")).to_be_visible()

    with admin.navigates():
        page.get_by_role("link", name="Importera åtaganden från en fil").click()
    admin.check()

    # --- The template, filled in ------------------------------------------------------------
    with page.expect_download() as download:
        page.get_by_role("link", name="Hämta mallen som XLSX").click()
    workbook = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    assert header[:2] == ["Nummer", "Titel"]
    column = {name: index + 1 for index, name in enumerate(header)}
    sheet.cell(2, column["Föregångare"], "2.3")
    sheet.cell(2, column["Förhållande"], "ersätter")
    sheet.append(
        {
            column["Nummer"]: "1.2",
            column["Titel"]: "=Skyddat boende för unga",
            column["Mål"]: "4",
            column["Ansvarig organisation"]: "region stockholm",
            column["Medverkande organisationer"]: "Huddinge; Botkyrka",
        }
    )
    filled = tmp_path / "åtaganden.xlsx"
    workbook.save(filled)

    # A wrong file first: the errors, with their lines, and nothing saved.
    wrong = tmp_path / "fel.csv"
    wrong.write_text("Nummer;Titel;Mål;Ansvarig organisation\n1.1;;9;Okända verket\n")
    page.get_by_label("Fil med åtaganden").set_input_files(wrong)
    with admin.navigates():
        page.get_by_role("button", name="Ladda upp och granska").click()
    admin.check()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Filen har 3 fel. Inget har sparats.")
    expect(alert).to_contain_text("Okänd organisation: Okända verket.")

    page.get_by_label("Fil med åtaganden").set_input_files(filled)
    with admin.navigates():
        page.get_by_role("button", name="Ladda upp och granska").click()
    admin.check()

    # --- The preview, then the confirmation ---------------------------------------------------
    expect(page.get_by_role("heading", level=1)).to_have_text("Granska importen")
    expect(page.get_by_text("skapar 2 nya åtaganden")).to_be_visible()
    expect(page.get_by_role("cell", name="=Skyddat boende för unga")).to_be_visible()
    assert not Commitment.objects.filter(plan__slug="handlingsplan-2028-2030").exists()
    with admin.navigates():
        page.get_by_role("button", name="Spara åtagandena").click()
    admin.check()
    expect(page.get_by_role("status").first).to_contain_text(
        "2 åtaganden har sparats i Handlingsplan 2028–2030."
    )
    expect(page.get_by_role("link", name="=Skyddat boende för unga")).to_be_visible()

    # --- The new commitment's line across the plans -----------------------------------------
    with admin.navigates():
        page.get_by_role("link", name="Utbilda socialtjänsten om våld i nära relation").click()
    admin.check()
    lineage = page.locator("ol.lineage li")
    expect(lineage).to_have_count(2)
    expect(lineage.nth(0)).to_contain_text("Handlingsplan 2024–2027")
    expect(lineage.nth(1)).to_contain_text("ersätter föregångaren")
    new = Commitment.objects.get(plan__slug="handlingsplan-2028-2030", code="1.1")
    assert new.predecessor_id == predecessor.pk

    # --- The old one is closed as completed, from its plan's page --------------------------------
    page = admin.goto(f"/administration/handlingsplaner/{predecessor.plan_id}/")
    page.get_by_label("Avsluta 2.3 som").select_option(label="Avslutat")
    with admin.navigates():
        page.get_by_role("button", name="Avsluta 2.3").click()
    admin.check()
    predecessor.refresh_from_db()
    assert predecessor.state == Commitment.State.COMPLETED
