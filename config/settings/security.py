"""Cookies, trusted origins (CORS, CSRF, sign-in posts, OAuth's `next`), security headers and
the Content-Security-Policy, client addresses behind proxies."""

from django.core.exceptions import ImproperlyConfigured

from config.settings.environment import env

SECURE_COOKIES = env.bool("SECURE_COOKIES", default=False)
SAME_SITE_COOKIES = env.str("SAME_SITE_COOKIES", default="lax").capitalize()
if SAME_SITE_COOKIES not in ("Lax", "Strict", "None"):
    raise ImproperlyConfigured("SAME_SITE_COOKIES must be lax, strict or none.")
# Browsers drop a SameSite=None cookie that is not Secure: the session would be set by the
# login answer and silently missing from every later request. Refuse rather than half work.
if SAME_SITE_COOKIES == "None" and not SECURE_COOKIES:
    raise ImproperlyConfigured(
        "SAME_SITE_COOKIES=none needs SECURE_COOKIES=true (and HTTPS): browsers refuse a "
        "SameSite=None cookie without Secure. For a frontend on another site, prefer the "
        'bearer transport ("transport": "token"; README: Frontends on another site).'
    )

# Our session cookie (accounts); Django's own serves only the admin and OAuth state.
AUTH_SESSION_COOKIE_NAME = env.str("SESSION_COOKIE_NAME", default="session_token")
SESSION_COOKIE_NAME = "sessionid"
# A browser's trusted-device cookie (accounts/devices.py), same flags as our session cookie.
DEVICE_COOKIE_NAME = "device"
if AUTH_SESSION_COOKIE_NAME in (SESSION_COOKIE_NAME, "csrftoken", DEVICE_COOKIE_NAME):
    raise ImproperlyConfigured(
        f"SESSION_COOKIE_NAME={AUTH_SESSION_COOKIE_NAME!r} collides with another cookie."
    )
SESSION_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = SECURE_COOKIES
# The CSRF cookie travels wherever the session cookie does, or a cross-site frontend would
# hold a session it can never use for a write.
CSRF_COOKIE_SAMESITE = SAME_SITE_COOKIES

# --- Origins: CORS, CSRF and the browser-origin check share one list -----------------------
BACKEND_URL = env.str("BACKEND_URL", default="http://127.0.0.1:8000").rstrip("/")
# Unset (or empty): this service's own pages (web/) are the frontend, where mail links and
# OAuth redirects land.
FRONTEND_URL = (env.str("FRONTEND_URL", default="") or BACKEND_URL).rstrip("/")
CORS_ORIGINS = [o.rstrip("/") for o in env.list("CORS_ORIGINS", default=[FRONTEND_URL])]
CORS_ALLOWED_ORIGINS = CORS_ORIGINS
CORS_ALLOW_CREDENTIALS = True
CORS_URLS_REGEX = r"^/api/.*$"
# One list for CSRF, the sign-in origin check and OAuth's `next` (core/origins.py).
CSRF_TRUSTED_ORIGINS = list(dict.fromkeys([*CORS_ORIGINS, FRONTEND_URL, BACKEND_URL]))

# --- Proxies and headers --------------------------------------------------------------------
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=SECURE_COOKIES)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if SECURE_COOKIES else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Inline styles stay allowed: Swagger UI's page and ReDoc style themselves inline.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# Swagger UI and ReDoc come from our own static files (drf-spectacular-sidecar), so the docs
# need no outside host; ReDoc runs its search in a worker it builds from a blob: URL.
CONTENT_SECURITY_POLICY_BY_ROUTE = {"api-redoc": CONTENT_SECURITY_POLICY + "; worker-src blob:"}
