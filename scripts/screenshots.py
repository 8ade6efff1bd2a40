"""Screenshots of the portal's main pages, from the demo data, for the README.

Run it with scripts/screenshots.sh. It seeds a throwaway SQLite database with `seed_demo`, runs
the portal on a free loopback port, signs each demo login in through the login form (with the
demo's two-factor code from `manage.py demo_totp`), and writes PNGs named
`<persona>-<page>-<width>.png` to docs/screenshots/: the whole page at 1366 and at 390 px, and
in thumbnails/ the first screen, scaled down, for the README. Each page is also measured: one
that scrolls sideways is named in the output, as the browser tests would fail on it.
"""

import argparse
import dataclasses
import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.chromium import CHROMIUM_ARGS, chromium_path  # noqa: E402

OUTPUT = ROOT / "docs" / "screenshots"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
DEMO_PASSWORD = "demo-kvinnofrid-2026"  # published in the README, for the demo data only
WIDTHS = {1366: 900, 390: 844}
# A very long page is cut here: the README shows what a page looks like, not all of it.
MAX_HEIGHT = 4000
# The README's thumbnails: the first screen, scaled down to these widths.
THUMBNAIL_WIDTHS = {1366: 400, 390: 150}


@dataclasses.dataclass(frozen=True)
class Shot:
    name: str  # <persona>-<page>, the file's name without the width
    path: Callable[["Portal"], str]  # the page's address, which may depend on the demo data
    title: str  # as the README names the page


@dataclasses.dataclass(frozen=True)
class Persona:
    username: str | None  # None: a visitor, not signed in
    shots: tuple[Shot, ...]


def first_report_form(portal: "Portal") -> str:
    """The report form of the coordinator's first task on Mina uppgifter."""
    portal.page.goto(portal.url("/mina-uppgifter/"))
    return portal.page.locator("main a[href*='/rapport/']").first.get_attribute("href")


def first_that_answers(*paths: Callable[["Portal"], str]) -> Callable[["Portal"], str]:
    """The first of the pages that this version of the portal has."""

    def path(portal: "Portal") -> str:
        for candidate in paths:
            address = candidate(portal)
            if portal.page.request.get(portal.url(address), max_redirects=0).ok:
                return address
        raise SystemExit(f"None of the pages answers: {[each(portal) for each in paths]}")

    return path


PERSONAS = (
    Persona(
        None,
        (
            Shot("besokare-hem", lambda portal: "/", "The home page"),
            Shot("besokare-mal", lambda portal: "/mal/", "The goals"),
            Shot("besokare-mal-1", lambda portal: "/mal/1/", "A goal with its indicators"),
        ),
    ),
    Persona(
        "samordnare.huddinge",
        (
            Shot(
                "samordnare-mina-uppgifter",
                lambda portal: "/mina-uppgifter/",
                "Mina uppgifter, the tasks",
            ),
            Shot("samordnare-rapport", first_report_form, "A progress report's form"),
        ),
    ),
    Persona(
        "kansli",
        (
            Shot(
                "kansli-oversikt",
                # County staff's dashboard (issue 10), or before it the period's overview.
                first_that_answers(
                    lambda portal: "/oversikt/", lambda portal: f"/uppfoljning/{portal.year}/"
                ),
                "County staff's overview",
            ),
            Shot(
                "kansli-uppfoljning",
                lambda portal: f"/uppfoljning/{portal.year}/",
                "The open period's follow-up",
            ),
            Shot("kansli-granskning", lambda portal: "/granskning/", "The review queue"),
            Shot(
                "kansli-lagesrapport",
                lambda portal: f"/lagesrapport/{portal.year}/",
                "The year's county report",
            ),
        ),
    ),
    Persona(
        "admin",
        (
            Shot(
                "admin-organisationer",
                lambda portal: "/administration/organisationer/",
                "The administration's organisations",
            ),
        ),
    ),
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Portal:
    """The quick start on a throwaway SQLite database with the demo data, in a subprocess."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.env = {
            key: value
            for key, value in os.environ.items()
            # The quick start's own database, and tasks run in-process: nothing from a shell
            # that has the test servers' addresses exported.
            if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"}
            and not key.startswith("DJANGO_")
        } | {
            "DATABASE_URL": f"sqlite:///{workdir / 'demo.sqlite3'}",
            "DJANGO_DEBUG": "on",
            "SITE_URL": f"http://127.0.0.1:{self.port}",
        }
        self.log = workdir / "runserver.log"
        self.server: subprocess.Popen | None = None
        self.page: Page | None = None
        self.year = 0

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout.strip()

    def start(self) -> None:
        print("==> Seeding a throwaway SQLite database with the demo data", flush=True)
        self.manage("migrate", "--no-input")
        self.manage("seed_demo")
        self.year = int(
            self.manage(
                "shell",
                "--no-imports",
                "-c",
                "from followup.models import ReportingPeriod; "
                "print(ReportingPeriod.objects.current().year)",
            )
        )
        print(f"==> The portal on {self.url('/')} (the open period: {self.year})", flush=True)
        with self.log.open("w") as log:
            self.server = subprocess.Popen(
                [PYTHON, "manage.py", "runserver", "--noreload", f"127.0.0.1:{self.port}"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(self.url("/health/live/"), timeout=2):
                    return
            except (urllib.error.URLError, ConnectionError):
                if self.server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"The portal did not start:\n{self.log.read_text()}") from None
                time.sleep(0.3)

    def stop(self) -> None:
        if self.server is not None and self.server.poll() is None:
            self.server.terminate()
            self.server.wait(timeout=10)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def log_in(self, username: str) -> None:
        """Through the login form, with the demo's two-factor code where the login needs one."""
        page = self.page
        page.goto(self.url("/konto/logga-in/"))
        page.get_by_label("Användarnamn").fill(username)
        page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Logga in").click()
        if "/konto/tvastegsverifiering/kod/" in page.url:
            page.get_by_label("Kod från appen").fill(self.manage("demo_totp", username))
            with page.expect_navigation():
                page.get_by_role("button", name="Verifiera").click()
        if "/konto/" in page.url:
            raise SystemExit(f"{username} could not sign in: still on {page.url}")


def save_small_png(image: Image.Image, target: Path) -> None:
    """A 256-colour PNG: a screenshot's flat colours lose nothing visible, and the file stays a
    fraction of the size."""
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)


def save_screenshot(source: bytes, target: Path, thumbnail: Path, window: tuple[int, int]) -> None:
    """The whole page (cut at MAX_HEIGHT), and a thumbnail of the window's first screen."""
    with Image.open(io.BytesIO(source)) as image:
        image = image.convert("RGB")
        save_small_png(image.crop((0, 0, image.width, min(image.height, MAX_HEIGHT))), target)
        width, height = window
        first_screen = image.crop((0, 0, min(width, image.width), min(height, image.height)))
        scale = THUMBNAIL_WIDTHS[width] / first_screen.width
        size = (THUMBNAIL_WIDTHS[width], round(first_screen.height * scale))
        save_small_png(first_screen.resize(size, Image.Resampling.LANCZOS), thumbnail)


def sideways_overflow(page: Page) -> int:
    """How many pixels wider than the window the page is (0: it fits)."""
    return page.evaluate("Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")


def shoot(portal: Portal, browser, output: Path) -> tuple[list[str], list[str]]:
    """Every persona's pages at every width: (the pages that failed, the other problems)."""
    failures, problems = [], []
    for persona in PERSONAS:
        context = browser.new_context(
            locale="sv-SE", timezone_id="Europe/Stockholm", viewport={"width": 1366, "height": 900}
        )
        portal.page = context.new_page()
        if persona.username:
            portal.log_in(persona.username)
        for shot in persona.shots:
            path = shot.path(portal)
            for width, height in WIDTHS.items():
                portal.page.set_viewport_size({"width": width, "height": height})
                response = portal.page.goto(portal.url(path))
                if response is None or not response.ok:
                    # The page's earlier picture stays; the run ends with an error (see main).
                    failures.append(f"{path} at {width} px: {response and response.status}")
                    continue
                portal.page.wait_for_load_state("load")
                overflow = sideways_overflow(portal.page)
                if overflow:
                    problems.append(f"{path} at {width} px scrolls sideways by {overflow} px")
                target = output / f"{shot.name}-{width}.png"
                save_screenshot(
                    portal.page.screenshot(full_page=True),
                    target,
                    output / "thumbnails" / target.name,
                    (width, height),
                )
                print(f"    {target}  ({target.stat().st_size // 1024} KiB)")
        context.close()
    return failures, problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT, help="default: docs/screenshots")
    output = parser.parse_args().output.resolve()
    (output / "thumbnails").mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="kvinnofrid-screenshots."))
    portal = Portal(workdir)
    try:
        portal.start()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
            )
            failures, problems = shoot(portal, browser, output)
            browser.close()
    finally:
        portal.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    if output == OUTPUT:
        # The folder holds this script's pictures only: none may outlive a page that left the
        # list. (A folder given by hand keeps whatever else it holds.)
        names = {
            f"{shot.name}-{width}.png"
            for persona in PERSONAS
            for shot in persona.shots
            for width in WIDTHS
        }
        for old in [*output.glob("*.png"), *(output / "thumbnails").glob("*.png")]:
            if old.name not in names:
                old.unlink()
    pictures = sorted([*output.glob("*.png"), *(output / "thumbnails").glob("*.png")])
    total = sum(png.stat().st_size for png in pictures)
    print(f"==> {len(pictures)} pictures, {total / 1_000_000:.1f} MB in all")
    readme = (ROOT / "README.md").read_text()
    for png in pictures:
        name = png.relative_to(ROOT).as_posix() if png.is_relative_to(ROOT) else png.name
        if output == OUTPUT and name not in readme:
            problems.append(f"README.md does not show {name}")
    for problem in problems:
        print(f"WARNING: {problem}", file=sys.stderr)
    if failures:
        raise SystemExit(
            "These pages failed, and keep their earlier pictures:\n  " + "\n  ".join(failures)
        )


if __name__ == "__main__":
    main()
