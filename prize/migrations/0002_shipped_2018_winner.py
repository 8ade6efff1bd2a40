"""Kvinnofridspriset 2018, shipped as real, public data (not demo data).

In 2018 the prize went to the preventive work of Botkyrka's social services. The call ran before
the portal: its dates were not recorded here, so the year's first day stands in for them, and
the call is closed, decided and published. The summary is written for the portal in our own
words from public facts; no nomination is kept (Award.nomination is empty).
"""

import datetime

from django.db import migrations

YEAR = 2018
MUNICIPALITY_CODE = "0127"  # Botkyrka
UNIT = "Socialtjänstens enhet för förebyggande arbete"
MOTIVATION = (
    "Socialtjänsten, skolorna, polisen och räddningstjänsten i Botkyrka arbetade tillsammans "
    "mot våld bland unga. I högstadiet användes Mentors in Violence Prevention (MVP) och i de "
    "yngre åldrarna programmet Tåget. Det grova våldet minskade."
)
DESCRIPTION = (
    "Priset delades ut innan portalen fanns. Pristagaren och sammanfattningen är verkliga, "
    "offentliga uppgifter; datumen för nomineringen finns inte här."
)


def ship_2018(apps, schema_editor):
    Organisation = apps.get_model("actors", "Organisation")
    PrizeCall = apps.get_model("prize", "PrizeCall")
    Award = apps.get_model("prize", "Award")
    botkyrka = Organisation.objects.filter(municipality_code=MUNICIPALITY_CODE).first()
    if botkyrka is None or PrizeCall.objects.filter(year=YEAR).exists():
        return
    day = datetime.date(YEAR, 1, 1)
    moment = datetime.datetime(YEAR, 1, 1, tzinfo=datetime.UTC)
    call = PrizeCall.objects.create(
        year=YEAR,
        opens_on=day,
        closes_on=day,
        description=DESCRIPTION,
        decided_at=moment,
        published_at=moment,
    )
    Award.objects.create(
        call=call,
        organisation=botkyrka,
        unit_name=UNIT,
        motivation=MOTIVATION,
        decided_at=moment,
        published_at=moment,
    )


def unship_2018(apps, schema_editor):
    PrizeCall = apps.get_model("prize", "PrizeCall")
    PrizeCall.objects.filter(year=YEAR, description=DESCRIPTION).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("prize", "0001_initial"),
        ("actors", "0002_shipped_organisations"),
    ]

    operations = [migrations.RunPython(ship_2018, unship_2018)]
