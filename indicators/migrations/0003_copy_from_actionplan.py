"""Copy the indicators and their values from actionplan, which drops its tables after this.

Ids are kept. An indicator had one goal and now has several; a value had a municipality or none
(the county) and now has an area.
"""

from django.db import migrations
from django.utils.text import slugify


def guess_kind(unit: str) -> str:
    unit = unit.lower()
    if "procent" in unit or "%" in unit:
        return "percent"
    if "100 000" in unit:
        return "rate_per_100k"
    return "count"


def copy_indicators(apps, schema_editor):
    copy(
        apps.get_model("actionplan", "Indicator"),
        apps.get_model("actionplan", "IndicatorValue"),
        apps,
        schema_editor.connection,
    )


def copy(OldIndicator, OldValue, apps, connection):
    Indicator = apps.get_model("indicators", "Indicator")
    IndicatorValue = apps.get_model("indicators", "IndicatorValue")
    Area = apps.get_model("indicators", "Area")

    names, slugs = set(), set()
    with_sexes = set(OldValue.objects.exclude(sex="all").values_list("indicator_id", flat=True))
    for old in OldIndicator.objects.order_by("pk"):
        # Names were unique per goal; now they are unique, so a repeated one gets its goal.
        name = old.name if old.name not in names else f"{old.name} (mål {old.goal_id})"
        slug = slugify(name)[:70] or "indikator"
        if slug in slugs:
            slug = f"{slug}-{old.pk}"
        names.add(name)
        slugs.add(slug)
        indicator = Indicator.objects.create(
            pk=old.pk,
            name=name,
            slug=slug,
            kind=guess_kind(old.unit),
            unit=old.unit,
            source=old.source,
            desired_direction=old.desired_direction,
            description=old.description,
            by_sex=old.pk in with_sexes,
            is_demo=old.is_demo,
        )
        indicator.goals.set([old.goal_id])

    areas = {area.organisation_id: area for area in Area.objects.filter(kind="municipality")}
    by_code = {area.code: area for area in Area.objects.all()}
    county = by_code["01"]
    batch = []
    for old in OldValue.objects.select_related("municipality").iterator():
        if old.municipality_id is None:
            area = county
        else:
            area = areas.get(old.municipality_id) or by_code[old.municipality.municipality_code]
        batch.append(
            IndicatorValue(
                indicator_id=old.indicator_id,
                year=old.year,
                area=area,
                sex=old.sex,
                value=old.value,
            )
        )
    IndicatorValue.objects.bulk_create(batch, batch_size=2000)

    # The copied ids were given, not drawn: move the id sequence past them.
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Indicator]):
            cursor.execute(sql)


def no_style():
    from django.core.management.color import no_style as style

    return style()


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0002_shipped_areas"),
        ("actionplan", "0006_commitment_predecessor_index"),
    ]

    operations = [migrations.RunPython(copy_indicators, migrations.RunPython.noop)]
