"""Tongtui settings: one module, read from environment variables through strict helpers."""

import datetime
import os
import tempfile
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def envstr(name: str, default: str = "") -> str:
    file_name = os.environ.get(name + "_FILE")
    if file_name:
        return Path(file_name).read_text().strip()
    return os.environ.get(name, default)


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default)
    if value not in ("True", "False", "1", "0"):
        raise ValueError(f"{name} must be True or False (or 1 / 0), not {value!r}")
    return value in ("True", "1")


def envint(name: str, default: str) -> int:
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name} must be an integer, not {value!r}") from None


DEVELOPMENT_SECRET_KEY = "tongtui-insecure-development-key-change-me"  # refused by wsgi.py unless DEBUG
SECRET_KEY = envstr("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
DEBUG = envbool("DEBUG", "False")
ALLOWED_HOSTS = [h for h in envstr("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in envstr("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
# HTTPS=True when the site is served over HTTPS (behind nginx or a load balancer that sets
# X-Forwarded-Proto): Secure cookies, HSTS, a redirect from http, and the proxy's header trusted.
HTTPS = envbool("HTTPS", "False")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and envbool("HTTPS_REDIRECT", "True")
SECURE_HSTS_SECONDS = envint("HSTS_SECONDS", "31536000") if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS and envbool("HSTS_INCLUDE_SUBDOMAINS", "False")
SECURE_HSTS_PRELOAD = HTTPS and envbool("HSTS_PRELOAD", "False")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_PROXY", "False") else None
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer's health check speaks plain http on the inside
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = envint("SESSION_HOURS", "12") * 3600
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SITE_NAME = envstr("SITE_NAME", "统推")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "simple_history",
    "tongtui.core",
    "tongtui.orgs",
    "tongtui.plans",
    "tongtui.notify",
    "tongtui.dispatch",
    "tongtui.supervision",
    "tongtui.assessment",
    "tongtui.publicity",
    "tongtui.collaboration",
    "tongtui.calendars",
    "tongtui.home",
    "tongtui.setup",
    "tongtui.api",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tongtui.core.logs.RequestLogMiddleware",
    "tongtui.core.replica.ReplicaMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tongtui.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tongtui.orgs.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last: it turns a lockout found during the request into the answer
]

# Login throttling (django-axes), per account on the login page and the token endpoint: after
# LOGIN_FAILURE_LIMIT wrong passwords further tries — the right one included — are refused for
# LOGIN_COOLOFF_MINUTES; the office sees the locked logins under 设置 → 登录锁定 and can lift a lock.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", "10")
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("LOGIN_COOLOFF_MINUTES", "30"))
AXES_LOCKOUT_PARAMETERS = ["username"]  # per account, as offices expect: a shared office NAT must not lock all
SILENCED_SYSTEM_CHECKS = ["axes.W006"]  # (axes warns when the address is not part of the lock: by choice here)
# HSTS for the parent domain's other sites (W005) and the browsers' preload list (W021) bind sites that other
# offices run under the same domain: the operator opts in (HSTS_INCLUDE_SUBDOMAINS, HSTS_PRELOAD), never us.
if not SECURE_HSTS_INCLUDE_SUBDOMAINS:
    SILENCED_SYSTEM_CHECKS.append("security.W005")
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS.append("security.W021")
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tongtui.orgs.lockout.lockout_response"
AXES_VERBOSE = False

# --- API tokens and Content-Security-Policy (docs/security.md) -----------------------------------
# An API token works for API_TOKEN_DAYS after it was made; its owner rotates it, the office revokes it.
API_TOKEN_DAYS = envint("API_TOKEN_DAYS", "90")
# Every page: scripts and style sheets only from this site (the front end is vendored, no inline script);
# inline style attributes only (ECharts' tooltips and a few templates use them), never inline <style>.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

ROOT_URLCONF = "tongtui.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "tongtui.core.context.site",
            ],
        },
    },
]

WSGI_APPLICATION = "tongtui.wsgi.application"

DATABASE_URL = envstr("DATABASE_URL", f"sqlite:///{PROJECT_DIR / 'tongtui.sqlite3'}")
# Connections are kept for DB_CONN_MAX_AGE seconds (opening one to PostgreSQL costs 20-45 ms a request) and
# checked before reuse, so a restarted database costs one failed check, not an error page.
# (SQLite opens a file in microseconds: it keeps none by default.)
DB_CONN_MAX_AGE = envint("DB_CONN_MAX_AGE", "0" if DATABASE_URL.startswith("sqlite") else "60")
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=DB_CONN_MAX_AGE, conn_health_checks=True)
}
# A read replica (PostgreSQL streaming replication): the pages that only read (lists, cockpit, exports, the
# public page) may read from it; writes, and anything read in a request that writes, go to the primary.
DATABASE_REPLICA_URL = envstr("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=DB_CONN_MAX_AGE, conn_health_checks=True
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    REPLICA_PIN_SECONDS = envint("REPLICA_PIN_SECONDS", "10")
    DATABASE_ROUTERS = ["tongtui.core.replica.ReplicaRouter"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    # Tests run on a file, not in memory, so that parallel requests in the race tests each get a connection
    # of their own with SQLite's real locking (an in-memory database shares one cache and refuses at once).
    DATABASES["default"]["TEST"] = {
        "NAME": envstr("TEST_SQLITE_NAME", "")
        or str(Path(tempfile.gettempdir()) / f"tongtui-test-{os.getpid()}.sqlite3")
    }
else:
    DATABASES["default"]["TEST"] = {"NAME": envstr("TEST_DB_NAME", "") or None}
# PostgreSQL plans a task read with its six relations in about 2 ms and runs it in 0.1 ms: a statement run the same
# way five times on a connection is prepared (server-side binding), so its plan is kept and not made again. Behind
# PgBouncer in transaction mode (before 1.21, or without max_prepared_statements) set DB_PREPARED_STATEMENTS=0.
DB_PREPARED_STATEMENTS = envstr("DB_PREPARED_STATEMENTS", "1") != "0"
for _db in DATABASES.values():
    if "postgresql" in _db["ENGINE"] and DB_PREPARED_STATEMENTS:
        _db.setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = envstr("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(PROJECT_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(PROJECT_DIR / "media")))
# Uploaded files (evidence, meeting packs, order files, practice photos) are read and written only through
# Django's storage API and served by Tongtui's own views after an access check, never by a public URL:
# MEDIA_STORAGE=s3 keeps them in an S3-compatible object store (django-storages), e.g. MinIO or a cloud's OSS.
MEDIA_STORAGE = envstr("MEDIA_STORAGE", "filesystem")
if MEDIA_STORAGE not in ("filesystem", "s3"):
    raise ValueError(f"MEDIA_STORAGE must be filesystem or s3, not {MEDIA_STORAGE!r}")
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # STATIC_MANIFEST=True (production, after `tongtui collectstatic`): hashed, compressed names served with a
    # year's cache; the default finds files in place, for a checkout and the tests.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if envbool("STATIC_MANIFEST", "False")
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if MEDIA_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": envstr("S3_BUCKET"),
            "endpoint_url": envstr("S3_ENDPOINT_URL") or None,
            "region_name": envstr("S3_REGION") or None,
            "access_key": envstr("S3_ACCESS_KEY_ID"),
            "secret_key": envstr("S3_SECRET_ACCESS_KEY"),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            "location": envstr("S3_PREFIX", "media"),
        },
    }

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "tongtui@localhost")
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD")  # or EMAIL_HOST_PASSWORD_FILE
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "False")
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", "False")
EMAIL_TIMEOUT = 20
# Notifications: immediate e-mails per person per day before the rest waits for the digest, sent at this hour.
NOTIFY_DAILY_CAP = envint("NOTIFY_DAILY_CAP", "20")
NOTIFY_DIGEST_HOUR = envint("NOTIFY_DIGEST_HOUR", "17")

# Largest task-book upload accepted by the import page, in bytes.
IMPORT_MAX_BYTES = envint("IMPORT_MAX_BYTES", str(20 * 1024 * 1024))
# What a task book may hold, checked before and while it is read (plans/importing/limits.py): rows, cells,
# merged ranges, its archive unpacked and how far any part over 1 MB may inflate (zip bombs).
IMPORT_MAX_ROWS = envint("IMPORT_MAX_ROWS", "10000")
IMPORT_MAX_CELLS = envint("IMPORT_MAX_CELLS", "1000000")
IMPORT_MAX_MERGED = envint("IMPORT_MAX_MERGED", "20000")
IMPORT_MAX_UNCOMPRESSED = envint("IMPORT_MAX_UNCOMPRESSED", str(60 * 1024 * 1024))
IMPORT_MAX_ZIP_RATIO = envint("IMPORT_MAX_ZIP_RATIO", "100")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tongtui.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "tongtui.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "tongtui.api.exceptions.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Tongtui API",
    "DESCRIPTION": "Key-work coordination and supervision: units, people, plans, tasks, milestones, indicators.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # /api/schema/ and /api/docs/ describe every endpoint: for logged-in users (session or token) unless the
    # deployment chooses to publish them (API_SCHEMA_PUBLIC=True).
    "SERVE_PERMISSIONS": [
        "rest_framework.permissions.AllowAny"
        if envbool("API_SCHEMA_PUBLIC", "False")
        else "rest_framework.permissions.IsAuthenticated"
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    # Serve Swagger UI from the installed package: the docs page must work on a closed network.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},  # no badge fetched from outside
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "UnitKindEnum": "tongtui.orgs.models.UnitKind",
        "DecisionKindEnum": "tongtui.dispatch.models.meetings.DecisionKind",
        "ReminderKindEnum": "tongtui.dispatch.models.reminders.ReminderKind",
        "ReportStatusEnum": "tongtui.dispatch.models.reports.ReportStatus",
        "FlagKindEnum": "tongtui.supervision.models.integrity.FlagKindChoice",
        "AccountabilityKindEnum": "tongtui.supervision.models.orders.AccountabilityKind",
        "RequestKindEnum": "tongtui.plans.models.requests.RequestKind",
        "RuleKindEnum": "tongtui.assessment.rules_data.RuleKind",
        "BulletinStatusEnum": "tongtui.publicity.models.BulletinStatus",
        "BulletinScopeEnum": "tongtui.publicity.models.Scope",
        "MeetingScopeEnum": "tongtui.dispatch.models.meetings.MeetingScope",
        "PracticeKindEnum": "tongtui.publicity.models.PracticeKind",
        "PracticeStatusEnum": "tongtui.publicity.models.PracticeStatus",
    },
}

# LOG_FORMAT=json writes one JSON object per line (time, level, logger, message, request id, user, path and
# the exception) for a log collector; "text" is for a person at a terminal.
LOG_FORMAT = envstr("LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ValueError(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "tongtui.core.logs.RequestFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(user)s %(method)s %(path)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request"]}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
    "loggers": {
        # one line per request (method, path, status, duration), at INFO; off unless LOG_REQUESTS=True
        "tongtui.requests": {"level": "INFO" if envbool("LOG_REQUESTS", "False") else "WARNING"},
    },
}

# --- dispatch (reports, evidence, reminders, worker) ---------------------------------------------
# Largest evidence file accepted with a progress report, in bytes.
EVIDENCE_MAX_BYTES = envint("EVIDENCE_MAX_BYTES", str(20 * 1024 * 1024))
# How many days ahead a coming report deadline shows up in "my reports due".
DISPATCH_DUE_HORIZON_DAYS = envint("DISPATCH_DUE_HORIZON_DAYS", "7")
# Background jobs: Django's Tasks API (django-tasks backport); `tongtui worker` runs the database queue.
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
# TASKS_BACKEND=rq puts the queue in Redis (django-tasks-rq) for several `tongtui worker` processes on several
# machines; the periodic jobs are claimed in the database either way.
TASKS_BACKEND = {"db": "django_tasks_db.DatabaseBackend", "rq": "django_tasks_rq.RQBackend"}.get(
    envstr("TASKS_BACKEND", "db"), envstr("TASKS_BACKEND", "db")
)
TASKS = {"default": {"BACKEND": TASKS_BACKEND}}
REDIS_URL = envstr("REDIS_URL", "redis://127.0.0.1:6379/0")
if TASKS_BACKEND == "django_tasks_rq.RQBackend":
    INSTALLED_APPS += ["django_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": envint("RQ_JOB_TIMEOUT", "1800")}}
# What a filed report makes stale (its task's light and scores) is recomputed by `tongtui worker` each round
# ("worker"), or right after the request's commit ("commit": a deployment without a worker; slower filing).
DERIVED_REFRESH = envstr("DERIVED_REFRESH", "worker")
if DERIVED_REFRESH not in ("worker", "commit"):
    raise ValueError(f"DERIVED_REFRESH must be worker or commit, not {DERIVED_REFRESH!r}")
# Reminders and e-mails link back to the site with this base address, e.g. https://tongtui.example.gov.cn
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000")
