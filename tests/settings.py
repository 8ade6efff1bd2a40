"""Test settings: the real settings, with only what the tests need changed."""

import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from kvinnofrid.settings import *  # noqa: F403
from kvinnofrid.settings import DATABASES, env

if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    # Never fall back silently: constraints and locking must be proven on the production database.
    raise ImproperlyConfigured(
        "The test suite runs on PostgreSQL only: run it with scripts/test.sh, "
        "or set DATABASE_URL to a PostgreSQL server."
    )

# Fast hashing: the tests create many users and prove nothing about hashing cost.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# In-memory mail, except in the worker process of the integration tests, which sends through
# a real SMTP server on loopback (TEST_EMAIL_URL, set by the worker fixture).
if _test_email_url := env.str("TEST_EMAIL_URL", default=""):
    vars().update(env.email_url_config(_test_email_url))
    EMAIL_TIMEOUT = 5
else:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Retries of a failed send come after 1 and 2 seconds, not minutes.
REMINDER_RETRY_BASE_SECONDS = 1
REMINDER_RETRY_MAX_SECONDS = 2
# Unit tests run tasks in-process; the integration tests use a real worker process, which
# (TEST_CELERY_WORKER) queues the tasks it starts on Redis like production does.
CELERY_TASK_ALWAYS_EAGER = not env.bool("TEST_CELERY_WORKER", default=False)
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Migrations must be safe on a live database (`tests/test_migrations.py` runs the linter):
# no NOT NULL column without a default, no renamed or dropped column or table, no index built
# without CONCURRENTLY, and data migrations that can be reversed. Only the portal's own apps;
# their squashed initial migrations pass too (indexes on tables they create lock nobody).
INSTALLED_APPS = [*INSTALLED_APPS, "django_migration_linter"]  # noqa: F405
MIGRATION_LINTER_OPTIONS = {
    "include_apps": ["actors", "actionplan", "followup", "demo", "indicators", "prize"],
    "warnings_as_errors": [],  # all of them: CREATE_INDEX is only a warning by default
    "no_cache": True,
    # indicators: the move of Indicator and IndicatorValue into their own app drops actionplan's
    # two small tables after indicators 0003 copied every row (tests/indicators/test_migration.py).
    "ignore_name": [
        "0007_indicators_moved_to_their_own_app",
        # English names: the unique English and Swedish-copy columns of the strategy, plans,
        # violence areas and indicators get their indexes at once. These reference tables hold
        # a few dozen rows (actionplan 0008, indicators 0004), so the lock lasts milliseconds.
        "0008_english_names",
        "0004_english_names",
    ],
}

# --- prize ---------------------------------------------------------------------------------------
# Nomination attachments are written to a throwaway folder, never the working tree.
MEDIA_ROOT = tempfile.mkdtemp(prefix="kvinnofrid-test-media-")
# countyreport: the built files in a folder of their own, shared with the test worker process;
# the SIGKILL test makes the worker's first attempt pause at a step (see countyreport.services).
PRIVATE_MEDIA_ROOT = Path(tempfile.gettempdir()) / "kvinnofrid-tests-private"
STORAGES["countyreport"] = {
    **STORAGES["countyreport"],  # noqa: F405
    "OPTIONS": {"location": PRIVATE_MEDIA_ROOT / "countyreport", "allow_overwrite": True},
}
COUNTYREPORT_PAUSE_AT_STEP = env.str("TEST_COUNTYREPORT_PAUSE_AT_STEP", default="")
COUNTYREPORT_PAUSE_SECONDS = env.int("TEST_COUNTYREPORT_PAUSE_SECONDS", default=0)
# The SIGKILL test's second worker finds a message its killed predecessor never acknowledged
# within seconds, not after the production visibility timeout.
if _visibility_timeout := env.int("TEST_BROKER_VISIBILITY_TIMEOUT", default=0):
    CELERY_BROKER_TRANSPORT_OPTIONS = {  # noqa: F405
        **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
        "visibility_timeout": _visibility_timeout,
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
