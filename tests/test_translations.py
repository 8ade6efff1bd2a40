"""The English catalogue: complete, consistent with its Swedish msgids, and actually used.

Swedish is the gettext source language; English lives in locale/en/LC_MESSAGES/django.po.
scripts/test.sh compiles the catalogue (compilemessages) before the suite runs.
"""

import ast
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
PO_PATH = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    line: int = 0


def _unquote(token: str) -> str:
    # PO strings use C escapes, which a Python string literal reads the same way.
    return ast.literal_eval(token)


def parse_po(path: Path) -> list[Entry]:
    """A tiny PO parser: enough for msgid, msgid_plural, msgstr[n], flags and continuations."""
    entries: list[Entry] = []
    entry: Entry | None = None
    key: tuple[str, int] | None = None

    def start(lineno: int) -> Entry:
        nonlocal entry
        if entry is None:
            entry = Entry(line=lineno)
        return entry

    def finish() -> None:
        nonlocal entry, key
        if entry is not None:
            entries.append(entry)
        entry, key = None, None

    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            start(lineno).obsolete = True
            continue
        if line.startswith("#,"):
            start(lineno).flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            start(lineno)
            continue
        match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")$", line)
        if match:
            current = start(lineno)
            name, index, value = match.group(1), match.group(2), _unquote(match.group(3))
            if name == "msgid":
                if key is not None and key[0] != "msgctxt":
                    # A msgid right after a msgstr without a blank line: a new entry.
                    finish()
                    current = start(lineno)
                current.msgid, key = value, ("msgid", 0)
            elif name == "msgid_plural":
                current.msgid_plural, key = value, ("msgid_plural", 0)
            elif name == "msgctxt":
                key = ("msgctxt", 0)
            else:
                number = int(index) if index is not None else 0
                current.msgstr[number], key = value, ("msgstr", number)
            continue
        if line.startswith('"') and entry is not None and key is not None:
            value = _unquote(line)
            if key[0] == "msgid":
                entry.msgid += value
            elif key[0] == "msgid_plural":
                entry.msgid_plural = (entry.msgid_plural or "") + value
            elif key[0] == "msgstr":
                entry.msgstr[key[1]] += value
            continue
        raise AssertionError(f"{path}:{lineno}: cannot parse {raw!r}")
    finish()
    return entries


def _header(entries: list[Entry]) -> dict[str, str]:
    header = next(entry for entry in entries if entry.msgid == "" and not entry.obsolete)
    pairs = (line.split(":", 1) for line in header.msgstr[0].splitlines() if ":" in line)
    return {name.strip(): value.strip() for name, value in pairs}


@pytest.fixture(scope="module")
def catalogue() -> list[Entry]:
    assert PO_PATH.exists(), f"{PO_PATH} is missing: run makemessages -l en and translate it."
    return [entry for entry in parse_po(PO_PATH) if entry.msgid and not entry.obsolete]


# --- (a) complete: nothing untranslated, nothing fuzzy ---------------------------------------


def test_the_english_catalogue_has_a_correct_header():
    header = _header(parse_po(PO_PATH))
    assert header["Language"] == "en"
    assert header["Content-Type"] == "text/plain; charset=UTF-8"
    assert header["Plural-Forms"] == "nplurals=2; plural=(n != 1);"


def test_every_entry_of_the_english_catalogue_is_translated_and_none_is_fuzzy(catalogue):
    assert len(catalogue) > 100  # the parser really read the catalogue
    untranslated = [
        entry.msgid
        for entry in catalogue
        if not entry.msgstr or any(not text.strip() for text in entry.msgstr.values())
    ]
    fuzzy = [entry.msgid for entry in catalogue if "fuzzy" in entry.flags]
    plural_forms_missing = [
        entry.msgid
        for entry in catalogue
        if entry.msgid_plural is not None and sorted(entry.msgstr) != [0, 1]
    ]
    assert untranslated == []
    assert fuzzy == []
    assert plural_forms_missing == []


def test_msgfmt_accepts_the_catalogue_and_counts_nothing_untranslated_or_fuzzy(tmp_path):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "django.mo"), str(PO_PATH)],
        capture_output=True,
        text=True,
        env={"LC_ALL": "C", "PATH": "/usr/bin:/bin:/usr/local/bin"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    statistics = result.stderr + result.stdout
    assert re.search(r"\d+ translated messages?\.", statistics), statistics
    assert "untranslated" not in statistics, statistics
    assert "fuzzy" not in statistics, statistics


# --- (c) consistent: placeholders and markup kept ------------------------------------------

PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%%|\{\w*\}")
TAG = re.compile(r"</?\w+[^>]*>")


def _placeholders(text: str) -> list[str]:
    return sorted(match.group(0) for match in PLACEHOLDER.finditer(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("%(counter)s dag kvar.", ["%(counter)s"]),
        ("%(percent)s %% genomfört", ["%%", "%(percent)s"]),
        ("Högst %(limit_value)d tecken", ["%(limit_value)d"]),
        ("Inga platshållare.", []),
    ],
)
def test_the_placeholder_pattern_finds_python_format_placeholders(text, expected):
    assert _placeholders(text) == sorted(expected)


def test_every_translation_keeps_the_placeholders_of_its_msgid(catalogue):
    mismatches = []
    for entry in catalogue:
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural is not None else [])
        expected = set().union(*(_placeholders(source) for source in sources))
        for number, text in sorted(entry.msgstr.items()):
            found = _placeholders(text)
            # Every placeholder of the msgid must survive; an unknown one would raise KeyError.
            if set(found) != expected or found.count("%%") != _placeholders(sources[0]).count("%%"):
                mismatches.append((entry.msgid, number, text))
    assert mismatches == []


def test_every_translation_keeps_the_markup_of_its_msgid(catalogue):
    mismatches = [
        (entry.msgid, text)
        for entry in catalogue
        for text in entry.msgstr.values()
        if sorted(TAG.findall(text)) != sorted(TAG.findall(entry.msgid))
    ]
    assert mismatches == []


def test_python_format_entries_are_flagged_so_msgfmt_checks_them(catalogue):
    unflagged = [
        entry.msgid
        for entry in catalogue
        if re.search(r"%\(\w+\)", entry.msgid) and "python-format" not in entry.flags
    ]
    assert unflagged == []


# --- (b) used: English pages in English, Swedish pages in Swedish ----------------------------


@pytest.fixture
def compiled_catalogue():
    assert MO_PATH.exists() and MO_PATH.stat().st_mtime >= PO_PATH.stat().st_mtime, (
        f"{MO_PATH} is missing or older than the .po file: run "
        "`python manage.py compilemessages --ignore=.venv` (scripts/test.sh does)."
    )


@pytest.mark.parametrize(
    ("swedish", "english"),
    [
        ("Mina uppgifter", "My tasks"),
        ("Granskning", "Review"),
        ("Återsänd för komplettering", "Returned for completion"),
        ("Företrädd av Storsthlm", "Represented by Storsthlm"),
        ("Enligt plan", "On track"),
    ],
)
def test_gettext_returns_the_english_domain_terms(compiled_catalogue, swedish, english):
    with translation.override("en"):
        assert translation.gettext(swedish) == english
    with translation.override("sv"):
        assert translation.gettext(swedish) == swedish


def test_plural_forms_follow_the_english_rule(compiled_catalogue):
    with translation.override("en"):
        assert (
            translation.ngettext("%(counter)s dag kvar.", "%(counter)s dagar kvar.", 1)
            % {"counter": 1}
            == "1 day left."
        )
        assert (
            translation.ngettext("%(counter)s dag kvar.", "%(counter)s dagar kvar.", 3)
            % {"counter": 3}
            == "3 days left."
        )


ENGLISH_ON_HOME = ["Log in", "Log in to report", "Skip to content", "Commitments", "Language"]
SWEDISH_ON_HOME = ["Logga in", "Logga in för att rapportera", "Hoppa till innehållet", "Åtaganden"]


@pytest.mark.django_db
def test_the_home_page_is_english_when_the_browser_asks_for_english(client, compiled_catalogue):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en" class="govuk-template">' in html
    for text in ENGLISH_ON_HOME:
        assert text in html
    for text in SWEDISH_ON_HOME:
        assert text not in html


@pytest.mark.django_db
def test_the_home_page_is_swedish_by_default(client, compiled_catalogue):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="sv" class="govuk-template">' in html
    for text in SWEDISH_ON_HOME:
        assert text in html
    assert "Log in" not in html
    assert "Skip to content" not in html


@pytest.mark.django_db
def test_the_login_page_is_english_when_the_browser_asks_for_english(client, compiled_catalogue):
    html = client.get("/konto/logga-in/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Forgotten your password?" in html
    assert "Glömt lösenordet?" not in html


@pytest.mark.django_db
def test_choosing_english_in_the_language_switch_makes_the_next_page_english(
    client, compiled_catalogue
):
    assert "Logga in för att rapportera" in client.get("/").content.decode()

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert response.status_code == 302
    assert response["Location"] == "/"
    html = client.get("/").content.decode()
    assert '<html lang="en" class="govuk-template">' in html
    assert "Log in to report" in html
    assert "Logga in för att rapportera" not in html

    client.post("/i18n/setlang/", {"language": "sv", "next": "/"})
    assert "Logga in för att rapportera" in client.get("/").content.decode()


def test_every_string_in_the_code_and_templates_is_in_the_english_catalogue(tmp_path):
    """Extract the strings afresh from a copy of the project: nothing may be new or changed."""
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "tests", "*.mo", "__pycache__", "media", "node_modules"
        ),
    )
    subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "python"),
            "manage.py",
            "makemessages",
            "-l",
            "en",
            "--no-obsolete",
            "--no-location",
        ],
        cwd=copy,
        env=os.environ | {"DJANGO_SETTINGS_MODULE": "kvinnofrid.settings"},
        check=True,
        capture_output=True,
    )
    fresh = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", "locale/en/LC_MESSAGES/django.po"],
        cwd=copy,
        capture_output=True,
        text=True,
        check=True,
    ).stderr

    assert "untranslated" not in fresh and "fuzzy" not in fresh, (
        f"{fresh.strip()}: run `manage.py makemessages -l en --ignore=.venv --ignore=tests "
        "--ignore=node_modules --no-obsolete` and translate the new strings"
    )
