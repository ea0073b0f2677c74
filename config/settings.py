"""Settings for the whole project, read from the environment (and an optional .env)."""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

_DEV_SECRET = "dev-only-insecure-secret-do-not-use-in-production"
MIN_SECRET_LENGTH = 32


def _secret(key: str) -> str:
    """Refuse to start in production without a real secret: a random one per process would
    make every worker disagree and every restart sign everybody out."""
    value = env.str(key, default="")
    if DEBUG:
        return value or _DEV_SECRET
    if len(value) < MIN_SECRET_LENGTH or value == _DEV_SECRET:
        raise ImproperlyConfigured(
            f"{key} must be set to a random value of at least {MIN_SECRET_LENGTH} characters "
            "when DEBUG is off (e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))')."
        )
    return value


SECRET_KEY = _secret("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)

INSTALLED_APPS = [
    # First, so that its changepassword command replaces django.contrib.auth's.
    "accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "drf_spectacular",
    "django_ratelimit",
    "chatbot",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "accounts.middleware.ApiAuthMiddleware",
    "config.csp.ContentSecurityPolicyMiddleware",
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
# A health check is one more round trip per request; a broken persistent connection fails
# one request and is then replaced anyway. Turn on where the network drops idle connections.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("DB_CONN_HEALTH_CHECKS", default=False)
# Lets parallel test runs against one PostgreSQL server use separate test databases.
if env.str("TEST_DATABASE_NAME", default=""):
    DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
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
    # django-ratelimit's list of supported backends predates Django's own RedisCache, which
    # counts with Redis INCR: atomic and shared by every worker, all the limits need.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
elif DEBUG:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # `make run` serves from one process, so its own memory counts every request; E003 stays
    # on everywhere else (a per-process cache under gunicorn would let each worker count alone).
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003"]
else:
    raise ImproperlyConfigured(
        "REDIS_URL must be set when DEBUG is off: every worker has to share the same "
        "rate-limit counters (e.g. REDIS_URL=redis://127.0.0.1:6379/0)."
    )

# --- Users and passwords --------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "accounts.passwords.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 128
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Our sessions (accounts/sessions.py) ----------------------------------------------------
AUTH_SESSION_SECRET = _secret("SESSION_SECRET")
AUTH_SESSION_SECRET_FALLBACKS = env.list("SESSION_SECRET_FALLBACKS", default=[])
AUTH_SESSION_COOKIE_NAME = env.str("SESSION_COOKIE_NAME", default="session_token")
AUTH_SESSION_MAX_AGE = timedelta(days=env.int("SESSION_MAX_AGE_DAYS", default=30))
AUTH_SESSION_SHORT_MAX_AGE = timedelta(days=1)
AUTH_SESSION_IDLE_TIMEOUT = timedelta(days=env.int("SESSION_IDLE_TIMEOUT_DAYS", default=7))
AUTH_SESSION_TOUCH_INTERVAL = timedelta(seconds=env.int("SESSION_TOUCH_SECONDS", default=300))
FRESH_SESSION_AGE = timedelta(seconds=env.int("FRESH_SESSION_SECONDS", default=86400))
SECURE_COOKIES = env.bool("SECURE_COOKIES", default=False)
SAME_SITE_COOKIES = env.str("SAME_SITE_COOKIES", default="lax").capitalize()

# Django's own session cookie serves only the admin and social-auth's OAuth state.
SESSION_COOKIE_NAME = "sessionid"
if AUTH_SESSION_COOKIE_NAME in (SESSION_COOKIE_NAME, "csrftoken"):
    raise ImproperlyConfigured(
        f"SESSION_COOKIE_NAME={AUTH_SESSION_COOKIE_NAME!r} collides with a Django cookie."
    )
SESSION_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SAMESITE = "Lax"

# --- Origins: CORS, CSRF and the browser-origin check share one list -----------------------
FRONTEND_URL = env.str("FRONTEND_URL", default="http://localhost:3000").rstrip("/")
BACKEND_URL = env.str("BACKEND_URL", default="http://127.0.0.1:8000").rstrip("/")
CORS_ORIGINS = [o.rstrip("/") for o in env.list("CORS_ORIGINS", default=[FRONTEND_URL])]
CORS_ALLOWED_ORIGINS = CORS_ORIGINS
CORS_ALLOW_CREDENTIALS = True
CORS_URLS_REGEX = r"^/api/.*$"
# One list for CSRF, the sign-in origin check and OAuth's `next` (accounts/origins.py).
CSRF_TRUSTED_ORIGINS = list(dict.fromkeys([*CORS_ORIGINS, FRONTEND_URL, BACKEND_URL]))

# --- Security headers -----------------------------------------------------------------------
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=SECURE_COOKIES)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if SECURE_COOKIES else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    # Preloading is a commitment that outlives this deployment (removal from browsers takes
    # months): an operator's choice, so the deploy check does not nag for it.
    SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- REST framework and the OpenAPI schema --------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.authentication.SessionTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "accounts.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Auth + book chatbot API",
    "DESCRIPTION": "Email/password and social sign-in, sessions, and a chatbot over a book.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Internationalisation, static files ----------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Tokens arrive in links (?token=...): no log line may carry one.
    "filters": {"redact_tokens": {"()": "config.redaction.RedactTokensFilter"}},
    "formatters": {
        "server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]},
        # Django's request log of runserver, as by default, but redacted.
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "server",
            "filters": ["redact_tokens"],
        },
    },
    "loggers": {
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False}
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# --- The /api/ guard (accounts/middleware.py) -----------------------------------------------
# Route names, not prefixes: everything else under /api/ needs a valid session.
API_PUBLIC_ROUTES = frozenset(
    {
        "health",
        "auth-csrf",
        "auth-register",
        "auth-login",
        "auth-logout",
        "api-schema",
        "api-docs",
        # Account lifecycle (issue 3)
        "auth-password-forgot",
        "auth-password-reset",
        "auth-email-verify",
    }
)
API_ORIGIN_CHECKED_ROUTES = frozenset(
    {
        "auth-register",
        "auth-login",
        # Account lifecycle (issue 3)
        "auth-password-forgot",
        "auth-password-reset",
        "auth-email-verify",
    }
)

# --- Account lifecycle: mail, verification, tokens, rate limits (issue 3) -------------------
vars().update(
    env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="no-reply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
EMAIL_VERIFICATION = env.str("EMAIL_VERIFICATION", default="optional").lower()
if EMAIL_VERIFICATION not in ("optional", "mandatory"):
    raise ImproperlyConfigured("EMAIL_VERIFICATION must be 'optional' or 'mandatory'.")
VERIFICATION_TOKEN_LIFETIMES = {
    "verify_email": timedelta(hours=env.int("EMAIL_VERIFICATION_TOKEN_HOURS", default=24)),
    "reset_password": timedelta(minutes=env.int("PASSWORD_RESET_TOKEN_MINUTES", default=60)),
    "change_email": timedelta(hours=env.int("EMAIL_CHANGE_TOKEN_HOURS", default=24)),
}
RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=True)
# Our own client_ip (TRUSTED_PROXY_COUNT) for django-ratelimit's built-in "ip" key too.
RATELIMIT_IP_META_KEY = "accounts.request_meta.client_ip"
_CSP_COMMON = (
    "img-src 'self' data:{cdn}; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' " + (
    "'unsafe-inline'; " + _CSP_COMMON.format(cdn="")
)
# Swagger UI loads its bundle from jsDelivr; only that page may.
CONTENT_SECURITY_POLICY_BY_ROUTE = {
    "api-docs": "default-src 'self'; script-src 'self' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    + _CSP_COMMON.format(cdn=" https://cdn.jsdelivr.net")
}

# --- Social sign-in (accounts/social.py, accounts/pipeline.py, accounts/crypto.py) -----------
_DEV_OAUTH_TOKEN_KEY = "ZGV2LW9ubHktb2F1dGgta2V5LWRvLW5vdC11c2UtMDA="


def _fernet_keys(key: str) -> list[str]:
    """Refuse to start in production without real Fernet keys: tokens written under a
    random per-process key could never be read again by another worker."""
    from cryptography.fernet import Fernet

    keys = env.list(key, default=[])
    if not keys and DEBUG:
        return [_DEV_OAUTH_TOKEN_KEY]
    for value in keys:
        try:
            Fernet(value)
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"{key} must be comma-separated Fernet keys (python -c 'from cryptography.fernet "
                "import Fernet; print(Fernet.generate_key().decode())'); one of them is not."
            ) from exc
    if not keys or (not DEBUG and _DEV_OAUTH_TOKEN_KEY in keys):
        raise ImproperlyConfigured(
            f"{key} must be set when DEBUG is off (the first key encrypts, all decrypt): "
            "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key()"
            ".decode())'"
        )
    return keys


OAUTH_TOKEN_KEYS = _fernet_keys("OAUTH_TOKEN_KEYS")
GOOGLE_CLIENT_ID = env.str("GOOGLE_CLIENT_ID", default="")
GOOGLE_CLIENT_SECRET = env.str("GOOGLE_CLIENT_SECRET", default="")
GOOGLE_REDIRECT_URI = env.str(
    "GOOGLE_REDIRECT_URI", default=f"{BACKEND_URL}/api/auth/oauth/google/callback"
)
GOOGLE_OIDC_ISSUER = env.str("GOOGLE_OIDC_ISSUER", default="https://accounts.google.com").rstrip(
    "/"
)
GITHUB_CLIENT_ID = env.str("GITHUB_CLIENT_ID", default="")
GITHUB_CLIENT_SECRET = env.str("GITHUB_CLIENT_SECRET", default="")
GITHUB_REDIRECT_URI = env.str(
    "GITHUB_REDIRECT_URI", default=f"{BACKEND_URL}/api/auth/oauth/github/callback"
)
GITHUB_URL = env.str("GITHUB_URL", default="https://github.com").rstrip("/")
GITHUB_API_URL = env.str("GITHUB_API_URL", default="https://api.github.com").rstrip("/")
# social-auth runs without social_django's models: links live in oauth_accounts, OAuth state
# in Django's session, single-use values in the shared cache (accounts/social_storage.py).
SOCIAL_AUTH_AUTHENTICATION_BACKENDS = [
    "accounts.social_backends.GoogleBackend",
    "accounts.social_backends.GithubBackend",
]
SOCIAL_AUTH_STRATEGY = "accounts.social_strategy.SocialStrategy"
SOCIAL_AUTH_STORAGE = "accounts.social_storage.SocialStorage"
SOCIAL_AUTH_PIPELINE = [
    "social_core.pipeline.social_auth.social_details",
    "social_core.pipeline.social_auth.social_uid",
    "accounts.pipeline.provider_email",
    "accounts.pipeline.known_account",
    "accounts.pipeline.link_to_signed_in_user",
    "accounts.pipeline.link_by_verified_email",
    "accounts.pipeline.refuse_unverified_email_of_existing_user",
    "accounts.pipeline.create_user",
    "accounts.pipeline.link_account",
    "accounts.pipeline.store_tokens",
]
SOCIAL_AUTH_REQUESTS_TIMEOUT = env.int("OAUTH_HTTP_TIMEOUT_SECONDS", default=10)
# A refresh token (access_type=offline) lets oauth_access_token renew Google's access token.
SOCIAL_AUTH_GOOGLE_AUTH_EXTRA_ARGUMENTS = {"access_type": "offline"}
SOCIAL_AUTH_GOOGLE_USE_PKCE = True
# The provider redirect and its callback are browser navigations without our session.
API_PUBLIC_ROUTES |= {"auth-oauth-begin", "auth-oauth-callback"}

# --- Chatbot: the book, retrieval and answering (chatbot/) ----------------------------------
BOOK_DIR = env.path("BOOK_DIR", default=BASE_DIR / "chatbot" / "book")
# Empty: the packaged int8 MiniLM. A file that fails its SHA-256 check means lexical search.
EMBEDDING_MODEL_PATH = env.str("EMBEDDING_MODEL_PATH", default="")
# Each worker reads the corpus version at most this often, so a search rarely costs a query.
CHAT_CORPUS_CHECK_SECONDS = env.float("CHAT_CORPUS_CHECK_SECONDS", default=5.0)
CHAT_PASSAGES = env.int("CHAT_PASSAGES", default=4)
CHAT_HISTORY_MESSAGES = env.int("CHAT_HISTORY_MESSAGES", default=6)
LLM_API_KEY = env.str("LLM_API_KEY", default="")
LLM_BASE_URL = env.str("LLM_BASE_URL", default="https://api.openai.com/v1")
LLM_MODEL = env.str("LLM_MODEL", default="gpt-4o-mini")
LLM_TIMEOUT_SECONDS = env.float("LLM_TIMEOUT_SECONDS", default=20.0)
