"""The strategy 2020–2026, its goals, the violence areas and the action plans, shipped as data.

No commitments: real commitments come in through the import.
"""

from django.db import migrations

STRATEGY_TITLE = "Strategi för att förebygga och bekämpa våld i Stockholms län 2020–2026"

GOALS = [
    (1, "Förebygga våld"),
    (2, "Förebygga återfall"),
    (3, "Upptäcka tidigt"),
    (4, "Skydda och stödja"),
    (5, "Effektiv brottsbekämpning"),
    (6, "Trygg rättsprocess"),
    (7, "Systematisk kunskapsutveckling"),
    (8, "Kunskap och forskning"),
]

VIOLENCE_AREAS = [
    ("vald-i-nara-relation", "Våld i nära relation"),
    ("hedersrelaterat-vald-och-fortryck", "Hedersrelaterat våld och förtryck"),
    ("manniskohandel-for-sexuella-andamal", "Människohandel för sexuella ändamål"),
    ("prostitution", "Prostitution"),
    ("sexuellt-vald-oberoende-relation", "Sexuellt våld oberoende relation"),
]

ACTION_PLANS = [
    ("handlingsplan-2020-2022", "Handlingsplan 2020–2022", 2020, 2022),
    # A plan may outlast the strategy period.
    ("handlingsplan-2024-2027", "Handlingsplan 2024–2027", 2024, 2027),
]


def create_strategy(apps, schema_editor):
    Strategy = apps.get_model("actionplan", "Strategy")
    Goal = apps.get_model("actionplan", "Goal")
    ViolenceArea = apps.get_model("actionplan", "ViolenceArea")
    ActionPlan = apps.get_model("actionplan", "ActionPlan")

    strategy, _created = Strategy.objects.update_or_create(
        title=STRATEGY_TITLE,
        defaults={"short_title": "Strategi 2020–2026", "start_year": 2020, "end_year": 2026},
    )
    for number, title in GOALS:
        Goal.objects.update_or_create(
            strategy=strategy, number=number, defaults={"title": title}
        )
    for position, (slug, name) in enumerate(VIOLENCE_AREAS, start=1):
        ViolenceArea.objects.update_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )
    for slug, title, start_year, end_year in ACTION_PLANS:
        ActionPlan.objects.update_or_create(
            slug=slug,
            defaults={
                "strategy": strategy,
                "title": title,
                "start_year": start_year,
                "end_year": end_year,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("actionplan", "0001_initial")]

    operations = [migrations.RunPython(create_strategy, migrations.RunPython.noop)]
