"""Goals, plans, violence areas, the county and indicators have English names, shown when the
interface is English; the Swedish name stays in the field's own column, which exports read."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from actionplan import imports
from actionplan.forms import ActionPlanForm
from actionplan.models import ActionPlan, Goal, ViolenceArea
from followup.overview import period_figures
from indicators.models import Indicator
from tests.actionplan.test_import import HEADER, csv_bytes
from tests.actionplan.test_import import row as import_row
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    IndicatorFactory,
    UserFactory,
    area,
    shipped_goal,
    shipped_strategy,
)
from tests.personas import build_world

pytestmark = pytest.mark.django_db

ENGLISH_GOALS = [
    "Preventing violence",
    "Preventing reoffending",
    "Early detection",
    "Protection and support",
    "Effective law enforcement",
    "A safe legal process",
    "Systematic development of knowledge",
    "Knowledge and research",
]


@pytest.fixture
def english(client):
    """The client as a visitor who chose English (the language cookie set_language writes)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


def swedish_column(table: str, column: str, pk: int) -> str:
    """The field's own column as stored, past modeltranslation's reading in the active language."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


# --- What ships ------------------------------------------------------------------------------


def test_the_eight_goals_ship_with_english_names_and_keep_their_swedish_column():
    goals = list(Goal.objects.filter(strategy=shipped_strategy()).order_by("number"))

    with translation.override("en"):
        assert [goal.title for goal in goals] == ENGLISH_GOALS
    with translation.override("sv"):
        assert goals[0].title == "Förebygga våld"
    assert swedish_column("actionplan_goal", "title", goals[0].pk) == "Förebygga våld"
    assert goals[0].title_sv == "Förebygga våld"


def test_the_plans_the_violence_areas_and_the_strategy_ship_with_english_names():
    with translation.override("en"):
        plans = set(ActionPlan.objects.values_list("title", flat=True))
        areas = list(ViolenceArea.objects.values_list("name", flat=True))
        strategy = str(shipped_strategy())
    assert plans == {"Action plan 2020–2022", "Action plan 2024–2027"}
    assert areas[0] == "Violence in close relationships"
    assert "Honour-related violence and oppression" in areas
    assert strategy == "Strategy 2020–2026"


def test_the_county_is_stockholm_county_and_places_keep_their_proper_names_in_english():
    with translation.override("en"):
        assert area("01").name == "Stockholm County"
        assert area("0127").name == "Botkyrka"  # no English name: the Swedish one
        assert area("0180").name == "Stockholm"
        assert area("018001").name == "Bromma"  # Stockholm's districts keep Swedish names
    with translation.override("sv"):
        assert area("01").name == "Stockholms län"


def test_a_name_without_english_falls_back_to_swedish_also_when_read_in_sql():
    plan = ActionPlanFactory(title="Handlingsplan 2028–2030", slug="handlingsplan-2028-2030")

    with translation.override("en"):
        assert ActionPlan.objects.get(pk=plan.pk).title == "Handlingsplan 2028–2030"
        assert ActionPlan.objects.filter(pk=plan.pk).values_list("title", flat=True).get() == (
            "Handlingsplan 2028–2030"
        )


# --- Shown when the interface is English ----------------------------------------------------


def test_the_goal_list_shows_english_names_in_english_and_swedish_names_in_swedish(client, english):
    page = english.get(reverse("indicators:goal-list")).content.decode()

    assert "Preventing violence" in page
    assert "Förebygga våld" not in page

    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    page = client.get(reverse("indicators:goal-list")).content.decode()
    assert "Förebygga våld" in page
    assert "Preventing violence" not in page


def test_a_goal_page_follows_the_browsers_language(client):
    url = reverse("indicators:goal-detail", args=[4])

    english_page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    swedish_page = client.get(url, HTTP_ACCEPT_LANGUAGE="sv").content.decode()

    assert "Protection and support" in english_page
    assert "Skydda och stödja" not in english_page
    assert "Skydda och stödja" in swedish_page


def test_the_language_chosen_with_set_language_shows_the_english_goal_names(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    page = client.get(reverse("indicators:goal-detail", args=[1])).content.decode()

    assert "Preventing violence" in page


def test_the_commitment_list_filters_name_goals_plans_and_areas_in_english(english):
    CommitmentFactory(goals=[shipped_goal(3)])

    response = english.get(reverse("actionplan:commitment-list"))

    form = response.context["filter"].form
    labels = {
        name: [label for _value, label in form.fields[name].choices]
        for name in ("goal", "plan", "violence_area")
    }
    assert "3. Early detection" in [str(label) for label in labels["goal"]]
    assert "Action plan 2024–2027" in [str(label) for label in labels["plan"]]
    assert "Violence in close relationships" in [str(label) for label in labels["violence_area"]]
    page = response.content.decode()
    assert "Early detection" in page
    assert "Upptäcka tidigt" not in page


def test_mina_uppgifter_in_english_shows_no_swedish_names_of_goals_or_plans(client):
    world = build_world()
    client.force_login(world.users["coordinator_a"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get(reverse("followup:my-tasks")).content.decode()

    assert "My tasks" in page
    assert world.commitment.title in page
    swedish_names = [
        *Goal.objects.values_list("title_sv", flat=True),
        *ActionPlan.objects.values_list("title_sv", flat=True),
    ]
    assert not [name for name in swedish_names if name in page]


def test_exports_keep_the_swedish_names(english):
    """The names in an export are the stored Swedish ones; only the headings follow the
    interface."""
    commitment = CommitmentFactory(goals=[shipped_goal(1)])
    commitment.violence_areas.set([ViolenceArea.objects.get(slug="vald-i-nara-relation")])

    response = english.get(reverse("actionplan:commitment-export"), {"format": "csv"})

    content = b"".join(response.streaming_content if response.streaming else [response.content])
    text = content.decode("utf-8-sig")
    assert '"Handlingsplan 2024–2027"' in text
    assert '"Våld i nära relation"' in text
    assert "Action plan 2024" not in text


# --- Written by the forms: Swedish in its own column, whatever the interface ----------------


def test_an_administrator_using_english_creates_a_plan_with_both_names(admin_client):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = admin_client.post(
        reverse("actionplan:plan-list"),
        {
            "strategy": shipped_strategy().pk,
            "title": "Handlingsplan 2028–2030",
            "title_en": "Action plan 2028–2030",
            "slug": "",
            "start_year": "2028",
            "end_year": "2030",
        },
    )

    assert response.status_code == 302
    plan = ActionPlan.objects.get(slug="handlingsplan-2028-2030")
    assert (plan.title_sv, plan.title_en) == ("Handlingsplan 2028–2030", "Action plan 2028–2030")
    assert swedish_column("actionplan_actionplan", "title", plan.pk) == "Handlingsplan 2028–2030"


def test_the_plan_form_labels_the_english_box_and_leaves_the_copy_out():
    with translation.override("sv"):
        form = ActionPlanForm()
        assert str(form.fields["title_en"].label) == "Titel på engelska"
    assert "title_sv" not in form.fields
    assert not form.fields["title_en"].required


def test_a_plan_without_english_name_is_created_with_an_empty_english_column(admin_client):
    admin_client.post(
        reverse("actionplan:plan-list"),
        {
            "strategy": shipped_strategy().pk,
            "title": "Handlingsplan 2031–2033",
            "slug": "",
            "start_year": "2031",
            "end_year": "2033",
        },
    )

    plan = ActionPlan.objects.get(slug="handlingsplan-2031-2033")
    assert (plan.title_sv, plan.title_en) == ("Handlingsplan 2031–2033", None)


def test_the_admin_edits_a_goal_in_english_without_touching_its_swedish_name(admin_client):
    goal = shipped_goal(2)
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("admin:actionplan_goal_change", args=[goal.pk])

    page = admin_client.get(url).content.decode()
    assert "Title in English" in page  # the English box, labelled in the interface's language
    assert 'name="title_sv"' not in page
    assert 'value="Förebygga återfall"' in page  # the Swedish box shows Swedish

    response = admin_client.post(
        url,
        {
            "strategy": goal.strategy_id,
            "number": 2,
            "title": "Förebygga återfall",
            "title_en": "Preventing repeat offending",
            "description": "",
            "description_en": "",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    goal.refresh_from_db()
    assert (goal.title_sv, goal.title_en) == ("Förebygga återfall", "Preventing repeat offending")
    assert swedish_column("actionplan_goal", "title", goal.pk) == "Förebygga återfall"


def test_county_staff_using_english_rename_an_indicator_and_keep_its_swedish_name(client):
    world = build_world()
    indicator = IndicatorFactory(name="Anmälda brott", goals=[shipped_goal(5)])
    client.force_login(world.users["county_staff"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("indicators:manage-edit", args=[indicator.pk])

    assert 'value="Anmälda brott"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "name": "Anmälda brott",
            "name_en": "Reported crimes",
            "slug": indicator.slug,
            "goals": [shipped_goal(5).pk],
            "kind": indicator.kind,
            "unit": indicator.unit,
            "source": indicator.source,
            "desired_direction": indicator.desired_direction,
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    indicator = Indicator.objects.get(pk=indicator.pk)
    assert (indicator.name_sv, indicator.name_en) == ("Anmälda brott", "Reported crimes")
    assert swedish_column("indicators_indicator", "name", indicator.pk) == "Anmälda brott"


def test_an_import_names_violence_areas_in_swedish_or_english_whatever_the_page_language():
    plan = ActionPlanFactory(
        title="Handlingsplan 2028–2030", slug="hp-2028", start_year=2028, end_year=2030
    )
    rows = imports.read_table(
        csv_bytes(
            [
                HEADER,
                import_row(violence_areas="Våld i nära relation; Prostitution"),
                import_row(code="1.2", violence_areas="Honour-related violence and oppression"),
            ]
        )
    )

    with translation.override("en"):
        result = imports.check_rows(plan, rows)

    assert not result.errors
    assert [
        sorted(area.slug for area in checked.data.violence_areas) for checked in result.rows
    ] == [
        ["prostitution", "vald-i-nara-relation"],
        ["hedersrelaterat-vald-och-fortryck"],
    ]


# --- The pages cost the same in both languages ------------------------------------------------


@pytest.mark.parametrize(
    "persona,url_name",
    [
        ("visitor", "indicators:goal-list"),
        ("visitor", "actionplan:commitment-list"),
        ("visitor", "home"),
        ("coordinator_a", "followup:my-tasks"),
    ],
)
def test_english_names_cost_no_extra_queries(client, persona, url_name):
    world = build_world()
    if world.users[persona]:
        client.force_login(world.users[persona])
    counts = {}
    for language in ("sv", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        client.get(reverse(url_name))  # the session and caches warm in both languages alike
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(url_name))
        assert response.status_code == 200
        counts[language] = len(queries)

    assert counts["en"] == counts["sv"]


def test_the_admin_finds_a_goal_by_its_swedish_name_in_english_and_its_english_name(admin_client):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("admin:actionplan_goal_changelist")

    by_swedish = admin_client.get(url, {"q": "återfall"}).context["cl"].result_list
    by_english = admin_client.get(url, {"q": "reoffending"}).context["cl"].result_list

    assert [goal.number for goal in by_swedish] == [2]
    assert [goal.number for goal in by_english] == [2]


def test_the_cached_period_figures_name_the_goals_in_the_readers_language():
    period = build_world().period

    with translation.override("sv"):
        swedish = [goal.title for goal in period_figures(period).goals]
    with translation.override("en"):
        english = [goal.title for goal in period_figures(period).goals]

    assert "Förebygga våld" in swedish
    assert "Preventing violence" in english
