"""The county, its 26 municipalities and Stockholms stad's 13 city districts, shipped as data.

City districts (stadsdelsområden) have no official code of their own; the portal gives them
Stockholm's municipality code followed by two digits in alphabetical order. Import files use
these codes, and the README lists them.
"""

from django.db import migrations

COUNTY = ("01", "Stockholms län")
# Used only where the organisations are absent; normally the names and codes come from them.
MUNICIPALITIES = [
    ("0114", "Upplands Väsby"),
    ("0115", "Vallentuna"),
    ("0117", "Österåker"),
    ("0120", "Värmdö"),
    ("0123", "Järfälla"),
    ("0125", "Ekerö"),
    ("0126", "Huddinge"),
    ("0127", "Botkyrka"),
    ("0128", "Salem"),
    ("0136", "Haninge"),
    ("0138", "Tyresö"),
    ("0139", "Upplands-Bro"),
    ("0140", "Nykvarn"),
    ("0160", "Täby"),
    ("0162", "Danderyd"),
    ("0163", "Sollentuna"),
    ("0180", "Stockholm"),
    ("0181", "Södertälje"),
    ("0182", "Nacka"),
    ("0183", "Sundbyberg"),
    ("0184", "Solna"),
    ("0186", "Lidingö"),
    ("0187", "Vaxholm"),
    ("0188", "Norrtälje"),
    ("0191", "Sigtuna"),
    ("0192", "Nynäshamn"),
]
CITY_DISTRICTS = [
    ("018001", "Bromma"),
    ("018002", "Enskede-Årsta-Vantör"),
    ("018003", "Farsta"),
    ("018004", "Hägersten-Älvsjö"),
    ("018005", "Hässelby-Vällingby"),
    ("018006", "Kungsholmen"),
    ("018007", "Norrmalm"),
    ("018008", "Rinkeby-Kista"),
    ("018009", "Skarpnäck"),
    ("018010", "Skärholmen"),
    ("018011", "Spånga-Tensta"),
    ("018012", "Södermalm"),
    ("018013", "Östermalm"),
]


def create_areas(apps, schema_editor):
    Area = apps.get_model("indicators", "Area")
    Organisation = apps.get_model("actors", "Organisation")
    organisations = {
        org.municipality_code: org for org in Organisation.objects.exclude(municipality_code="")
    }
    Area.objects.get_or_create(code=COUNTY[0], defaults={"kind": "county", "name": COUNTY[1]})
    for code, name in MUNICIPALITIES:
        Area.objects.get_or_create(
            code=code,
            defaults={"kind": "municipality", "name": name, "organisation": organisations.get(code)},
        )
    for code, name in CITY_DISTRICTS:
        Area.objects.get_or_create(code=code, defaults={"kind": "city_district", "name": name})


def delete_areas(apps, schema_editor):
    apps.get_model("indicators", "Area").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0001_initial"),
        ("actors", "0002_shipped_organisations"),
    ]

    operations = [migrations.RunPython(create_areas, delete_areas)]
