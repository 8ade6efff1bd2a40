"""Two ways of working shipped as examples: MVP and Tåget, as Botkyrka used them.

In 2018 Kvinnofridspriset went to the section for preventive work of Botkyrka's social services,
whose social services, schools, police and rescue services worked together against violence
among young people, with MVP in secondary school and Tåget in the younger years. The texts are
our own and hold facts only; no person is named: the contact is the organisation.
"""

from django.db import migrations
from django.utils import timezone

STRATEGY_TITLE = "Strategi för att förebygga och bekämpa våld i Stockholms län 2020–2026"
BOTKYRKA_CODE = "0127"
SOURCE = (
    "Länsstyrelsen i Stockholms län: Kvinnofridspriset 2018, tilldelat enheten för "
    "förebyggande arbete inom socialtjänsten i Botkyrka kommun."
)
BOTKYRKA_WORK = (
    "I Botkyrka samarbetade socialtjänstens enhet för förebyggande arbete med skolorna, polisen "
    "och räddningstjänsten mot våld bland unga. Arbetet fick Kvinnofridspriset 2018."
)

EXAMPLES = [
    {
        "slug": "mentors-in-violence-prevention-mvp",
        "title": "Mentors in Violence Prevention (MVP)",
        "summary": (
            "Ett våldsförebyggande program för högstadiet. Elever övar på att se, reagera "
            "och ingripa när någon utsätts för våld eller kränkningar, i stället för att stå "
            "bredvid och se på."
        ),
        "target_group": "young_people",
        "target_group_details": "Elever på högstadiet",
        "what_is_done": (
            "Skolpersonal utbildas för att leda samtal med elever i grupp. Samtalen utgår från "
            "vardagliga situationer där någon utsätts för våld, trakasserier eller kränkningar, "
            "och från frågan vad den som ser det kan göra. Normer om kön och makt som hänger "
            "ihop med våld tas också upp. Programmet utvecklades i USA under 1990-talet."
        ),
        "organisation_of_work": BOTKYRKA_WORK
        + " MVP var den del av arbetet som vände sig till högstadiet.",
        "violence_areas": ["vald-i-nara-relation", "sexuellt-vald-oberoende-relation"],
    },
    {
        "slug": "taget",
        "title": "Tåget",
        "summary": (
            "Ett våldsförebyggande arbetssätt för skolans yngre årskurser, så att barn möter "
            "frågor om våld och gränser tidigt."
        ),
        "target_group": "children",
        "target_group_details": "Barn i skolans yngre årskurser",
        "what_is_done": (
            "Skolans personal arbetar med barnen i klassen kring våld, gränser och att säga "
            "ifrån, på ett sätt som passar barnens ålder. Biblioteket beskriver här hur "
            "arbetssättet ingick i Botkyrkas förebyggande arbete; innehållet i detalj finns hos "
            "organisationen."
        ),
        "organisation_of_work": BOTKYRKA_WORK
        + " Tåget var den del av arbetet som vände sig till de yngre åldrarna, medan MVP "
        "användes på högstadiet.",
        "violence_areas": ["vald-i-nara-relation"],
    },
]


def create_examples(apps, schema_editor):
    Practice = apps.get_model("practices", "Practice")
    Organisation = apps.get_model("actors", "Organisation")
    Goal = apps.get_model("actionplan", "Goal")
    ViolenceArea = apps.get_model("actionplan", "ViolenceArea")

    botkyrka = Organisation.objects.filter(municipality_code=BOTKYRKA_CODE).first()
    if botkyrka is None:
        return  # a database without the shipped organisations
    prevent_violence = Goal.objects.filter(strategy__title=STRATEGY_TITLE, number=1)
    for example in EXAMPLES:
        fields = {key: value for key, value in example.items() if key not in ("slug", "violence_areas")}
        practice, _created = Practice.objects.update_or_create(
            slug=example["slug"],
            defaults={
                **fields,
                "proposing_organisation": botkyrka,
                # "Beskriven": the library has not assessed any study of the effect.
                "evidence_level": 1,
                "sources": SOURCE,
                "state": "approved",
                "approved_at": timezone.now(),
                "is_example": True,
            },
        )
        practice.organisations.set([botkyrka])
        practice.municipalities.set([botkyrka])
        practice.goals.set(prevent_violence)
        practice.violence_areas.set(ViolenceArea.objects.filter(slug__in=example["violence_areas"]))


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0001_initial"),
        ("actors", "0002_shipped_organisations"),
        ("actionplan", "0002_shipped_strategy"),
    ]

    operations = [migrations.RunPython(create_examples, migrations.RunPython.noop)]
