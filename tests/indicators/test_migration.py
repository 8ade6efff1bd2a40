"""Moving the indicators out of actionplan keeps every row (indicators 0003, actionplan 0007)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("actionplan", "0006_commitment_predecessor_index"), ("indicators", "0002_shipped_areas")]
AFTER = [
    ("actionplan", "0007_indicators_moved_to_their_own_app"),
    ("indicators", "0003_copy_from_actionplan"),
]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_indicators_and_their_values_survive_the_move():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    goal = old.get_model("actionplan", "Goal").objects.get(strategy__start_year=2020, number=3)
    huddinge = old.get_model("actors", "Organisation").objects.get(municipality_code="0126")
    OldIndicator = old.get_model("actionplan", "Indicator")
    OldValue = old.get_model("actionplan", "IndicatorValue")
    indicator = OldIndicator.objects.create(
        goal=goal, name="Anmälda brott", unit="procent", source="Brå", desired_direction="increase"
    )
    OldValue.objects.create(indicator=indicator, year=2023, municipality=None, value=24)
    OldValue.objects.create(
        indicator=indicator, year=2023, municipality=huddinge, sex="women", value="31.50"
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from indicators.models import Indicator

    moved = Indicator.objects.get(pk=indicator.pk)
    assert moved.name == "Anmälda brott"
    assert moved.kind == Indicator.Kind.PERCENT
    assert moved.by_sex
    assert list(moved.goals.values_list("number", flat=True)) == [3]
    assert sorted(moved.values.values_list("area__code", "sex", "value")) == [
        ("01", "all", 24),
        ("0126", "women", 31.5),
    ]
    # New indicators draw ids after the copied ones.
    assert Indicator.objects.create(name="Ny", slug="ny", unit="antal", source="x").pk > moved.pk
    assert "actionplan_indicator" not in connection.introspection.table_names()
