"""Settings for the Kvinnofrid portal, read from environment variables (12-factor).

With no environment at all the portal runs as the quick start: debug on, a SQLite file, tasks
executed in-process and e-mail printed to the console. Production differs by environment values
only, and refuses to start without the values it cannot guess safely.
"""

import datetime
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()


def _url_setting(name: str, parse, default: str):
    """Parse a URL variable, turning a malformed value into one clear sentence."""
    raw = env.str(name, default="") or default
    try:
        return parse(raw)
    except Exception as error:  # environ raises several kinds; the operator needs one message
        raise ImproperlyConfigured(
            f"{name} is not a valid URL ({error.__class__.__name__}: {error}); "
            f"see the configuration table in README.md."
        ) from None


def _parse_database_url(raw: str) -> dict:
    if not raw.startswith(("postgres://", "postgresql://", "sqlite:///")):
        raise ValueError("expected postgres://user:password@host:port/name or sqlite:///path")
    config = env.db_url_config(raw)
    if not config.get("NAME"):
        raise ValueError("the database name is missing")
    return config


def _parse_broker_url(raw: str) -> str:
    if raw and not raw.startswith(("redis://", "rediss://", "memory://")):
        raise ValueError("expected redis://host:port/db")
    return raw


# Debug is the default only for the zero-configuration quick start: a deployment that names its
# database but forgets DJANGO_DEBUG gets production settings (and must then set a secret key).
DEBUG = env.bool("DJANGO_DEBUG", default=not env.str("DATABASE_URL", default=""))

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (production)."
        )
    SECRET_KEY = "insecure-quick-start-key-never-use-in-production"

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS must list the portal's host names when DJANGO_DEBUG is off."
        )
    ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# The public address, used for links in e-mails sent by background jobs (no request at hand).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "guardian",
    "simple_history",
    "django_filters",
    "health_check",
    "axes",
    "actors",
    "actionplan",
    "followup",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "actors.sessions.SessionLimitsMiddleware",
    "kvinnofrid.middleware.PrivatePagesNotStoredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kvinnofrid.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "actors.context_processors.access",
            ],
        },
    },
]

WSGI_APPLICATION = "kvinnofrid.wsgi.application"

DATABASES = {
    "default": _url_setting(
        "DATABASE_URL", _parse_database_url, f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = _url_setting("REDIS_URL", _parse_broker_url, "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "actors.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Guardian's anonymous user would be a row every migration has to create; visitors get
# nothing through object permissions anyway.
ANONYMOUS_USER_NAME = None

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        # Issue 11: a 9-character password was accepted; Django's default is 8.
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# How long a sign-in lasts (actors/sessions.py): signed out after this long without a request,
# county staff, administrators and staff sooner; and everyone this long after signing in.
SESSION_IDLE_LIMIT = datetime.timedelta(minutes=env.int("SESSION_IDLE_MINUTES", default=120))
SESSION_IDLE_LIMIT_STAFF = datetime.timedelta(
    minutes=env.int("SESSION_IDLE_MINUTES_STAFF", default=30)
)
SESSION_ABSOLUTE_LIMIT = datetime.timedelta(hours=env.int("SESSION_ABSOLUTE_HOURS", default=12))
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_LIMIT.total_seconds())
# The report form warns this long before the idle end, with a button to keep working.
SESSION_WARNING_BEFORE = datetime.timedelta(minutes=2)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "followup:my-tasks"
LOGOUT_REDIRECT_URL = "/"

# Guessing passwords (django-axes, on every authenticate(): the portal's and the admin's login).
# Five failures lock the account for 15 minutes, from any address, so an account guessed at from
# many addresses is protected too (which covers a lock per account and address). The address
# alone is deliberately no lock: behind the proxy every request may come from one address, and a
# municipality's staff share one, so it would lock out everyone; axes' check asking for one
# (axes.W006) is silenced for that reason. A success resets the count. The counters live in the
# cache, which must be the shared Redis (REDIS_URL) when several processes serve the portal:
# axes' check axes.W001 says so otherwise.
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_ENABLE_ADMIN = False  # the cache handler keeps no rows for the admin to show
AXES_VERBOSE = False  # no start-up banner; failures and lock-outs are still logged
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
if DEBUG and not REDIS_URL:
    # The quick start is one process, so its in-memory cache counts every attempt.
    SILENCED_SYSTEM_CHECKS += ["axes.W001"]

# Forgotten passwords: resets are counted in the cache (django-ratelimit, which needs no entry in
# INSTALLED_APPS; its system check would flag Django's own Redis cache as unknown). An address
# gets at most 3 reset e-mails an hour, whoever asks; one client may ask 20 times an hour. The
# client is REMOTE_ADDR, or, behind a proxy, the request header the proxy alone sets to the
# visitor's address, named as in request.META (e.g. HTTP_X_REAL_IP): otherwise every visitor
# would share the proxy's count.
PASSWORD_RESET_RATE_PER_ADDRESS = env.str("PASSWORD_RESET_RATE_PER_ADDRESS", default="3/h")
PASSWORD_RESET_RATE_PER_CLIENT = env.str("PASSWORD_RESET_RATE_PER_CLIENT", default="20/h")
RATELIMIT_IP_META_KEY = env.str("DJANGO_CLIENT_IP_HEADER", default="") or None

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("Engelska"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Stockholm")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# In development, serve what is in the app folders; production serves collected files.
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

EMAIL_CONFIG = _url_setting(
    "EMAIL_URL", env.email_url_config, "consolemail://" if DEBUG else "smtp://localhost:25"
)
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Operation Kvinnofrid <noreply@kvinnofrid.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# Celery: without a broker the quick start runs every task in-process, at once. Production
# needs one: in-process tasks have no beat, so no reminder would ever go out on schedule.
CELERY_BROKER_URL = _url_setting("CELERY_BROKER_URL", _parse_broker_url, REDIS_URL)
if not CELERY_BROKER_URL and not DEBUG:
    raise ImproperlyConfigured(
        "CELERY_BROKER_URL (or REDIS_URL) must name the Redis broker when DJANGO_DEBUG is off."
    )
CELERY_RESULT_BACKEND = CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 60 * 60 * 24
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # Every morning, Stockholm time (Celery follows CELERY_TIMEZONE across daylight saving).
    "reminder-sweep": {
        "task": "followup.reminders_sweep",
        "schedule": crontab(hour=7, minute=0),
    },
    "reminder-requeue": {
        "task": "followup.reminders_requeue_stale",
        "schedule": crontab(minute="*/10"),
    },
}
# A task waiting for its retry longer than this is handed out again by Redis: keep it well
# above the longest retry wait below.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 12 * 60 * 60}
# Sending a reminder is retried with doubling waits while the mail server is unreachable:
# by default 1 min, 2 min, 4 min … capped at an hour, for about three days before giving up.
REMINDER_RETRY_BASE_SECONDS = env.int("REMINDER_RETRY_BASE_SECONDS", default=60)
REMINDER_RETRY_MAX_SECONDS = env.int("REMINDER_RETRY_MAX_SECONDS", default=60 * 60)
REMINDER_MAX_RETRIES = env.int("REMINDER_MAX_RETRIES", default=80)

# The deep health check (/health/) answers only requests that carry this token; without one it
# answers nobody. /health/live/ is open to all and checks nothing but the web process.
HEALTH_CHECK_TOKEN = env.str("HEALTH_CHECK_TOKEN", default="")

# Security: strict when debug is off, so that `check --deploy` passes in production.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
# The language cookie only says "sv" or "en", but is no business of scripts or other sites.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Django's own console handler would print its messages a second time.
    "loggers": {"django": {"handlers": [], "propagate": True}},
}
