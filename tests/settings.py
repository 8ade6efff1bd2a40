"""Test settings: the real settings, with only what the tests need changed."""

from django.core.exceptions import ImproperlyConfigured

from kvinnofrid.settings import *  # noqa: F403
from kvinnofrid.settings import DATABASES

if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    # Never fall back silently: constraints and locking must be proven on the production database.
    raise ImproperlyConfigured(
        "The test suite runs on PostgreSQL only: run it with scripts/test.sh, "
        "or set DATABASE_URL to a PostgreSQL server."
    )

# Fast hashing: the tests create many users and prove nothing about hashing cost.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Unit tests run tasks in-process; the integration tests switch this off and use a real worker.
CELERY_TASK_ALWAYS_EAGER = True
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
