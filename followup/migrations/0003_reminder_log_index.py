from django.db import migrations, models

from actors.migration_operations import AddIndexConcurrentlyOnPostgres


class Migration(migrations.Migration):
    # Built concurrently on PostgreSQL, which cannot happen inside a transaction: the reminder
    # sweep keeps claiming reminders while the index is built.
    atomic = False

    dependencies = [("followup", "0002_progressreport_review_index")]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name="reminder",
            index=models.Index(fields=["period", "claimed_at", "id"], name="reminder_log_idx"),
        ),
    ]
