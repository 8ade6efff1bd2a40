"""The Swedish names copied into their `_sv` columns, and the shipped names' English versions.

The field's own column keeps the Swedish name (exports and joins read it). Rows created since
0002 (plans added by administrators) get their Swedish copy too; their English name stays empty
and falls back to Swedish until an administrator writes one.
"""

from django.db import migrations
from django.db.models import F

STRATEGY_TITLE = "Strategi för att förebygga och bekämpa våld i Stockholms län 2020–2026"
STRATEGY_ENGLISH = (
    "Strategy to prevent and combat violence in Stockholm County 2020–2026",
    "Strategy 2020–2026",
)

GOALS_ENGLISH = {
    1: "Preventing violence",
    2: "Preventing reoffending",
    3: "Early detection",
    4: "Protection and support",
    5: "Effective law enforcement",
    6: "A safe legal process",
    7: "Systematic development of knowledge",
    8: "Knowledge and research",
}

VIOLENCE_AREAS_ENGLISH = {
    "vald-i-nara-relation": "Violence in close relationships",
    "hedersrelaterat-vald-och-fortryck": "Honour-related violence and oppression",
    "manniskohandel-for-sexuella-andamal": "Trafficking in human beings for sexual purposes",
    "prostitution": "Prostitution",
    "sexuellt-vald-oberoende-relation": "Sexual violence regardless of relationship",
}

ACTION_PLANS_ENGLISH = {
    "handlingsplan-2020-2022": "Action plan 2020–2022",
    "handlingsplan-2024-2027": "Action plan 2024–2027",
}


def fill_names(apps, schema_editor):
    Strategy = apps.get_model("actionplan", "Strategy")
    Goal = apps.get_model("actionplan", "Goal")
    ViolenceArea = apps.get_model("actionplan", "ViolenceArea")
    ActionPlan = apps.get_model("actionplan", "ActionPlan")

    Strategy.objects.update(title_sv=F("title"), short_title_sv=F("short_title"))
    Goal.objects.update(title_sv=F("title"), description_sv=F("description"))
    ViolenceArea.objects.update(name_sv=F("name"))
    ActionPlan.objects.update(title_sv=F("title"))

    title_en, short_title_en = STRATEGY_ENGLISH
    Strategy.objects.filter(title=STRATEGY_TITLE).update(
        title_en=title_en, short_title_en=short_title_en
    )
    for number, title in GOALS_ENGLISH.items():
        Goal.objects.filter(strategy__title=STRATEGY_TITLE, number=number).update(title_en=title)
    for slug, name in VIOLENCE_AREAS_ENGLISH.items():
        ViolenceArea.objects.filter(slug=slug).update(name_en=name)
    for slug, title in ACTION_PLANS_ENGLISH.items():
        ActionPlan.objects.filter(slug=slug).update(title_en=title)


class Migration(migrations.Migration):
    dependencies = [("actionplan", "0008_english_names")]

    # Backwards, 0008 drops the columns these fill; the Swedish column was never touched.
    operations = [migrations.RunPython(fill_names, migrations.RunPython.noop)]
