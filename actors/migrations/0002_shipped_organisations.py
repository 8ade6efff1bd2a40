"""The real members, partners and municipalities of Operation Kvinnofrid, shipped as data."""

from django.db import migrations
from django.utils.text import slugify

MEMBERS = [
    # (name, short name, kind)
    ("Länsstyrelsen i Stockholms län", "Länsstyrelsen", "state_agency"),
    ("Polismyndigheten, polisregion Stockholm", "Polisen", "state_agency"),
    ("Kriminalvården", "Kriminalvården", "state_agency"),
    ("Åklagarmyndigheten", "Åklagarmyndigheten", "state_agency"),
    ("Region Stockholm", "Region Stockholm", "region"),
    ("Storsthlm", "Storsthlm", "municipal_association"),
]
# Not members, but they carry commitments since 2024.
PARTNERS = [
    ("Försäkringskassan", "Försäkringskassan", "state_agency"),
    ("Arbetsförmedlingen", "Arbetsförmedlingen", "state_agency"),
]
# The 26 municipalities of Stockholm county with their official codes (county code 01).
MUNICIPALITIES = [
    ("0114", "Upplands Väsby", "Upplands Väsby kommun"),
    ("0115", "Vallentuna", "Vallentuna kommun"),
    ("0117", "Österåker", "Österåkers kommun"),
    ("0120", "Värmdö", "Värmdö kommun"),
    ("0123", "Järfälla", "Järfälla kommun"),
    ("0125", "Ekerö", "Ekerö kommun"),
    ("0126", "Huddinge", "Huddinge kommun"),
    ("0127", "Botkyrka", "Botkyrka kommun"),
    ("0128", "Salem", "Salems kommun"),
    ("0136", "Haninge", "Haninge kommun"),
    ("0138", "Tyresö", "Tyresö kommun"),
    ("0139", "Upplands-Bro", "Upplands-Bro kommun"),
    ("0140", "Nykvarn", "Nykvarns kommun"),
    ("0160", "Täby", "Täby kommun"),
    ("0162", "Danderyd", "Danderyds kommun"),
    ("0163", "Sollentuna", "Sollentuna kommun"),
    ("0180", "Stockholm", "Stockholms stad"),
    ("0181", "Södertälje", "Södertälje kommun"),
    ("0182", "Nacka", "Nacka kommun"),
    ("0183", "Sundbyberg", "Sundbybergs stad"),
    ("0184", "Solna", "Solna stad"),
    ("0186", "Lidingö", "Lidingö stad"),
    ("0187", "Vaxholm", "Vaxholms stad"),
    ("0188", "Norrtälje", "Norrtälje kommun"),
    ("0191", "Sigtuna", "Sigtuna kommun"),
    ("0192", "Nynäshamn", "Nynäshamns kommun"),
]
# Stockholms stad is a member in its own right; the other 25 are represented by Storsthlm.
MEMBER_MUNICIPALITY_CODES = {"0180"}


def create_organisations(apps, schema_editor):
    Organisation = apps.get_model("actors", "Organisation")
    rows = [(name, short, kind, "member", "") for name, short, kind in MEMBERS]
    rows += [(name, short, kind, "partner", "") for name, short, kind in PARTNERS]
    rows += [
        (
            name,
            "Stockholms stad" if code == "0180" else short,
            "municipality",
            "member" if code in MEMBER_MUNICIPALITY_CODES else "represented",
            code,
        )
        for code, short, name in MUNICIPALITIES
    ]
    for name, short, kind, affiliation, code in rows:
        Organisation.objects.update_or_create(
            name=name,
            defaults={
                "short_name": short,
                "slug": slugify(short),
                "kind": kind,
                "affiliation": affiliation,
                "municipality_code": code,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("actors", "0001_initial")]

    operations = [migrations.RunPython(create_organisations, migrations.RunPython.noop)]
