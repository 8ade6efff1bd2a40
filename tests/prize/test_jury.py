"""The jury: appointing it, the conflict-of-interest rule, hidden scores and the ranking."""

import pytest
from django.urls import reverse

from actors.models import Membership
from prize import jury
from prize.models import JuryMember, Score
from tests.factories import (
    JuryMemberFactory,
    MembershipFactory,
    NominationFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def botkyrka(db):
    return OrganisationFactory(name="Testkommun Syd", short_name="Syd", slug="syd")


@pytest.fixture
def nominations(call, botkyrka):
    """Two nominations the jury sees (one of them from `botkyrka`) and one hidden from it."""
    return {
        "own": NominationFactory(call=call, organisation=botkyrka, title="Syds arbete"),
        "other": NominationFactory(call=call, title="Annat arbete"),
        "hidden": NominationFactory(
            call=call,
            title="Dold nominering",
            hidden_at="2026-01-01T00:00Z",
            hidden_reason="Namnger privatpersoner.",
        ),
    }


@pytest.fixture
def conflicted_juror(call, botkyrka):
    """A juror who is a member of the organisation behind the `own` nomination."""
    membership = MembershipFactory(organisation=botkyrka, role=Membership.Role.COORDINATOR)
    return JuryMemberFactory(call=call, user=membership.user)


@pytest.fixture
def juror(call):
    return JuryMemberFactory(call=call, user=UserFactory(first_name="Jana", last_name="Jurist"))


def score_all(juror, nomination, value=4):
    jury.scores_save(
        juror=juror,
        nomination=nomination,
        scores={c.pk: (value, "") for c in nomination.call.criteria.all()},
    )


def post_scores(client, call, nomination, value="4", **extra):
    data = {}
    for criterion in call.criteria.all():
        data[f"value_{criterion.pk}"] = value
        data[f"comment_{criterion.pk}"] = "Bra samverkan."
    data.update(extra)
    return client.post(reverse("prize:juror-nomination", args=[call.year, nomination.pk]), data)


# --- The conflict of interest ------------------------------------------------------------------


def test_service_refuses_a_score_from_a_member_of_the_nominated_organisation(
    conflicted_juror, nominations
):
    with pytest.raises(jury.JuryError, match="jävig"):
        score_all(conflicted_juror, nominations["own"])

    assert not Score.objects.exists()


def test_conflicted_juror_may_score_the_other_nominations(conflicted_juror, nominations):
    score_all(conflicted_juror, nominations["other"])

    assert Score.objects.filter(juror=conflicted_juror).count() == 4


def test_service_refuses_hidden_nominations_and_scores_out_of_range(juror, nominations):
    with pytest.raises(jury.JuryError):
        score_all(juror, nominations["hidden"])
    criterion = juror.call.criteria.first()
    with pytest.raises(jury.JuryError):
        jury.scores_save(
            juror=juror, nomination=nominations["other"], scores={criterion.pk: (6, "")}
        )

    assert not Score.objects.exists()


def test_conflicted_juror_is_told_and_cannot_post_a_score(client, conflicted_juror, nominations):
    client.force_login(conflicted_juror.user)
    call = conflicted_juror.call

    page = client.get(reverse("prize:juror-nomination", args=[call.year, nominations["own"].pk]))
    posted = post_scores(client, call, nominations["own"])

    assert "Du är jävig: du kan inte bedöma den här nomineringen." in page.content.decode()
    assert 'name="value_' not in page.content.decode()
    assert posted.status_code == 403
    assert not Score.objects.exists()


def test_the_jury_page_shows_the_conflict_to_county_staff(
    client, county_staff, conflicted_juror, nominations
):
    client.force_login(county_staff)

    response = client.get(reverse("prize:manage-jury", args=[conflicted_juror.call.year]))

    assert "Syds arbete" in response.content.decode()


# --- Scoring -------------------------------------------------------------------------------------


def test_juror_scores_every_criterion_and_sees_what_is_left(client, juror, nominations):
    client.force_login(juror.user)
    call = juror.call

    response = post_scores(client, call, nominations["other"], value="5")
    home = client.get(reverse("prize:juror-home", args=[call.year]))

    assert response.status_code == 302
    assert set(Score.objects.values_list("value", flat=True)) == {5}
    assert "Du har 4 kriterier kvar att bedöma." in home.content.decode()
    assert "Dold nominering" not in home.content.decode()


def test_a_score_form_with_a_missing_criterion_says_so_and_keeps_what_was_typed(
    client, juror, nominations
):
    client.force_login(juror.user)
    call = juror.call
    first = call.criteria.first()

    response = post_scores(client, call, nominations["other"], **{f"value_{first.pk}": ""})

    content = response.content.decode()
    assert response.status_code == 200
    assert "Ge en poäng från 1 till 5." in content
    assert "Bra samverkan." in content
    assert not Score.objects.exists()


def test_nonsense_scores_are_refused_without_error(client, juror, nominations):
    client.force_login(juror.user)

    response = post_scores(client, juror.call, nominations["other"], value="9")

    assert response.status_code == 200
    assert not Score.objects.exists()


def test_a_person_not_on_this_years_jury_is_refused(client, call, nominations, coordinator):
    JuryMemberFactory(call__year=2025, user=coordinator)
    client.force_login(coordinator)

    home = client.get(reverse("prize:juror-home", args=[call.year]))
    page = client.get(reverse("prize:juror-nomination", args=[call.year, nominations["other"].pk]))

    assert home.status_code == 403
    assert page.status_code == 403


def test_juror_gets_404_for_hidden_draft_and_unknown_nominations(client, juror, nominations):
    draft = NominationFactory(call=juror.call, draft=True)
    client.force_login(juror.user)

    for pk in (nominations["hidden"].pk, draft.pk, 999999):
        response = client.get(reverse("prize:juror-nomination", args=[juror.call.year, pk]))
        assert response.status_code == 404


# --- Hidden scores -------------------------------------------------------------------------------


def test_others_scores_are_hidden_until_the_juror_has_scored_everything(
    client, juror, conflicted_juror, nominations
):
    score_all(conflicted_juror, nominations["other"], value=2)
    client.force_login(juror.user)
    url = reverse("prize:juror-nomination", args=[juror.call.year, nominations["other"].pk])

    before = client.get(url).content.decode()
    score_all(juror, nominations["other"])
    still_one_left = client.get(url).content.decode()
    score_all(juror, nominations["own"])
    after = client.get(url).content.decode()

    assert "Poäng och kommentarer från de andra" not in before
    assert "Poäng och kommentarer från de andra" not in still_one_left
    assert "Poäng och kommentarer från de andra" in after
    assert jury.scores_open_to(juror)


def test_nominations_one_may_not_score_do_not_keep_the_scores_hidden(
    juror, conflicted_juror, nominations
):
    score_all(conflicted_juror, nominations["other"])

    assert jury.scores_open_to(conflicted_juror)
    assert not jury.scores_open_to(juror)


def test_the_chair_opens_the_scores_to_every_juror(client, juror, call, nominations):
    chair = JuryMemberFactory(call=call, is_chair=True)
    score_all(chair, nominations["other"], value=3)
    client.force_login(chair.user)

    response = client.post(reverse("prize:juror-open-scores", args=[call.year]))

    juror.call.refresh_from_db()
    assert response.status_code == 302
    assert jury.scores_open_to(juror)
    assert client.get(reverse("prize:ranking", args=[call.year])).status_code == 200


def test_only_the_chair_opens_the_scores(client, juror, call, nominations):
    client.force_login(juror.user)

    response = client.post(reverse("prize:juror-open-scores", args=[call.year]))

    call.refresh_from_db()
    assert response.status_code == 403
    assert call.scores_opened_at is None


def test_a_juror_sees_the_ranking_only_once_the_scores_are_open_to_them(client, juror, nominations):
    client.force_login(juror.user)
    url = reverse("prize:ranking", args=[juror.call.year])

    before = client.get(url)
    score_all(juror, nominations["other"])
    score_all(juror, nominations["own"])
    after = client.get(url)

    assert before.status_code == 403
    assert after.status_code == 200


# --- The ranking ---------------------------------------------------------------------------------


def test_ranking_means_per_criterion_and_overall_with_conflicts_and_hidden_nominations(
    client, county_staff, juror, conflicted_juror, nominations
):
    call = juror.call
    first, second, *rest = call.criteria.all()
    third = JuryMemberFactory(call=call)
    # "other": juror 5,3 on the first two criteria and 4 elsewhere; conflicted juror 2 everywhere;
    # third juror 5 everywhere. "own": juror 4 everywhere; the conflicted juror cannot score it.
    jury.scores_save(
        juror=juror,
        nomination=nominations["other"],
        scores={first.pk: (5, ""), second.pk: (3, ""), **{c.pk: (4, "") for c in rest}},
    )
    score_all(conflicted_juror, nominations["other"], value=2)
    score_all(third, nominations["other"], value=5)
    score_all(juror, nominations["own"], value=4)
    Score.objects.create(
        juror=third, nomination=nominations["hidden"], criterion=first, value=1
    )  # a score from before it was hidden: not counted, the nomination is not ranked

    criteria = list(call.criteria.all())
    nominations_ranked = list(jury.ranking_queryset(call))
    rows = jury.ranking_rows(call, nominations_ranked, criteria)

    by_title = {row.nomination.title: row for row in rows}
    assert list(by_title) == ["Syds arbete", "Annat arbete"]  # 4.0 before 3.67
    other, own = by_title["Annat arbete"], by_title["Syds arbete"]
    assert other.means[0] == pytest.approx(4.0)  # (5 + 2 + 5) / 3
    assert other.means[1] == pytest.approx(10 / 3)  # (3 + 2 + 5) / 3
    assert other.means[2] == pytest.approx(11 / 3)  # (4 + 2 + 5) / 3
    assert other.overall == pytest.approx((12 + 10 + 11 + 11) / 12)
    assert other.jurors_scored == 3
    assert other.conflicted_jurors == []
    assert own.overall == pytest.approx(4.0)
    assert own.jurors_scored == 1
    assert own.conflicted_jurors == [
        conflicted_juror.user.get_full_name() or conflicted_juror.user.username
    ]

    client.force_login(county_staff)
    page = client.get(reverse("prize:ranking", args=[call.year])).content.decode()
    assert "jävig, kan inte bedöma" in page
    assert "Dold nominering" not in page
    assert "3,67" in page or "3.67" in page


# --- Managing the jury ---------------------------------------------------------------------------


def test_county_staff_appoint_a_chair_and_remove_a_juror(client, county_staff, call):
    person, other = UserFactory(), UserFactory()
    client.force_login(county_staff)
    url = reverse("prize:manage-jury", args=[call.year])

    client.post(url, {"user": person.pk, "is_chair": "on"})
    client.post(url, {"user": other.pk})
    second = JuryMember.objects.get(user=other)
    client.post(reverse("prize:manage-jury-chair", args=[call.year, second.pk]))
    first = JuryMember.objects.get(user=person)
    client.post(reverse("prize:manage-jury-remove", args=[call.year, first.pk]))

    assert list(call.jury.values_list("user", "is_chair")) == [(other.pk, True)]


def test_appointing_the_same_person_twice_says_so(client, county_staff, juror):
    client.force_login(county_staff)

    response = client.post(
        reverse("prize:manage-jury", args=[juror.call.year]), {"user": juror.user.pk}
    )

    assert response.status_code == 200
    assert "sitter redan i juryn" in response.content.decode()
    assert juror.call.jury.count() == 1


def test_appointing_nobody_or_an_unknown_id_says_what_is_wrong(client, county_staff, call):
    client.force_login(county_staff)
    url = reverse("prize:manage-jury", args=[call.year])

    empty = client.post(url, {"user": ""})
    unknown = client.post(url, {"user": "not-a-number"})

    assert "Välj en person." in empty.content.decode()
    assert "Välj en person som finns i portalen." in unknown.content.decode()
    assert not call.jury.exists()


def test_jury_of_another_year_is_404_for_removal(client, county_staff, juror):
    client.force_login(county_staff)

    response = client.post(reverse("prize:manage-jury-remove", args=[2019, juror.pk]))

    assert response.status_code == 404
    assert JuryMember.objects.filter(pk=juror.pk).exists()
