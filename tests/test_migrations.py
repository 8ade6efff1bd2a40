"""Migrations must be safe to run on the live database: the linter (django-migration-linter,
configured in tests/settings.py) refuses what would rewrite or long lock the big tables."""

import shutil
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

import followup.migrations

LATEST = max(path.stem for path in Path(followup.migrations.__file__).parent.glob("0*.py"))
HEADER = f"""\
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("followup", "{LATEST}")]
"""

# What the linter says about each: a column that every existing row must fill at once (a table
# rewrite, or a failure), a column renamed or dropped under the running code's feet, an index
# built while writes wait.
UNSAFE = {
    "NOT NULL constraint on columns": """
    operations = [
        migrations.AddField(
            model_name="progressreport", name="mood", field=models.CharField(max_length=10)
        )
    ]
""",
    "RENAMING columns": """
    operations = [
        migrations.RenameField(model_name="progressreport", old_name="obstacles", new_name="risks")
    ]
""",
    "DROPPING columns": """
    operations = [migrations.RemoveField(model_name="progressreport", name="next_steps")]
""",
    "CREATE INDEX locks table": """
    operations = [
        migrations.AddIndex(
            model_name="progressreport",
            index=models.Index(fields=["percent_done"], name="report_percent_idx"),
        )
    ]
""",
    # The guardian tables are the biggest of all; the portal can only reach them with SQL.
    "CREATE INDEX locks table (guardian)": """
    operations = [
        migrations.RunSQL(
            "CREATE INDEX group_perm_pk_idx ON guardian_groupobjectpermission (object_pk);",
            "DROP INDEX group_perm_pk_idx;",
        )
    ]
""",
}

SAFE = {
    "a nullable column": """
    operations = [
        migrations.AddField(
            model_name="progressreport",
            name="mood",
            field=models.CharField(max_length=10, null=True),
        )
    ]
""",
    "an index built concurrently": """
    atomic = False

    operations = [
        AddIndexConcurrently(
            model_name="progressreport",
            index=models.Index(fields=["percent_done"], name="report_percent_idx"),
        )
    ]
""",
}


def lint_followup_with(tmp_path, monkeypatch, body: str, capsys) -> tuple[int, str]:
    """Lint the followup app's migrations as if `body` were its next migration."""
    package = f"migrations_under_test_{uuid.uuid4().hex}"
    folder = tmp_path / package
    shutil.copytree(Path(followup.migrations.__file__).parent, folder)
    header = HEADER
    if "AddIndexConcurrently" in body:
        header = "from django.contrib.postgres.operations import AddIndexConcurrently\n" + header
    (folder / "0099_next.py").write_text(header + body)
    monkeypatch.syspath_prepend(str(tmp_path))
    with override_settings(MIGRATION_MODULES={"followup": package}):
        try:
            call_command("lintmigrations", "followup")
            code = 0
        except SystemExit as exit:
            code = exit.code
    return code, capsys.readouterr().out


# Linting a migration that builds an index concurrently (the portal's do) runs its SQL
# collection outside a transaction; the shipped rows are put back for the tests after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_portals_migrations_are_safe_on_a_live_database(capsys):
    try:
        call_command("lintmigrations")
    except SystemExit:
        pytest.fail(capsys.readouterr().out)
    output = capsys.readouterr().out
    assert "(followup, 0001_initial)... OK" in output
    assert "Erroneous migrations: 0/" in output


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("problem", UNSAFE)
def test_an_unsafe_migration_on_a_big_table_is_flagged(tmp_path, monkeypatch, capsys, problem):
    code, output = lint_followup_with(tmp_path, monkeypatch, UNSAFE[problem], capsys)

    assert code == 1, output
    assert "(followup, 0099_next)... ERR" in output
    assert problem.removesuffix(" (guardian)") in output


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("change", SAFE)
def test_a_safe_migration_passes(tmp_path, monkeypatch, capsys, change):
    code, output = lint_followup_with(tmp_path, monkeypatch, SAFE[change], capsys)

    assert code == 0, output
    assert "(followup, 0099_next)... OK" in output
