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
from django_guid.integrations import CeleryIntegration
from pythonjsonlogger.core import RESERVED_ATTRS

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
    # English names (django-modeltranslation): before the admin, as it asks (see the block
    # "English names" below).
    "modeltranslation",
    # Django's admin, behind two factors (kvinnofrid/admin.py).
    "kvinnofrid.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "guardian",
    "simple_history",
    "auditlog",
    "django_filters",
    "health_check",
    "axes",
    "csp",
    "django_guid",
    "audit",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "actors",
    "actionplan",
    "followup",
    "indicators",
    "countyreport",
    "practices",
    "prize",
    "privacy",
    "demo",
]

MIDDLEWARE = [
    # First: the request id (django-guid) and the one log line per request (kvinnofrid.logs).
    "django_guid.middleware.guid_middleware",
    "kvinnofrid.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the request body (CsrfViewMiddleware and the views do).
    "kvinnofrid.middleware.RequestBodyLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The audit log's person, address and request id for every change a request makes, and an
    # entry for every refused access (audit.middleware); after the person is known.
    "audit.middleware.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "actors.sessions.SessionLimitsMiddleware",
    # After the session limits: a code still to enter, or an app to set up, comes first.
    # (Not django-otp's OTPMiddleware: it would load the device on every request.)
    "actors.two_factor.TwoFactorMiddleware",
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

# The audit log (händelselogg, audit/): who changed what, and the sign-ins, sign-outs and refused
# accesses, for administrators at /administration/logg/. django-auditlog records the changes of
# the models below: registering one more is one line here (the page's filter offers it at once).
# Only fields that decide access or the plans' content are recorded; nothing secret ever is
# (audit.checks refuses a registration that would record a password, token, key or link).
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    {"model": "actors.organisation"},
    {"model": "actors.membership", "exclude_fields": ["created_at"]},
    # A person's roles in the admin; never their password, last sign-in, name or address.
    {"model": "actors.user", "include_fields": ["is_active", "is_staff", "is_superuser"]},
    # modeltranslation's "<field>_sv" columns repeat the field itself (Swedish is the default
    # language): recording both would show every change twice. The English ones are recorded.
    {"model": "actionplan.actionplan", "exclude_fields": ["title_sv"]},
    {"model": "actionplan.commitment", "exclude_fields": ["created_at", "updated_at"]},
    {"model": "actionplan.delegation", "exclude_fields": ["created_at"]},
    {"model": "followup.reportingperiod"},
    # Invitations: who invited whom, with which role, accepted or revoked; never the token's hash.
    {"model": "actors.invitation", "exclude_fields": ["token_hash"]},
    # indicators: the definitions county staff change (an import of values is one event).
    {"model": "indicators.indicator", "exclude_fields": ["name_sv", "description_sv"]},
)
# Many-to-many fields recorded too, in the same entry as the rest of the save (audit.relations).
AUDIT_LOG_M2M_FIELDS = {"actionplan.commitment": ["participating_organisations"]}
# How long entries are kept: pruned every night (Celery beat) and by `prune_audit_log`.
AUDIT_LOG_RETENTION_DAYS = env.int("AUDIT_LOG_RETENTION_DAYS", default=730)
# Kinds of entry that are one field's change, for the page's filter: {kind: (model, field, label)}.
AUDIT_LOG_FIELD_KINDS = {
    "period_lock": ("followup.reportingperiod", "locked_at", _("Låsning av period")),
}
# Related objects are stored by name as they were then (the page needs no query per value).
AUDITLOG_USE_FK_STRING_REPRESENTATION = True
# Each entry carries the request id (django-guid) of the request or task that wrote it, the same
# id as in the log lines.
AUDITLOG_CID_GETTER = "django_guid.get_guid"

# Two factors (actors/two_factor.py, django-otp): administrators, county staff and staff enter a
# code from an authenticator app after the password; others may turn it on. After n wrong codes
# in a row a device checks nothing for 2^(n-1) seconds (the factor; 0 would turn it off).
OTP_TOTP_ISSUER = "Operation Kvinnofrid"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows an app's secret

# Forgotten passwords: resets are counted in the cache (django-ratelimit, which needs no entry in
# INSTALLED_APPS; its system check would flag Django's own Redis cache as unknown). An address
# gets at most 3 reset e-mails an hour, whoever asks; one client may ask 20 times an hour. The
# client is REMOTE_ADDR, or, behind a proxy, the request header the proxy alone sets to the
# visitor's address, named as in request.META (e.g. HTTP_X_REAL_IP): otherwise every visitor
# would share the proxy's count.
PASSWORD_RESET_RATE_PER_ADDRESS = env.str("PASSWORD_RESET_RATE_PER_ADDRESS", default="3/h")
PASSWORD_RESET_RATE_PER_CLIENT = env.str("PASSWORD_RESET_RATE_PER_CLIENT", default="20/h")
# A visitor's nomination to Kvinnofridspriset e-mails an unconfirmed address: 5 an hour per client.
PRIZE_VISITOR_NOMINATION_RATE = env.str("PRIZE_VISITOR_NOMINATION_RATE", default="5/h")
RATELIMIT_IP_META_KEY = env.str("DJANGO_CLIENT_IP_HEADER", default="") or None

# How long the link in an invitation e-mail works (actors.services.invitation_create). Its
# token has 256 random bits, so guessing one is hopeless and the page needs no rate limit.
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=7)

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("Engelska"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Stockholm")
USE_I18N = True
USE_TZ = True

# --- English names (django-modeltranslation; actionplan/translation.py, indicators/translation.py)
# Goals, plans, violence areas, the county's name and indicators get a `<field>_en` column,
# shown when the interface is English. Swedish is the source: the field's own column keeps the
# Swedish value (exports, the county report and joins from other tables read it), `<field>_sv`
# holds the same, and an English name left empty falls back to the Swedish one.
MODELTRANSLATION_DEFAULT_LANGUAGE = "sv"
MODELTRANSLATION_LANGUAGES = ("sv", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("sv",)

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

# countyreport: the built county reports live outside MEDIA_ROOT, so that no web server serves
# them: every download goes through a view that checks who may read the build. Deterministic
# names and allow_overwrite, so that a build the broker delivers twice writes the same files.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private")))
STORAGES["countyreport"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": PRIVATE_MEDIA_ROOT / "countyreport", "allow_overwrite": True},
}
# Test-only: the build sleeps this many seconds at this step of its first attempt (SIGKILL test).
COUNTYREPORT_PAUSE_AT_STEP = ""
COUNTYREPORT_PAUSE_SECONDS = 0

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
    # prize: the call's reminders, after the follow-up's.
    "prize-reminder-sweep": {
        "task": "prize.reminders_sweep",
        "schedule": crontab(hour=7, minute=15),
    },
    # The audit log keeps AUDIT_LOG_RETENTION_DAYS of entries.
    "audit-log-prune": {
        "task": "audit.audit_log_prune",
        "schedule": crontab(hour=3, minute=30),
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

# Named on the pages about personal data and accessibility (/personuppgifter/, /tillganglighet/):
# who is responsible for the personal data (personuppgiftsansvarig), and where to write.
PRIVACY_CONTROLLER = env.str("PRIVACY_CONTROLLER", default="Länsstyrelsen i Stockholms län")
PRIVACY_CONTACT_EMAIL = env.str("PRIVACY_CONTACT_EMAIL", default="dataskydd@kvinnofrid.example")
ACCESSIBILITY_CONTACT_EMAIL = env.str(
    "ACCESSIBILITY_CONTACT_EMAIL", default="tillganglighet@kvinnofrid.example"
)

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

# Content-Security-Policy (django-csp): scripts and styles only from the portal's own static
# files, never inline (no <script> or <style> in templates, no style= or on…= attributes), and no
# page inside another site's frame. The admin lives with it as it is (see README, Production).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Request bodies: larger ones are refused (413) by RequestBodyLimitMiddleware before they are
# read. The default is Django's own limit for form data; the pages named here (URL names, as
# "app:name") take an import file of up to REQUEST_BODY_IMPORT_MAX_SIZE. The reverse proxy
# refuses anything above 11 MB before it reaches Django (client_max_body_size 11m in nginx).
REQUEST_BODY_MAX_SIZE = env.int("REQUEST_BODY_MAX_SIZE", default=2_621_440)  # 2.5 MB
REQUEST_BODY_IMPORT_MAX_SIZE = env.int("REQUEST_BODY_IMPORT_MAX_SIZE", default=10 * 1024 * 1024)
REQUEST_BODY_IMPORT_URL_NAMES: list[str] = ["actionplan:commitment-import"]
# indicators: the upload of indicator values (CSV or Kolada JSON).
REQUEST_BODY_IMPORT_URL_NAMES += ["indicators:manage-import"]

# --- prize ------------------------------------------------------------------------------------
# A nomination's form takes an attachment of up to 10 MB (and the form around it): a little
# more than the import, still below the proxy's 11 MB.
REQUEST_BODY_URL_LIMITS: dict[str, int] = {
    "prize:nominate": 10 * 1024 * 1024 + 512 * 1024,
    "prize:nomination-edit": 10 * 1024 * 1024 + 512 * 1024,
}
# The reminder that the last day to nominate is near goes this many days before it.
PRIZE_DEADLINE_REMINDER_DAYS = env.int("PRIZE_DEADLINE_REMINDER_DAYS", default=7)

# --- Logs: request ids and structured lines (operator's kit) ---------------------------------
# django-guid gives each request an id (a valid incoming X-Request-ID, for instance the proxy's,
# else a new one), returns it in the response and hands it on to the Celery tasks the request
# queues; kvinnofrid.logs writes one line per request and one per task. Lines are JSON in
# production (python-json-logger) and readable text in the quick start; LOG_FORMAT=json|text
# chooses either way.
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": False,
    "INTEGRATIONS": [CeleryIntegration(use_django_logging=True)],
}
# django-axes names sign-in attempts by a pseudonym, not by username, address and browser.
AXES_CLIENT_STR_CALLABLE = "kvinnofrid.logs.axes_client_str"
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured("LOG_FORMAT must be json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {
            "()": "django_guid.log_filters.CorrelationId",
            "correlation_id_field": "request_id",
        }
    },
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": True,
            # Django hands the request object to its error lines; its text holds the query.
            "reserved_attrs": [*RESERVED_ATTRS, "request"],
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own console handler would print its messages a second time.
        "django": {"handlers": [], "propagate": True},
        # The request line replaces runserver's (which shows query strings) and Django's
        # warning per 4xx answer; errors with their traceback are still logged.
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        "django_guid": {"level": "WARNING"},
        # The task line replaces Celery's "received" and "succeeded" lines (the latter shows
        # the task's return value); failures are still logged.
        "celery.app.trace": {"level": "WARNING"},
        "celery.worker.strategy": {"level": "WARNING"},
        # countyreport: WeasyPrint logs a line per page laid out, thousands per county report.
        "weasyprint.progress": {"level": "WARNING"},
    },
}
