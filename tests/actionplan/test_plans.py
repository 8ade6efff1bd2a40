"""The administrators' action plan pages, closing a commitment, and the line of a commitment
across the plans."""

import pytest
from django.urls import reverse

from actionplan.models import ActionPlan, Commitment, commitment_lineage
from actionplan.services import CommitmentData, commitments_import
from tests.factories import ActionPlanFactory, CommitmentFactory, UserFactory
from tests.test_robustness import JUNK

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


def test_the_administration_start_page_leads_to_the_plans(admin_client):
    response = admin_client.get(reverse("actors:administration"))

    assert reverse("actionplan:plan-list") in response.content.decode()


def test_the_plan_list_shows_every_plan_with_its_number_of_commitments(admin_client):
    CommitmentFactory()
    CommitmentFactory()

    response = admin_client.get(reverse("actionplan:plan-list"))

    counts = {plan.slug: plan.commitment_count for plan in response.context["plans"]}
    assert counts == {"handlingsplan-2024-2027": 2, "handlingsplan-2020-2022": 0}


def test_an_administrator_creates_a_plan_and_its_slug_follows_the_title(admin_client):
    strategy = ActionPlan.objects.first().strategy

    response = admin_client.post(
        reverse("actionplan:plan-list"),
        {
            "strategy": strategy.pk,
            "title": "Handlingsplan 2028–2030",
            "slug": "",
            "start_year": "2028",
            "end_year": "2030",
        },
    )

    plan = ActionPlan.objects.get(title="Handlingsplan 2028–2030")
    assert response.status_code == 302
    assert response["Location"] == reverse("actionplan:plan-detail", args=[plan.pk])
    assert (plan.slug, plan.start_year, plan.end_year) == ("handlingsplan-2028-2030", 2028, 2030)


@pytest.mark.parametrize(
    "change,field,message",
    [
        ({"start_year": "2031"}, None, "Startåret får inte ligga efter slutåret."),
        ({"start_year": "tjugo"}, "start_year", "Skriv ett år med fyra siffror."),
        ({"end_year": "99999"}, "end_year", "Skriv ett år med fyra siffror, till och med 2100."),
        ({"title": ""}, "title", "Skriv planens titel."),
        ({"title": "Handlingsplan 2024–2027"}, "title", "finns redan"),
        ({"slug": "handlingsplan-2020-2022"}, "slug", "finns redan"),
    ],
)
def test_a_wrong_plan_is_refused_in_swedish_and_what_was_typed_is_kept(
    admin_client, change, field, message
):
    data = {
        "strategy": ActionPlan.objects.first().strategy_id,
        "title": "Ny plan",
        "slug": "",
        "start_year": "2028",
        "end_year": "2030",
    } | change
    before = ActionPlan.objects.count()

    response = admin_client.post(reverse("actionplan:plan-list"), data)

    assert response.status_code == 200
    form = response.context["form"]
    errors = form.non_field_errors() if field is None else form.errors[field]
    assert message in " ".join(errors)
    for name, value in data.items():
        if value:
            assert f'value="{value}"' in response.content.decode() or name == "strategy"
    assert ActionPlan.objects.count() == before


@pytest.mark.parametrize("junk", JUNK)
def test_the_plan_form_and_closing_answer_junk_without_a_server_error(admin_client, junk):
    commitment = CommitmentFactory()
    for field in ("strategy", "title", "slug", "start_year", "end_year"):
        response = admin_client.post(reverse("actionplan:plan-list"), {field: junk})
        assert response.status_code == 200
    response = admin_client.post(
        reverse("actionplan:commitment-close", args=[commitment.pk]), {"state": junk}
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.state == Commitment.State.ACTIVE


def test_a_plans_page_lists_its_commitments_a_page_at_a_time(admin_client):
    plan = ActionPlanFactory(start_year=2028, end_year=2030)
    for number in range(55):
        CommitmentFactory(plan=plan, code=f"{number:02d}")
    CommitmentFactory(code="annan-plan")
    url = reverse("actionplan:plan-detail", args=[plan.pk])

    first = admin_client.get(url)
    second = admin_client.get(url, {"page": 2})

    assert [c.code for c in first.context["object_list"]][:2] == ["00", "01"]
    assert len(first.context["object_list"]) == 50
    assert [c.code for c in second.context["object_list"]] == [f"{n}" for n in range(50, 55)]
    assert admin_client.get(url, {"page": 9}).status_code == 404
    assert admin_client.get(reverse("actionplan:plan-detail", args=[999999])).status_code == 404


@pytest.mark.parametrize("state", ["completed", "cancelled"])
def test_an_administrator_closes_a_commitment_as_completed_or_dropped(admin_client, state):
    commitment = CommitmentFactory()

    response = admin_client.post(
        reverse("actionplan:commitment-close", args=[commitment.pk]), {"state": state}
    )

    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.state == state
    assert commitment.history.first().history_user.username == "admin"
    # Closed is closed: it is not closed again the other way.
    other = "cancelled" if state == "completed" else "completed"
    admin_client.post(
        reverse("actionplan:commitment-close", args=[commitment.pk]), {"state": other}
    )
    commitment.refresh_from_db()
    assert commitment.state == state


def _line():
    """A commitment continued from 2020 to 2024 and replaced by two in 2028 (split in two)."""
    old_plan = ActionPlan.objects.get(slug="handlingsplan-2020-2022")
    middle_plan = ActionPlan.objects.get(slug="handlingsplan-2024-2027")
    new_plan = ActionPlanFactory(title="Handlingsplan 2028–2030", start_year=2028, end_year=2030)
    first = CommitmentFactory(
        plan=old_plan, code="2.3", title="Första", start_year=2020, end_year=2022
    )
    middle = CommitmentFactory(plan=middle_plan, code="4.1", title="Mitten")
    Commitment.objects.filter(pk=middle.pk).update(
        predecessor=first, predecessor_relation=Commitment.Relation.CONTINUES
    )
    lead = middle.lead_organisation
    last_a, last_b = commitments_import(
        plan=new_plan,
        rows=[
            CommitmentData(
                code=code,
                title=title,
                lead_organisation=lead,
                start_year=2028,
                end_year=2030,
                predecessor=middle,
                predecessor_relation=Commitment.Relation.REPLACES,
            )
            for code, title in [("1.1", "Sista A"), ("1.2", "Sista B")]
        ],
    )
    return first, middle, last_a, last_b


def test_the_commitment_page_shows_the_whole_line_across_the_plans_in_order(client):
    first, middle, last_a, last_b = _line()

    response = client.get(reverse("followup:commitment-detail", args=[middle.pk]))

    lineage = response.context["lineage"]
    assert [(step.code, step.is_current) for step in lineage] == [
        ("2.3", False),
        ("4.1", True),
        ("1.1", False),
        ("1.2", False),
    ]
    assert [step.get_relation_display() for step in lineage] == [
        "",
        "Fortsätter",
        "Ersätter",
        "Ersätter",
    ]
    page = response.content.decode()
    assert "Genom handlingsplanerna" in page
    assert reverse("followup:commitment-detail", args=[first.pk]) in page
    line = page[page.index("Genom handlingsplanerna") :]
    assert (
        line.index("Första") < line.index("Mitten") < line.index("Sista A") < line.index("Sista B")
    )
    # From either end, the same line.
    assert [s.code for s in commitment_lineage(last_b.pk)] == ["2.3", "4.1", "1.2"]
    assert [s.code for s in commitment_lineage(first.pk)] == ["2.3", "4.1", "1.1", "1.2"]


def test_a_commitment_without_a_line_shows_none(client):
    commitment = CommitmentFactory()

    response = client.get(reverse("followup:commitment-detail", args=[commitment.pk]))

    assert [step.code for step in response.context["lineage"]] == [commitment.code]
    assert "Genom handlingsplanerna" not in response.content.decode()


def test_the_line_is_read_in_one_query_and_a_loop_made_by_hand_ends(django_assert_num_queries):
    first, middle, last_a, _last_b = _line()
    with django_assert_num_queries(1):
        commitment_lineage(middle.pk)
    # A loop is impossible through the import (a predecessor is in an earlier plan); the admin
    # could make one, and the page still answers.
    Commitment.objects.filter(pk=first.pk).update(predecessor=last_a)

    codes = [step.code for step in commitment_lineage(middle.pk)]

    assert set(codes) == {"2.3", "4.1", "1.1", "1.2"}
