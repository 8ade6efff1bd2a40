"""The shipped 2018 winner links to the shipped MVP and Tåget entries, the methods it used."""

from django.db import migrations

SLUGS = ["mentors-in-violence-prevention-mvp", "taget"]


def link(apps, schema_editor):
    Award = apps.get_model("prize", "Award")
    Practice = apps.get_model("practices", "Practice")
    award = Award.objects.filter(call__year=2018, nomination__isnull=True).first()
    if award is not None:
        award.practices.add(*Practice.objects.filter(slug__in=SLUGS))


def unlink(apps, schema_editor):
    Award = apps.get_model("prize", "Award")
    Practice = apps.get_model("practices", "Practice")
    award = Award.objects.filter(call__year=2018, nomination__isnull=True).first()
    if award is not None:
        award.practices.remove(*Practice.objects.filter(slug__in=SLUGS))


class Migration(migrations.Migration):
    dependencies = [
        ("prize", "0003_award_practices"),
        ("practices", "0002_shipped_examples"),
    ]

    operations = [migrations.RunPython(link, unlink)]
