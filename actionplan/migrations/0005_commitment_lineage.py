import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    # The line across the plans: nullable, and without an index here (0005 builds it
    # concurrently), so adding it neither rewrites nor long locks the commitments.
    dependencies = [
        ("actionplan", "0004_pendingdelegation"),
    ]

    operations = [
        migrations.AddField(
            model_name="commitment",
            name="predecessor",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                help_text="Åtagandet i en tidigare handlingsplan som det här fortsätter eller ersätter.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="successors",
                to="actionplan.commitment",
                verbose_name="föregångare",
            ),
        ),
        migrations.AddField(
            model_name="commitment",
            name="predecessor_relation",
            field=models.CharField(
                blank=True,
                choices=[("continues", "Fortsätter"), ("replaces", "Ersätter")],
                db_default="",
                default="",
                max_length=16,
                verbose_name="förhållande till föregångaren",
            ),
        ),
        migrations.AddField(
            model_name="historicalcommitment",
            name="predecessor",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                help_text="Åtagandet i en tidigare handlingsplan som det här fortsätter eller ersätter.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="actionplan.commitment",
                verbose_name="föregångare",
            ),
        ),
        migrations.AddField(
            model_name="historicalcommitment",
            name="predecessor_relation",
            field=models.CharField(
                blank=True,
                choices=[("continues", "Fortsätter"), ("replaces", "Ersätter")],
                db_default="",
                default="",
                max_length=16,
                verbose_name="förhållande till föregångaren",
            ),
        ),
    ]
