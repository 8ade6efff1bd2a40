from django.db import migrations, models

from actors.migration_operations import AddIndexConcurrentlyOnPostgres


class Migration(migrations.Migration):
    # Built concurrently on PostgreSQL, which cannot happen inside a transaction: reports keep
    # being saved while the index is built.
    atomic = False

    dependencies = [("followup", "0001_initial")]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name="progressreport",
            index=models.Index(
                condition=models.Q(("state", "submitted")),
                fields=["submitted_at", "id"],
                name="progressreport_review_idx",
            ),
        ),
    ]
