"""Users and passwords, our sessions, passkeys, account mail and emailed links, rate limits."""

from datetime import timedelta
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from config.settings.environment import DEBUG, env, fernet_keys_setting, secret_setting
from config.settings.security import BACKEND_URL, FRONTEND_URL

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

# --- Our sessions (accounts/sessions.py; the cookie's name and flags are in security) ------
AUTH_SESSION_SECRET = secret_setting("SESSION_SECRET")
AUTH_SESSION_SECRET_FALLBACKS = env.list("SESSION_SECRET_FALLBACKS", default=[])
AUTH_SESSION_MAX_AGE = timedelta(days=env.int("SESSION_MAX_AGE_DAYS", default=30))
AUTH_SESSION_SHORT_MAX_AGE = timedelta(days=1)
AUTH_SESSION_IDLE_TIMEOUT = timedelta(days=env.int("SESSION_IDLE_TIMEOUT_DAYS", default=7))
AUTH_SESSION_TOUCH_INTERVAL = timedelta(seconds=env.int("SESSION_TOUCH_SECONDS", default=300))
FRESH_SESSION_AGE = timedelta(seconds=env.int("FRESH_SESSION_SECONDS", default=86400))
# How long a browser stays a trusted device after its last sign-in (accounts/devices.py).
DEVICE_COOKIE_MAX_AGE = timedelta(days=env.int("DEVICE_COOKIE_DAYS", default=365))

# --- Two-factor authentication (accounts/mfa/) -----------------------------------------------
# TOTP secrets are encrypted at rest under keys of their own (the first encrypts, all decrypt).
MFA_TOTP_KEYS = fernet_keys_setting("MFA_TOTP_KEYS")
# The name authenticator apps show beside the account.
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="Authbot")
# How long a sign-in that still needs its second factor waits for it (mfa_token, mfa_pending).
MFA_PENDING_MAX_AGE = timedelta(minutes=5)
MFA_PENDING_COOKIE_NAME = "mfa_pending"
# --- Passkeys (accounts/passkeys/) ----------------------------------------------------------
# The browser binds a passkey to the RP ID (a host name, the pages' or a parent of it) and
# reports the page's origin; both are compared exactly with these.
WEBAUTHN_RP_ID = env.str("WEBAUTHN_RP_ID", default=urlsplit(FRONTEND_URL).hostname or "localhost")
WEBAUTHN_RP_NAME = env.str("WEBAUTHN_RP_NAME", default="Auth + book chatbot")
WEBAUTHN_ORIGINS = [
    o.rstrip("/") for o in env.list("WEBAUTHN_ORIGINS", default=[FRONTEND_URL, BACKEND_URL])
]
# How long a registration or sign-in challenge may be answered (once).
WEBAUTHN_CHALLENGE_SECONDS = 300

# --- Mail ------------------------------------------------------------------------------------
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_FILE_PATH = _email.get("EMAIL_FILE_PATH") or None
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="no-reply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# The outbox (accounts/mail.py): every process runs a delivery thread, woken by each commit
# that queues a mail and polling in between; a failed attempt is retried with backoff.
MAIL_DELIVERY_THREAD = env.bool("MAIL_DELIVERY_THREAD", default=True)
MAIL_POLL_SECONDS = env.float("MAIL_POLL_SECONDS", default=5.0)
MAIL_MAX_ATTEMPTS = env.int("MAIL_MAX_ATTEMPTS", default=10)
MAIL_RETRY_BASE_SECONDS = env.float("MAIL_RETRY_BASE_SECONDS", default=5.0)
MAIL_RETRY_MAX_SECONDS = env.float("MAIL_RETRY_MAX_SECONDS", default=600.0)
# Longer than one SMTP exchange can take (each step may wait EMAIL_TIMEOUT), or a slow but
# live delivery could be claimed a second time.
MAIL_LEASE_SECONDS = env.float("MAIL_LEASE_SECONDS", default=max(60.0, 6.0 * EMAIL_TIMEOUT))

# --- Verification and emailed links ---------------------------------------------------------
EMAIL_VERIFICATION_MODES = ("optional", "mandatory")
EMAIL_VERIFICATION = env.str("EMAIL_VERIFICATION", default="optional").lower()
if EMAIL_VERIFICATION not in EMAIL_VERIFICATION_MODES:
    raise ImproperlyConfigured("EMAIL_VERIFICATION must be 'optional' or 'mandatory'.")
VERIFICATION_TOKEN_LIFETIMES = {
    "verify_email": timedelta(hours=env.int("EMAIL_VERIFICATION_TOKEN_HOURS", default=24)),
    "reset_password": timedelta(minutes=env.int("PASSWORD_RESET_TOKEN_MINUTES", default=60)),
    "change_email": timedelta(hours=env.int("EMAIL_CHANGE_TOKEN_HOURS", default=24)),
    # The link that lets the old address take the account back after a change of address.
    "recover_account": timedelta(hours=env.int("EMAIL_CHANGE_RECOVERY_HOURS", default=72)),
}

# --- Rate limits (core/ratelimit.py) ---------------------------------------------------------
RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=True)
# Our own client_ip (TRUSTED_PROXY_COUNT) for django-ratelimit's built-in "ip" key too.
RATELIMIT_IP_META_KEY = "core.client.client_ip"
