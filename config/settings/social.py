"""Social sign-in with Google and GitHub: credentials, endpoints, social-auth's wiring, and
the keys that encrypt provider tokens at rest."""

from config.settings.environment import env, fernet_keys_setting
from config.settings.security import BACKEND_URL

OAUTH_TOKEN_KEYS = fernet_keys_setting("OAUTH_TOKEN_KEYS")
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
# in Django's session, single-use values in the shared cache (accounts/social/storage.py).
SOCIAL_AUTH_AUTHENTICATION_BACKENDS = [
    "accounts.social.backends.GoogleBackend",
    "accounts.social.backends.GithubBackend",
]
SOCIAL_AUTH_STRATEGY = "accounts.social.strategy.SocialStrategy"
SOCIAL_AUTH_STORAGE = "accounts.social.storage.SocialStorage"
SOCIAL_AUTH_PIPELINE = [
    "social_core.pipeline.social_auth.social_details",
    "social_core.pipeline.social_auth.social_uid",
    "accounts.social.pipeline.provider_email",
    "accounts.social.pipeline.known_account",
    "accounts.social.pipeline.link_to_signed_in_user",
    "accounts.social.pipeline.link_by_verified_email",
    "accounts.social.pipeline.refuse_unverified_email_of_existing_user",
    "accounts.social.pipeline.create_user",
    "accounts.social.pipeline.link_account",
    "accounts.social.pipeline.store_tokens",
]
SOCIAL_AUTH_REQUESTS_TIMEOUT = env.int("OAUTH_HTTP_TIMEOUT_SECONDS", default=10)
# A refresh token (access_type=offline) lets provider_access_token renew Google's access token.
SOCIAL_AUTH_GOOGLE_AUTH_EXTRA_ARGUMENTS = {"access_type": "offline"}
SOCIAL_AUTH_GOOGLE_USE_PKCE = True
