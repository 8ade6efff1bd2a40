import pytest

from actionplan.models import ActionPlan, Commitment, Goal, Strategy, ViolenceArea

pytestmark = pytest.mark.django_db


def test_migrate_ships_the_strategy_2020_to_2026():
    strategy = Strategy.objects.get()

    assert (strategy.start_year, strategy.end_year) == (2020, 2026)
    assert "Stockholms län" in strategy.title


def test_migrate_ships_the_eight_regional_goals_with_their_swedish_titles():
    goals = list(Goal.objects.order_by("number").values_list("number", "title"))

    assert goals == [
        (1, "Förebygga våld"),
        (2, "Förebygga återfall"),
        (3, "Upptäcka tidigt"),
        (4, "Skydda och stödja"),
        (5, "Effektiv brottsbekämpning"),
        (6, "Trygg rättsprocess"),
        (7, "Systematisk kunskapsutveckling"),
        (8, "Kunskap och forskning"),
    ]


def test_migrate_ships_the_five_violence_areas():
    assert list(ViolenceArea.objects.values_list("name", flat=True)) == [
        "Våld i nära relation",
        "Hedersrelaterat våld och förtryck",
        "Människohandel för sexuella ändamål",
        "Prostitution",
        "Sexuellt våld oberoende relation",
    ]


def test_migrate_ships_both_action_plans_and_the_second_outlasts_the_strategy():
    plans = list(ActionPlan.objects.order_by("start_year").values_list("start_year", "end_year"))

    assert plans == [(2020, 2022), (2024, 2027)]
    assert ActionPlan.objects.get(start_year=2024).strategy.end_year == 2026


def test_migrate_invents_no_commitments():
    assert not Commitment.objects.exists()
