"""The indicators moved to the indicators app, which copied their rows first (indicators 0003)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("actionplan", "0006_commitment_predecessor_index"),
        ("indicators", "0003_copy_from_actionplan"),
    ]

    operations = [
        migrations.DeleteModel(name="IndicatorValue"),
        migrations.DeleteModel(name="Indicator"),
    ]
