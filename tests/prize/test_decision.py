"""The decision, its e-mails, and the public winners' pages (winners only, never a nomination)."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from prize import jury
from prize.models import PrizeCall
from tests.factories import AwardFactory, NominationFactory, PrizeCallFactory, UserFactory

pytestmark = pytest.mark.django_db

MOTIVATION = "Juryn lyfter ett långsiktigt arbete där flera verksamheter möts kring de unga."


@pytest.fixture
def winner(call):
    return NominationFactory(
        call=call,
        title="Vinnande nominering",
        unit_name="Vinnarenheten",
        summary="Nominatorns egen sammanfattning som aldrig får publiceras på portalen.",
        contact_name="Kim Kontakt",
        contact_email="kontakt@example.org",
        contact_consent_at="2026-01-01T00:00Z",
        nominator=UserFactory(email="nominator@example.org"),
    )


@pytest.fixture
def loser(call):
    return NominationFactory(call=call, title="Nominering som inte vann", unit_name="Annan enhet")


def decide(client, call, nomination, motivation=MOTIVATION):
    return client.post(
        reverse("prize:decision", args=[call.year]),
        {"nomination": nomination.pk, "motivation": motivation},
    )


def test_county_staff_decide_publish_and_the_winner_and_nominator_are_emailed(
    client, county_staff, call, winner, loser, django_capture_on_commit_callbacks
):
    client.force_login(county_staff)

    decided = decide(client, call, winner)
    with django_capture_on_commit_callbacks(execute=True):
        published = client.post(
            reverse("prize:decision-publish", args=[call.year]), {"confirm": "1"}
        )

    call.refresh_from_db()
    award = call.awards.get()
    assert decided.status_code == 302 and published.status_code == 302
    assert (award.nomination, award.organisation, award.unit_name) == (
        winner,
        winner.organisation,
        "Vinnarenheten",
    )
    assert call.decided_at and call.published_at and award.published_at
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "kontakt@example.org",
        "nominator@example.org",
    ]
    assert MOTIVATION in mail.outbox[0].body


def test_a_call_may_have_several_winners(county_staff, call, winner, loser):
    jury.award_decide(call=call, nomination=winner, motivation=MOTIVATION)
    jury.award_decide(call=call, nomination=loser, motivation="En annan motivering av juryn.")

    assert call.awards.count() == 2


def test_the_motivation_is_written_fresh_not_copied_from_the_nomination(
    client, county_staff, call, winner
):
    client.force_login(county_staff)

    response = decide(client, call, winner, motivation=f"Så här: {winner.summary}")

    assert response.status_code == 200
    assert "Skriv juryns egen motivering" in response.content.decode()
    assert not call.awards.exists()
    with pytest.raises(jury.JuryError):
        jury.award_decide(call=call, nomination=winner, motivation=winner.summary)


def test_an_empty_or_unknown_decision_says_what_is_wrong(client, county_staff, call, winner):
    hidden = NominationFactory(call=call, hidden_at="2026-01-01T00:00Z", hidden_reason="Skäl.")
    client.force_login(county_staff)

    empty = client.post(reverse("prize:decision", args=[call.year]), {})
    unknown = decide(client, call, hidden)

    assert "Välj den nominering som vinner." in empty.content.decode()
    assert "Skriv juryns motivering." in empty.content.decode()
    assert "Välj en av nomineringarna som juryn bedömer." in unknown.content.decode()
    assert not call.awards.exists()


def test_publishing_without_a_winner_is_refused(client, county_staff, call):
    client.force_login(county_staff)

    response = client.post(
        reverse("prize:decision-publish", args=[call.year]), {"confirm": "1"}, follow=True
    )

    call.refresh_from_db()
    assert "Välj minst en pristagare" in response.content.decode()
    assert call.published_at is None


def test_withdrawing_the_last_winner_undecides_the_call(client, county_staff, call, winner):
    award = jury.award_decide(call=call, nomination=winner, motivation=MOTIVATION)
    client.force_login(county_staff)

    client.post(reverse("prize:award-withdraw", args=[call.year, award.pk]))

    call.refresh_from_db()
    assert not call.awards.exists()
    assert call.decided_at is None


def test_scores_cannot_change_once_decided(call, winner, loser):
    juror = jury.jury_member_appoint(call=call, user=UserFactory())
    jury.award_decide(call=call, nomination=winner, motivation=MOTIVATION)

    with pytest.raises(jury.JuryError):
        jury.scores_save(juror=juror, nomination=loser, scores={call.criteria.first().pk: (3, "")})


# --- The public pages ----------------------------------------------------------------------------


def test_the_shipped_2018_winner_is_public(client):
    response = client.get(reverse("prize:winners"))
    year = client.get(reverse("prize:winners-year", args=[2018]))

    for content in (response.content.decode(), year.content.decode()):
        assert "Kvinnofridspriset 2018" in content
        assert "Botkyrka kommun" in content
        assert "Socialtjänstens enhet för förebyggande arbete" in content
        assert "Mentors in Violence Prevention (MVP)" in content
    assert PrizeCall.objects.get(year=2018).awards.get().nomination is None


def test_public_pages_show_published_winners_and_never_a_nomination(client, call, winner, loser):
    NominationFactory(call=call, draft=True, title="Ett utkast")
    jury.award_decide(call=call, nomination=winner, motivation=MOTIVATION)
    unpublished = client.get(reverse("prize:winners")).content.decode()
    unpublished_year = client.get(reverse("prize:winners-year", args=[call.year]))
    jury.award_publish(call=call)

    published = client.get(reverse("prize:winners")).content.decode()
    year = client.get(reverse("prize:winners-year", args=[call.year])).content.decode()

    assert MOTIVATION not in unpublished
    assert unpublished_year.status_code == 404
    for content in (published, year):
        assert MOTIVATION in content
        assert "Vinnarenheten" in content
        for secret in (
            "Nominering som inte vann",
            "Annan enhet",
            "Ett utkast",
            "Vinnande nominering",
            winner.summary,
            "kontakt@example.org",
        ):
            assert secret not in content


def test_an_award_of_an_unpublished_call_is_never_shown(client):
    other = PrizeCallFactory(year=2025)
    AwardFactory(call=other, motivation="Ett beslut som ännu inte är publicerat.")

    assert "Ett beslut som ännu inte" not in client.get(reverse("prize:winners")).content.decode()
    assert client.get(reverse("prize:winners-year", args=[2025])).status_code == 404
    assert client.get(reverse("prize:winners-year", args=[1900])).status_code == 404


def test_the_public_page_leads_a_juror_to_the_jury(client, call):
    person = UserFactory()
    jury.jury_member_appoint(call=call, user=person)
    client.force_login(person)

    response = client.get(reverse("prize:winners"))

    assert reverse("prize:juror-home", args=[call.year]) in response.content.decode()


def test_the_public_page_invites_everyone_to_nominate_while_a_call_is_open(client):
    today = datetime.date.today()
    open_call = PrizeCallFactory(year=today.year + 1, opens_on=today, closes_on=today)
    PrizeCallFactory(
        year=today.year + 2,
        opens_on=today + datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=30),
    )

    page = client.get(reverse("prize:winners")).content.decode()

    assert reverse("prize:nominate", args=[open_call.year]) in page
    assert reverse("prize:nominate", args=[today.year + 2]) not in page


def test_junk_addresses_and_parameters_answer_404_or_are_ignored(client, county_staff, call):
    huge = "9" * 30
    assert client.get(f"/kvinnofridspriset/{huge}/").status_code == 404
    assert client.get("/kvinnofridspriset/?page=-1").status_code == 200
    assert client.get("/kvinnofridspriset/?page=x%00").status_code == 200
    client.force_login(county_staff)
    assert client.get(f"/kvinnofridspriset/hantera/{huge}/rangordning/").status_code == 404
    assert client.get(f"/kvinnofridspriset/hantera/{huge}/jury/").status_code == 404
    assert client.get("/kvinnofridspriset/hantera/2026/rangordning/?page=zz").status_code == 200
    response = client.post(f"/kvinnofridspriset/hantera/2026/jury/{huge}/ta-bort/")
    assert response.status_code == 404
    response = client.post(f"/kvinnofridspriset/hantera/2026/beslut/{huge}/ta-bort/")
    assert response.status_code == 404


# --- The good-practice library ------------------------------------------------------------------


def test_the_2018_winner_links_to_the_shipped_mvp_and_taget_entries(client):
    content = client.get(reverse("prize:winners-year", args=[2018])).content.decode()

    assert reverse("practices:practice-detail", args=["mentors-in-violence-prevention-mvp"]) in (
        content
    )
    assert reverse("practices:practice-detail", args=["taget"]) in content


def test_a_winning_nomination_becomes_a_proposed_entry_in_one_step(
    client, county_staff, call, winner
):
    from practices.models import Practice

    award = jury.award_decide(call=call, nomination=winner, motivation=MOTIVATION)
    jury.award_publish(call=call)
    client.force_login(county_staff)
    url = reverse("prize:award-practice", args=[call.year, award.pk])

    response = client.post(url)
    again = client.post(url, follow=True)

    practice = award.practices.get()
    assert response.status_code == 302
    assert response["Location"] == practice.get_absolute_url()
    assert practice.state == Practice.State.PROPOSED
    assert (practice.title, practice.what_is_done) == (winner.title, winner.summary)
    assert practice.proposing_organisation == winner.organisation
    assert "Pristagaren har redan ett gott exempel." in again.content.decode()
    assert award.practices.count() == 1
    # Not public until county staff approve it in the library.
    public = client.get(reverse("prize:winners-year", args=[call.year])).content.decode()
    assert practice.get_absolute_url() not in public


def test_a_winner_from_before_the_portal_has_no_nomination_to_make_an_entry_of(county_staff):
    award = PrizeCall.objects.get(year=2018).awards.get()

    with pytest.raises(jury.JuryError):
        jury.award_make_practice(award=award, user=county_staff)


def test_the_prize_page_links_to_the_open_calls_nomination_form(client, call, winner):
    nominate = reverse("prize:nominate", args=[call.year])

    assert nominate in client.get(reverse("prize:winners")).content.decode()

    jury.award_decide(call=call, nomination=winner, motivation=MOTIVATION)
    assert nominate not in client.get(reverse("prize:winners")).content.decode()


def test_the_prize_page_links_signed_in_people_to_their_nominations(client, coordinator):
    mine = reverse("prize:my-nominations")
    assert mine not in client.get(reverse("prize:winners")).content.decode()

    client.force_login(coordinator)
    assert mine in client.get(reverse("prize:winners")).content.decode()


def test_publishing_needs_a_confirmation(client, county_staff, call, winner):
    client.force_login(county_staff)
    jury.award_decide(call=call, nomination=winner, motivation=MOTIVATION)

    response = client.post(reverse("prize:decision-publish", args=[call.year]), follow=True)

    assert "Kryssa i rutan för att bekräfta publiceringen." in response.content.decode()
    call.refresh_from_db()
    assert call.published_at is None
    assert not mail.outbox
