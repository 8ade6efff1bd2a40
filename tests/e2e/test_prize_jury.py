"""Kvinnofridspriset in a real browser: county staff appoint the jury, two jurors score (one of
them from the nominated organisation, who is told they cannot score it), county staff read the
ranking, decide and publish, and a visitor reads the winner. Every page is checked with axe."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from actors.services import membership_grant
from prize.models import Score
from tests.factories import NominationFactory, OrganisationFactory, PrizeCallFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MOTIVATION = (
    "Juryn belönar ett arbete där skola, socialtjänst och polis tillsammans når unga i tid."
)


@pytest.fixture
def prize_world(transactional_db):
    call = PrizeCallFactory(year=2026)
    home = OrganisationFactory(name="Testkommunen", short_name="Testkommunen", slug="testkommunen")
    other = OrganisationFactory(name="Grannkommunen", short_name="Grannkommunen", slug="grann")
    coordinator = UserFactory(username="samordnare", first_name="Sara", last_name="Samordnare")
    membership_grant(user=coordinator, organisation=home, role="coordinator")
    UserFactory(username="jurist", first_name="Jana", last_name="Jurist")
    county = OrganisationFactory(name="Storsthlm (test)", short_name="Storsthlm test", slug="st")
    staff = UserFactory(username="kansli", first_name="Karin", last_name="Kansli")
    membership_grant(user=staff, organisation=county, role="county_staff")
    own = NominationFactory(
        call=call, organisation=home, title="Våldsprevention i skolan", unit_name="Skolenheten"
    )
    winner = NominationFactory(
        call=call,
        organisation=other,
        title="Samverkan mot våld bland unga",
        unit_name="Förebyggande enheten",
        contact_name="Kim Kontakt",
        contact_email="kontakt@example.org",
        contact_consent_at="2026-01-01T00:00Z",
    )
    return {"call": call, "own": own, "winner": winner}


def score_every_criterion(visit, call, value: str) -> None:
    page = visit.page
    for criterion in call.criteria.all():
        group = page.get_by_role("group", name=criterion.title)
        group.get_by_label(value, exact=True).check()
        group.get_by_label("Kommentar").fill(f"Poäng {value} för {criterion.title}.")
    with visit.navigates():
        page.get_by_role("button", name="Spara poängen").click()
    visit.check()
    expect(page.get_by_text("Dina poäng är sparade.")).to_be_visible()


def test_jury_scores_county_staff_decide_and_publish_a_visitor_reads_the_winner(visit, prize_world):
    call, own, winner = prize_world["call"], prize_world["own"], prize_world["winner"]

    # --- County staff appoint the jury: Jana chairs it, Sara is from a nominated municipality -
    staff = visit()
    staff.login("kansli")
    page = staff.goto("/kvinnofridspriset/hantera/2026/jury/")
    for name, chair in (("Jana Jurist", True), ("Sara Samordnare", False)):
        page.get_by_label("Person").select_option(label=name)
        if chair:
            page.get_by_label("Ordförande").check()
        with staff.navigates():
            page.get_by_role("button", name="Utse", exact=True).click()
        staff.check()
    expect(page.get_by_role("row").filter(has_text="Sara Samordnare")).to_contain_text(
        "Våldsprevention i skolan"
    )

    # --- The conflicted juror is told, and scores only the other nomination -----------------
    sara = visit()
    sara.login("samordnare")
    page = sara.goto("/kvinnofridspriset/2026/jury/")
    expect(page.get_by_role("row").filter(has_text=own.title)).to_contain_text("Jävig")
    with sara.navigates():
        page.get_by_role("link", name=own.title).click()
    sara.check()
    expect(
        page.get_by_text("Du är jävig: du kan inte bedöma den här nomineringen.")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Spara poängen")).to_have_count(0)
    page = sara.goto(f"/kvinnofridspriset/2026/jury/{winner.pk}/")
    # The others' scores are hidden until she has scored all she may.
    expect(page.get_by_text("De andras poäng visas när du har bedömt")).to_be_visible()
    score_every_criterion(sara, call, "4")

    # --- The other juror scores both -------------------------------------------------------
    jana = visit()
    jana.login("jurist")
    page = jana.goto(f"/kvinnofridspriset/2026/jury/{own.pk}/")
    score_every_criterion(jana, call, "3")
    page = jana.goto(f"/kvinnofridspriset/2026/jury/{winner.pk}/")
    expect(page.get_by_text("De andras poäng visas när du har bedömt")).to_be_visible()
    score_every_criterion(jana, call, "5")
    page = jana.goto(f"/kvinnofridspriset/2026/jury/{winner.pk}/")
    expect(page.get_by_role("table", name="Poäng och kommentarer från de andra")).to_contain_text(
        "Sara Samordnare"
    )
    assert Score.objects.filter(nomination=own).count() == 4

    # --- County staff read the ranking, decide and publish ---------------------------------
    page = staff.goto("/kvinnofridspriset/hantera/2026/rangordning/")
    winner_row = page.get_by_role("row").filter(has_text=winner.title)
    expect(winner_row).to_contain_text("4,50")
    own_row = page.get_by_role("row").filter(has_text=own.title)
    expect(own_row).to_contain_text("Sara Samordnare: jävig, kan inte bedöma")
    page = staff.goto("/kvinnofridspriset/hantera/2026/beslut/")
    page.get_by_label("Pristagare").select_option(
        label=f"{winner.title} ({winner.unit_name}, Grannkommunen)"
    )
    page.get_by_label("Juryns motivering").fill(MOTIVATION)
    with staff.navigates():
        page.get_by_role("button", name="Välj som pristagare").click()
    staff.check()
    with staff.navigates():
        page.get_by_label("Jag bekräftar att beslutet ska publiceras").check()
        page.get_by_role("button", name="Publicera beslutet").click()
    staff.check()
    expect(page).to_have_url(re.compile(r"/kvinnofridspriset/2026/$"))
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted(["kontakt@example.org", winner.nominator.email])

    # --- Gör till gott exempel: one step to a proposed entry of the library ----------------
    page = staff.goto("/kvinnofridspriset/hantera/2026/beslut/")
    with staff.navigates():
        page.get_by_role("button", name="Gör Förebyggande enheten till gott exempel").click()
    staff.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(winner.title)

    # --- A visitor reads the winner, and nothing of the nominations ------------------------
    visitor = visit()
    page = visitor.goto("/")
    with visitor.navigates():
        page.get_by_role("navigation", name="Huvudmeny").get_by_role(
            "link", name="Kvinnofridspriset"
        ).click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kvinnofridspriset")
    expect(page.get_by_text(MOTIVATION)).to_be_visible()
    expect(page.get_by_text("Socialtjänstens enhet för förebyggande arbete")).to_be_visible()
    expect(page.get_by_text(own.title)).to_have_count(0)
    expect(page.get_by_text(winner.title)).to_have_count(0)
    with visitor.navigates():
        page.get_by_role("link", name="Kvinnofridspriset 2026").click()
    visitor.check()
    expect(page.get_by_role("heading", level=3)).to_have_text("Förebyggande enheten")
