"""The quick start's portal: SQLite with the demo data, walked by each demo login.

The test suite runs on PostgreSQL, as production does; this check proves that the README's
first command gives a portal where no page a demo login can reach answers a server error (the
SQLite database lacks PostgreSQL's functions, so a query written for PostgreSQL alone shows up
here). Usage: .venv/bin/python scripts/walk_quick_start.py (exits 1 and names the pages that
failed). The walk runs in a subprocess on a throwaway database, with the quick start's settings.
"""

import io
import json
import os
import subprocess
import sys
import tempfile
from collections import deque
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEMO_LOGINS = ["samordnare.huddinge", "samordnare.polisen", "kansli", "admin"]
PAGES_PER_PERSON = 150
# The admin's pages are Django's own; the rest are files or actions, not pages.
NOT_WALKED = ("/admin/", "/static/", "/media/", "/i18n/", "/konto/logga-ut/")


def walk(username: str | None, limit: int = PAGES_PER_PERSON) -> dict[str, int]:
    """Follow the portal's own links from the home page, breadth first, as one person, to at
    most `limit` pages. Returns the address and status of every page that answered with a
    server error.
    """
    from django.test import Client
    from lxml import html

    from actors.models import User
    from tests.two_factor import (
        DJANGO_CLIENT_LOGIN,
        mark_session_verified,
        signs_in_with_two_factors,
    )

    client = Client(raise_request_exception=False, HTTP_HOST="127.0.0.1")
    start = ["/"]
    if username:
        user = User.objects.get(username=username)
        DJANGO_CLIENT_LOGIN(client, user, "django.contrib.auth.backends.ModelBackend")
        if signs_in_with_two_factors(user):
            mark_session_verified(client, user)
        start += ["/mina-uppgifter/", "/oversikt/", "/administration/"]
    # Every address once; pages without a query string first, so that the filters' and
    # pages' variants of one list do not use up the walk before the other pages are seen.
    seen, pages, variants, failures = set(start), deque(start), deque(), {}
    for _visited in range(limit):
        if not (pages or variants):
            break
        path = (pages or variants).popleft()
        response = client.get(path)
        if response.status_code >= 500:
            failures[path] = response.status_code
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for href in html.fromstring(response.content).xpath("//a/@href"):
            address = urlsplit(urljoin(path, href))
            if address.netloc or address.scheme not in ("", "http", "https"):
                continue
            target = address.path + (f"?{address.query}" if address.query else "")
            if target not in seen and not target.startswith(NOT_WALKED):
                seen.add(target)
                (variants if address.query else pages).append(target)
    return failures


def seed_and_walk() -> None:
    """In the subprocess: the quick start's database, then every persona's walk, as JSON."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", stdout=io.StringIO())
    print(json.dumps({name or "visitor": walk(name) for name in [None, *DEMO_LOGINS]}))


def main() -> int:
    with tempfile.TemporaryDirectory() as workdir:
        tmp_path = Path(workdir)
        environment = {
            key: value
            for key, value in os.environ.items()
            if key
            not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE"}
        } | {
            "DJANGO_SETTINGS_MODULE": "kvinnofrid.settings",
            # As on the quick start, which has no DATABASE_URL and so runs in development mode.
            "DJANGO_DEBUG": "true",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'quick-start.sqlite3'}",
            "MEDIA_ROOT": str(tmp_path / "media"),
            "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        }
        walked = subprocess.run(
            [sys.executable, __file__, "--in-subprocess"],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=600,
        )
    if walked.returncode != 0:
        print(walked.stderr[-3000:], file=sys.stderr)
        return 1
    failures = json.loads(walked.stdout.strip().splitlines()[-1])
    failed = {name: pages for name, pages in failures.items() if pages}
    for name, pages in failed.items():
        print(f"{name}: {pages}", file=sys.stderr)
    print("Every page the demo logins reach answers." if not failed else "Server errors found.")
    return 1 if failed else 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--in-subprocess"]:
        seed_and_walk()
    else:
        sys.exit(main())
