"""How the portal starts, or refuses to, depending on its environment."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_DEBUG": "off",
    "DJANGO_SECRET_KEY": "x" * 60 + "-a-long-random-production-secret",
    "DJANGO_ALLOWED_HOSTS": "kvinnofrid.example.se",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/1",
}


def manage(*args: str, **environment: str) -> subprocess.CompletedProcess:
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "CELERY_", "REDIS_", "EMAIL_"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean | environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_refused_in_one_line(result: subprocess.CompletedProcess, *words: str):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1, message
    for word in words:
        assert word in message


def test_production_without_a_secret_key_refuses_to_start():
    environment = PRODUCTION | {"DJANGO_SECRET_KEY": ""}

    assert_refused_in_one_line(manage("check", **environment), "DJANGO_SECRET_KEY")


def test_production_without_a_broker_refuses_to_start():
    # Without a broker, tasks would run in-process and no beat would send reminders on time.
    environment = PRODUCTION | {"CELERY_BROKER_URL": ""}

    assert_refused_in_one_line(manage("check", **environment), "CELERY_BROKER_URL")


def test_production_takes_the_broker_from_redis_url_when_no_broker_is_named():
    environment = PRODUCTION | {"CELERY_BROKER_URL": "", "REDIS_URL": "redis://127.0.0.1:6379/0"}

    assert manage("check", **environment).returncode == 0


def test_production_without_allowed_hosts_refuses_to_start():
    environment = PRODUCTION | {"DJANGO_ALLOWED_HOSTS": ""}

    assert_refused_in_one_line(manage("check", **environment), "DJANGO_ALLOWED_HOSTS")


@pytest.mark.parametrize(
    "url", ["nonsense", "mysql://u@h/db", "postgres://u@h:notaport/db", "postgres://u@h/"]
)
def test_a_malformed_database_url_gives_a_clear_message(url):
    result = manage("check", DATABASE_URL=url, DJANGO_DEBUG="on")

    assert_refused_in_one_line(result, "DATABASE_URL")


def test_a_deployment_that_names_its_database_but_not_debug_gets_production_settings():
    result = manage("check", DATABASE_URL="postgres://kvinnofrid@db.example/kvinnofrid")

    assert_refused_in_one_line(result, "DJANGO_SECRET_KEY")


def test_a_malformed_broker_url_gives_a_clear_message():
    result = manage("check", CELERY_BROKER_URL="amqp//nowhere")

    assert_refused_in_one_line(result, "CELERY_BROKER_URL")


def test_the_quick_start_needs_no_environment_at_all():
    assert manage("check").returncode == 0


def test_the_quick_start_runs_tasks_in_process():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.CELERY_TASK_ALWAYS_EAGER)",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_production_settings_pass_the_deployment_checklist():
    # As an operator sets them (deploy/kvinnofrid.env.example): all of them, a random key.
    environment = PRODUCTION | {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://kvinnofrid.example.se",
        "SITE_URL": "https://kvinnofrid.example.se",
        "DATABASE_URL": "postgres://kvinnofrid:secret@127.0.0.1:5432/kvinnofrid",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/1",
        "EMAIL_URL": "smtp+tls://portal:secret@smtp.example.se:587",
        "HEALTH_CHECK_TOKEN": secrets.token_urlsafe(32),
        "LOG_FORMAT": "json",
    }

    result = manage("check", "--deploy", "--fail-level", "WARNING", **environment)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (1 silenced).", result


def test_production_without_a_shared_cache_is_warned_that_login_lock_outs_do_not_hold():
    # Each web process would count failed logins on its own (django-axes' check).
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode != 0
    assert "axes.W001" in result.stderr


def test_production_sends_the_language_cookie_only_over_https_and_same_site():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; "
        "print(settings.LANGUAGE_COOKIE_SECURE, settings.LANGUAGE_COOKIE_SAMESITE, "
        "settings.LANGUAGE_COOKIE_HTTPONLY)",
        **PRODUCTION,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True Lax True"


def log_format(**environment: str) -> str:
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; "
        "print(settings.LOGGING['handlers']['console']['formatter'])",
        **environment,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_quick_start_logs_readable_text_and_production_json_lines():
    assert log_format() == "text"
    assert log_format(**PRODUCTION) == "json"
    assert log_format(LOG_FORMAT="json") == "json"
    assert log_format(**PRODUCTION, LOG_FORMAT="text") == "text"


def test_an_unknown_log_format_gives_a_clear_message():
    assert_refused_in_one_line(manage("check", LOG_FORMAT="xml"), "LOG_FORMAT")
