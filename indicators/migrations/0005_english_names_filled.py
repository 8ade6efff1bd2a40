"""The Swedish names copied into their `_sv` columns, and the county's English name.

Municipalities and Stockholm's city districts keep their proper names in English: their English
column stays empty and falls back to the Swedish one. Indicators are compiled by county staff,
who write an indicator's English name in the admin.
"""

from django.db import migrations
from django.db.models import F

COUNTY_CODE = "01"


def fill_names(apps, schema_editor):
    Area = apps.get_model("indicators", "Area")
    Indicator = apps.get_model("indicators", "Indicator")
    Area.objects.update(name_sv=F("name"))
    Area.objects.filter(code=COUNTY_CODE).update(name_en="Stockholm County")
    Indicator.objects.update(name_sv=F("name"), description_sv=F("description"))


class Migration(migrations.Migration):
    dependencies = [("indicators", "0004_english_names")]

    # Backwards, 0004 drops the columns these fill; the Swedish column was never touched.
    operations = [migrations.RunPython(fill_names, migrations.RunPython.noop)]
