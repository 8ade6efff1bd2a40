"""scripts/backup.sh and scripts/restore.sh: every row and every report file comes back."""

import os
import subprocess
import uuid
from contextlib import contextmanager
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
# Tables whose every value is compared, beyond the row counts of all tables.
CHECKSUMMED = [
    "actors_organisation",
    "actionplan_commitment",
    "followup_progressreport",
    "actionplan_commitmentgroupobjectpermission",  # the grants
]
# Uploads in MEDIA_ROOT; the built county reports in PRIVATE_MEDIA_ROOT (beside it, here).
REPORT_FILES = {
    "prize/2026/nominering.pdf": b"%PDF-1.7\n" + bytes(range(256)) * 40,
    "imports/indikatorer.csv": "kommun;värde\n0180;12,5\n".encode(),
}
PRIVATE_FILES = {
    "countyreport/2026/regional-lagesrapport-2026.pdf": b"%PDF-1.7\n" + bytes(range(256)) * 40,
    "countyreport/2026/regional-lagesrapport-2026.xlsx": b"PK\x03\x04" + os.urandom(5000),
}


def private_of(media: Path) -> Path:
    return media.with_name(media.name + "-private")


def database_url(name: str) -> str:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{name}"


@contextmanager
def server():
    db = settings.DATABASES["default"]
    conn = psycopg2.connect(
        dbname="postgres",
        user=db["USER"],
        password=db["PASSWORD"],
        host=db["HOST"],
        port=db["PORT"],
    )
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            yield cursor
    finally:
        conn.close()


@pytest.fixture
def empty_database():
    name = f"restore_{uuid.uuid4().hex[:12]}"
    with server() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with server() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(script: str, *args: str, database: str, media: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ROOT / "scripts" / script), *args],
        env=os.environ
        | {
            "DATABASE_URL": database_url(database),
            "MEDIA_ROOT": str(media),
            "PRIVATE_MEDIA_ROOT": str(private_of(media)),
        },
        capture_output=True,
        text=True,
        timeout=300,
    )


def contents(name: str) -> tuple[dict[str, int], dict[str, str]]:
    """Row counts of every table, and a checksum of all values of a few."""
    db = settings.DATABASES["default"]
    with (
        psycopg2.connect(
            dbname=name, user=db["USER"], password=db["PASSWORD"], host=db["HOST"], port=db["PORT"]
        ) as conn,
        conn.cursor() as cursor,
    ):
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
        checksums = {}
        for table in [table for table in CHECKSUMMED if table in tables]:
            cursor.execute(f"SELECT md5(string_agg(t::text, '|' ORDER BY t.id)) FROM \"{table}\" t")
            checksums[table] = cursor.fetchone()[0]
    conn.close()
    return counts, checksums


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file()
    }


@pytest.fixture
def seeded_portal(transactional_db, django_db_serialized_rollback, tmp_path, settings):
    """The demo portal, committed so that pg_dump sees it, with report files in MEDIA_ROOT.

    Committed tests empty the database when they end: the shipped rows the demo needs (strategy,
    organisations) are put back first (serialized rollback)."""
    settings.DEBUG = True  # seed_demo runs only there
    call_command("seed_demo", "--scale", "1", stdout=open(os.devnull, "w"))  # noqa: SIM115
    media = tmp_path / "media"
    for folder, written in ((media, REPORT_FILES), (private_of(media), PRIVATE_FILES)):
        for name, data in written.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
    return connection.settings_dict["NAME"], media


def test_a_restored_backup_has_every_row_and_every_report_file(
    seeded_portal, empty_database, tmp_path
):
    source, media = seeded_portal

    backup = run("backup.sh", str(tmp_path / "backups"), database=source, media=media)
    assert backup.returncode == 0, backup.stderr
    folder = Path(backup.stdout.strip())
    assert folder.parent == tmp_path / "backups"
    assert (folder / "database.dump").stat().st_size > 0

    restored_media = tmp_path / "restored-media"
    restore = run("restore.sh", str(folder), database=empty_database, media=restored_media)
    assert restore.returncode == 0, restore.stderr

    counts, checksums = contents(source)
    assert counts["followup_progressreport"] > 0  # the demo was really there
    assert counts["actionplan_commitmentgroupobjectpermission"] > 0
    assert contents(empty_database) == (counts, checksums)
    assert files(restored_media) == REPORT_FILES
    assert files(private_of(restored_media)) == PRIVATE_FILES


def test_restore_refuses_a_database_that_is_not_empty(seeded_portal, tmp_path):
    source, media = seeded_portal
    folder = run("backup.sh", str(tmp_path / "backups"), database=source, media=media).stdout
    before = contents(source)

    result = run("restore.sh", folder.strip(), database=source, media=tmp_path / "new-media")

    assert result.returncode != 0
    assert "the database is not empty" in result.stderr
    assert contents(source) == before
    assert not (tmp_path / "new-media").exists()


def test_restore_refuses_a_media_folder_that_is_not_empty(seeded_portal, empty_database, tmp_path):
    source, media = seeded_portal
    folder = run("backup.sh", str(tmp_path / "backups"), database=source, media=media).stdout

    result = run("restore.sh", folder.strip(), database=empty_database, media=media)

    assert result.returncode != 0
    assert "media folder" in result.stderr
    assert contents(empty_database) == ({}, {})


def test_restore_refuses_a_private_folder_that_is_not_empty(
    seeded_portal, empty_database, tmp_path
):
    source, media = seeded_portal
    folder = run("backup.sh", str(tmp_path / "backups"), database=source, media=media).stdout
    fresh_media = tmp_path / "fresh-media"
    private_of(fresh_media).mkdir()
    (private_of(fresh_media) / "left-over.pdf").write_bytes(b"%PDF-1.7")

    result = run("restore.sh", folder.strip(), database=empty_database, media=fresh_media)

    assert result.returncode != 0
    assert "-private is not empty" in result.stderr
    assert contents(empty_database) == ({}, {})


def test_restore_refuses_a_damaged_backup(seeded_portal, empty_database, tmp_path):
    source, media = seeded_portal
    folder = Path(
        run("backup.sh", str(tmp_path / "b"), database=source, media=media).stdout.strip()
    )
    with open(folder / "database.dump", "r+b") as dump:
        dump.seek(100)
        dump.write(b"\0\0\0\0")

    result = run("restore.sh", str(folder), database=empty_database, media=tmp_path / "m")

    assert result.returncode != 0
    assert "checksums do not match" in result.stderr
