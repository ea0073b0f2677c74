"""The project itself: apps, middleware, templates, database, cache, static files, logging."""

from django.core.exceptions import ImproperlyConfigured

from config.settings.environment import BASE_DIR, DEBUG, env, secret_setting

SECRET_KEY = secret_setting("DJANGO_SECRET_KEY")
# Older keys still accepted for what they signed (admin sessions, device cookies): rotation.
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)

INSTALLED_APPS = [
    # First, so that its changepassword command replaces django.contrib.auth's.
    "accounts",
    "accounts.apps.AdminConfig",  # django.contrib.admin, with our login page
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_ratelimit",
    "core",
    "chatbot",
    "web",
]

MIDDLEWARE = [
    # Outermost: times the whole request and gives every log line inside it the request's id.
    "core.request_log.RequestLogMiddleware",
    "core.after_response.AfterResponseMiddleware",
    # Next to outermost: sees every /api/ response, debug pages included.
    "core.api_responses.ApiResponseMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files (the admin's, the API docs') from the app server itself, in production too.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "accounts.middleware.ApiAuthMiddleware",
    "core.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
# PostgreSQL: each process borrows connections from a pool of at most this many, for one
# request or one step of a stream at a time, so a server's connections stay bounded (workers x
# this) however many threads serve requests; 0: one persistent connection per thread instead.
DB_POOL_MAX_SIZE = env.int("DB_POOL_MAX_SIZE", default=10)
# A health check is one more round trip per request; a broken persistent connection fails
# one request and is then replaced anyway. Turn on where the network drops idle connections.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("DB_CONN_HEALTH_CHECKS", default=False)
# Every wait on the database is bounded, so a database that refuses or stops answering costs a
# request a few seconds and a 503, never a worker (core/database.py bounds a query client-side).
DB_CONNECT_TIMEOUT_SECONDS = env.int("DB_CONNECT_TIMEOUT_SECONDS", default=3)
DB_STATEMENT_TIMEOUT_SECONDS = env.int("DB_STATEMENT_TIMEOUT_SECONDS", default=5)
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": DB_CONNECT_TIMEOUT_SECONDS,
            "options": f"-c statement_timeout={DB_STATEMENT_TIMEOUT_SECONDS * 1000}",
            # A peer that stops acknowledging (ms), or an idle one gone silent (s), ends the
            # connection: the bound on waits that are not queries (commit, rollback).
            "tcp_user_timeout": 10_000,
            "keepalives": 1,
            "keepalives_idle": 30,
            "keepalives_interval": 5,
            "keepalives_count": 3,
        }
    )
    # psycopg prepares a statement on the server once a connection has run it this often
    # (the session lookup is one statement on every request); unset: never (Django's default).
    if (prepare_threshold := env.int("DB_PREPARE_THRESHOLD", default=None)) is not None:
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = prepare_threshold
    if DB_POOL_MAX_SIZE:
        # Django's backend, but a pooled connection the server closed is never lent.
        DATABASES["default"]["ENGINE"] = "core.postgresql"
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps connections, not Django
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": min(2, DB_POOL_MAX_SIZE),
            "max_size": DB_POOL_MAX_SIZE,
            # A request waits this long for a free connection, then answers 503.
            "timeout": DB_CONNECT_TIMEOUT_SECONDS,
            # A failed connection attempt is retried once, then left to the next request that
            # needs one, rather than rescheduled with a growing back-off: once the database is
            # back, the next request connects, as it would without a pool.
            "reconnect_timeout": 0,
        }
elif DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # Readers never block the writer; a write takes the lock when its transaction
            # begins (no upgrade deadlock), and waits for it this long before a 503.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            "transaction_mode": "IMMEDIATE",
            "timeout": DB_STATEMENT_TIMEOUT_SECONDS or 60,
        }
    )
# Lets parallel test runs against one PostgreSQL server use separate test databases.
if env.str("TEST_DATABASE_NAME", default=""):
    DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: the rate-limit counters and social sign-in's single-use values ------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="authbot"),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
elif DEBUG:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(
        "REDIS_URL must be set when DEBUG is off: every worker has to share the same "
        "rate-limit counters (e.g. REDIS_URL=redis://127.0.0.1:6379/0)."
    )

# --- Internationalisation, static files ----------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Development serves straight from the apps' folders; production from collectstatic's copy.
WHITENOISE_USE_FINDERS = DEBUG

# --- Logging --------------------------------------------------------------------------------
# json: one JSON object per line, every record (for a log collector); plain: for people.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured("LOG_FORMAT must be plain or json.")
_FORMATTERS = {
    "plain": {
        "format": "{asctime} {levelname} {name} [{request_id}] {message}",
        "style": "{",
    },
    "json": {
        "()": "core.log_format.JsonFormatter",
        "format": "{asctime}{levelname}{name}{request_id}{message}",
        "style": "{",
        "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
    },
}
# Every handler: tokens arrive in links (?token=...) and no line may carry one; each line
# names the request it belongs to.
_FILTERS = ["redact_tokens", "request_id"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact_tokens": {"()": "core.redaction.RedactTokensFilter"},
        "request_id": {"()": "core.request_id.RequestIdFilter"},
        "served_by_us": {"()": "core.request_id.ServedByUs"},
        "one_line_warning": {"()": "core.logs.OneLineWarning"},
    },
    "formatters": {
        "default": _FORMATTERS[LOG_FORMAT],
        "server": _FORMATTERS["json"]
        if LOG_FORMAT == "json"
        else {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "default", "filters": _FILTERS},
        # runserver's own request line, only for what our request log cannot see (static
        # files, requests refused before Django): the rest would be logged twice.
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "server",
            "filters": [*_FILTERS, "served_by_us"],
        },
    },
    "loggers": {
        # Django's default console handler prints a second, unformatted line with DEBUG on:
        # the records go to the root's handler alone.
        "django": {"handlers": [], "level": "INFO"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        # Any client can send a forged Host: one line each, never a traceback, no mail.
        "django.security.DisallowedHost": {
            "handlers": ["console"],
            "filters": ["one_line_warning"],
            "propagate": False,
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# --- Metrics: GET /metrics answers only a scraper that sends this token -------------------
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
