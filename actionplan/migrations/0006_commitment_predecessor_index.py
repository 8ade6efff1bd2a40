from django.db import migrations, models

from actors.migration_operations import AddIndexConcurrentlyOnPostgres


class Migration(migrations.Migration):
    # Built concurrently on PostgreSQL, which cannot happen inside a transaction: commitments
    # keep being read and written while the index is built.
    atomic = False

    dependencies = [("actionplan", "0005_commitment_lineage")]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name="commitment",
            index=models.Index(
                condition=models.Q(("predecessor__isnull", False)),
                fields=["predecessor"],
                name="commitment_predecessor_idx",
            ),
        ),
    ]
