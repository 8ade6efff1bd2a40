import datetime

import pytest
from django.urls import reverse

from actors.models import Membership
from prize.models import Criterion, Nomination, PrizeCall
from tests.factories import (
    JuryMemberFactory,
    MembershipFactory,
    NominationFactory,
    PrizeCallFactory,
)

pytestmark = pytest.mark.django_db


def _call_data(**extra):
    data = {
        "year": "2027",
        "opens_on": "2027-02-01",
        "closes_on": "2027-03-31",
        "decision_on": "2027-05-20",
        "description": "Nominera!",
        "criteria-TOTAL_FORMS": "5",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
    }
    titles = ["Samverkan", "Långsiktighet", "Resultat", "Återanvändning", ""]
    for index, title in enumerate(titles):
        data[f"criteria-{index}-title"] = title
        data[f"criteria-{index}-description"] = ""
    data.update(extra)
    return data


def test_county_staff_open_a_call_with_the_default_criteria_offered(client, county_staff):
    client.force_login(county_staff)
    page = client.get(reverse("prize:manage-call-create")).content.decode()
    assert "Samverkan mellan organisationer" in page
    assert "Möjligt för andra att använda" in page

    response = client.post(reverse("prize:manage-call-create"), _call_data())

    assert response.status_code == 302
    call = PrizeCall.objects.get(year=2027)
    assert list(call.criteria.values_list("position", "title")) == [
        (1, "Samverkan"),
        (2, "Långsiktighet"),
        (3, "Resultat"),
        (4, "Återanvändning"),
    ]


def test_a_call_that_closes_before_it_opens_is_refused_in_plain_swedish(client, county_staff):
    client.force_login(county_staff)

    response = client.post(
        reverse("prize:manage-call-create"), _call_data(closes_on="2027-01-01", year="2028")
    )

    assert response.status_code == 200
    assert "Sista dag att nominera kan inte komma före öppnandet." in response.content.decode()
    assert not PrizeCall.objects.filter(year=2028).exists()


def test_a_criterion_with_motivations_is_not_deleted(client, county_staff, call):
    client.force_login(county_staff)
    nomination = NominationFactory(call=call)
    criteria = list(call.criteria.all())
    data = {
        "opens_on": str(call.opens_on),
        "closes_on": str(call.closes_on),
        "description": "",
        "criteria-TOTAL_FORMS": str(len(criteria)),
        "criteria-INITIAL_FORMS": str(len(criteria)),
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
    }
    for index, criterion in enumerate(criteria):
        data[f"criteria-{index}-id"] = str(criterion.pk)
        data[f"criteria-{index}-call"] = str(call.pk)
        data[f"criteria-{index}-title"] = criterion.title + " (ändrad)"
        data[f"criteria-{index}-description"] = ""
    data["criteria-0-DELETE"] = "on"

    response = client.post(reverse("prize:manage-call-update", args=[call.year]), data)

    assert response.status_code == 200
    assert "kan inte tas bort" in response.content.decode()
    assert nomination.motivations.count() == 4

    del data["criteria-0-DELETE"]
    response = client.post(reverse("prize:manage-call-update", args=[call.year]), data)
    assert response.status_code == 302
    assert Criterion.objects.filter(call=call, title__endswith="(ändrad)").count() == 4


def test_the_list_shows_submitted_and_unconfirmed_nominations_never_drafts(
    client, county_staff, call
):
    submitted = NominationFactory(call=call, title="Inskickad")
    NominationFactory(call=call, title="Obekräftad", by_visitor=True)
    NominationFactory(call=call, title="Hemligt utkast", draft=True, submitted_at=None)
    client.force_login(county_staff)

    page = client.get(reverse("prize:manage-nomination-list", args=[call.year])).content.decode()

    assert "Inskickad" in page
    assert "Obekräftad" in page
    assert "Hemligt utkast" not in page
    detail = reverse("prize:manage-nomination-detail", args=[submitted.pk])
    assert client.get(detail).status_code == 200


def test_county_staff_hide_a_nomination_with_a_reason_and_show_it_again(client, county_staff, call):
    nomination = NominationFactory(call=call)
    client.force_login(county_staff)
    hide = reverse("prize:manage-nomination-hide", args=[nomination.pk])

    refused = client.post(hide, {"reason": ""})
    assert refused.status_code == 200
    assert "Skriv varför nomineringen döljs för juryn." in refused.content.decode()

    client.post(hide, {"reason": "Namnger en brottsutsatt."})
    nomination.refresh_from_db()
    assert nomination.hidden_by == county_staff
    assert nomination.hidden_reason == "Namnger en brottsutsatt."
    assert not Nomination.objects.for_jury().exists()

    client.post(reverse("prize:manage-nomination-unhide", args=[nomination.pk]))
    nomination.refresh_from_db()
    assert nomination.hidden_at is None
    assert Nomination.objects.for_jury().get() == nomination


def test_a_coordinator_may_not_manage(client, coordinator, call):
    nomination = NominationFactory(call=call)
    client.force_login(coordinator)

    assert client.get(reverse("prize:manage-call-list")).status_code == 403
    assert client.get(reverse("prize:manage-nomination-list", args=[call.year])).status_code == 403
    assert (
        client.post(
            reverse("prize:manage-nomination-hide", args=[nomination.pk]), {"reason": "x"}
        ).status_code
        == 403
    )
    nomination.refresh_from_db()
    assert nomination.hidden_at is None


# --- Never public ------------------------------------------------------------------------------


def _every_nomination_url(nomination, attachment_pk):
    return [
        reverse("prize:nomination-detail", args=[nomination.pk]),
        reverse("prize:nomination-edit", args=[nomination.pk]),
        reverse("prize:my-nominations"),
        reverse("prize:manage-nomination-detail", args=[nomination.pk]),
        reverse("prize:manage-nomination-list", args=[nomination.call.year]),
        reverse("prize:attachment-download", args=[attachment_pk]),
    ]


@pytest.mark.parametrize("state", ["draft", "submitted", "awaiting_confirmation"])
def test_a_visitor_never_sees_a_nomination(client, call, state):
    from tests.factories import AttachmentFactory

    nomination = NominationFactory(
        call=call,
        state=state,
        submitted_at=None if state != "submitted" else datetime.datetime.now(datetime.UTC),
    )
    attachment = AttachmentFactory(nomination=nomination)
    for url in _every_nomination_url(nomination, attachment.pk):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))
    assert (
        nomination.title not in client.get(reverse("prize:nominate", args=[2026])).content.decode()
    )


def test_a_juror_sees_attachments_of_what_the_jury_sees_only(client, call):
    from tests.factories import AttachmentFactory

    juror = JuryMemberFactory(call=call).user
    shown = AttachmentFactory(nomination=NominationFactory(call=call))
    hidden_nomination = NominationFactory(call=call, hidden_reason="x")
    Nomination.objects.filter(pk=hidden_nomination.pk).update(
        hidden_at=datetime.datetime.now(datetime.UTC)
    )
    hidden = AttachmentFactory(nomination=hidden_nomination)
    unconfirmed = AttachmentFactory(nomination=NominationFactory(call=call, by_visitor=True))
    client.force_login(juror)

    assert client.get(reverse("prize:attachment-download", args=[shown.pk])).status_code == 200
    for attachment in (hidden, unconfirmed):
        url = reverse("prize:attachment-download", args=[attachment.pk])
        assert client.get(url).status_code == 404


def test_my_nominations_lists_only_mine(client, coordinator, call):
    NominationFactory(call=call, nominator=coordinator, title="Min")
    NominationFactory(call=call, title="Någon annans")
    MembershipFactory(user=coordinator, role=Membership.Role.COORDINATOR)
    client.force_login(coordinator)

    page = client.get(reverse("prize:my-nominations")).content.decode()

    assert "Min" in page
    assert "Någon annans" not in page


def test_bad_ids_and_years_are_not_found(client, county_staff):
    client.force_login(county_staff)
    PrizeCallFactory(year=2026)
    for url in [
        "/kvinnofridspriset/hantera/1999/",
        "/kvinnofridspriset/hantera/1999/nomineringar/",
        "/kvinnofridspriset/hantera/nomineringar/999999/",
        "/kvinnofridspriset/nomineringar/999999/",
        "/kvinnofridspriset/bilagor/999999/",
        "/kvinnofridspriset/99999999999999999999/nominera/",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.get("/kvinnofridspriset/mina-nomineringar/?page=x").status_code == 200
    assert client.get("/kvinnofridspriset/hantera/2026/nomineringar/?page=-1").status_code == 200


def test_the_default_criteria_kept_as_offered_are_saved(client, county_staff):
    from prize.models import DEFAULT_CRITERIA

    client.force_login(county_staff)
    data = _call_data(**{"criteria-TOTAL_FORMS": "4"})
    for index, (title, text) in enumerate(DEFAULT_CRITERIA):
        data[f"criteria-{index}-title"] = str(title)
        data[f"criteria-{index}-description"] = str(text)

    response = client.post(reverse("prize:manage-call-create"), data)

    assert response.status_code == 302
    assert PrizeCall.objects.get(year=2027).criteria.count() == 4
