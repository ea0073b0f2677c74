"""The social-auth backends for Google (OpenID Connect) and GitHub, configured from our settings.

Both put `email` and `email_verified` (does the provider vouch for the address?) in the user
details; the linking rules in accounts/social/pipeline.py decide what to do with them."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from social_core.backends.github import GithubOAuth2
from social_core.backends.google_openidconnect import GoogleOpenIdConnect
from social_core.utils import get_strategy

PROVIDERS = ("google", "github")


class ProviderSettingsMixin:
    """Credentials come from the replaced service's keys (GOOGLE_CLIENT_ID, ...)."""

    name: str

    def get_key_and_secret(self) -> tuple[str, str]:
        prefix = self.name.upper()
        return (
            getattr(settings, f"{prefix}_CLIENT_ID"),
            getattr(settings, f"{prefix}_CLIENT_SECRET"),
        )


class GoogleBackend(ProviderSettingsMixin, GoogleOpenIdConnect):
    """Endpoints from the discovery document of GOOGLE_OIDC_ISSUER; ID token checked against
    its JWKS (signature, issuer, audience, expiry, nonce) before any claim is used."""

    name = "google"
    # Empty, so that the discovery document of GOOGLE_OIDC_ISSUER supplies them.
    AUTHORIZATION_URL = ACCESS_TOKEN_URL = REVOKE_TOKEN_URL = ""

    def oidc_endpoint(self) -> str:
        return settings.GOOGLE_OIDC_ISSUER

    def id_token_issuer(self) -> tuple[str, ...]:  # type: ignore[override]
        """Google signs some ID tokens with its issuer written without the scheme."""
        issuer = self.oidc_config().get("issuer") or settings.GOOGLE_OIDC_ISSUER
        return (issuer, issuer.removeprefix("https://"))

    def user_data(self, access_token: str, *args, **kwargs) -> dict[str, Any] | None:
        """The discovered userinfo endpoint; an unverified email is the pipeline's call."""
        return self.validate_userinfo_sub(
            self.get_json(self.userinfo_url(), headers={"Authorization": f"Bearer {access_token}"})
        )

    def get_user_id(self, details, response) -> str:
        return self.id_token["sub"]

    def get_user_details(self, response) -> dict[str, Any]:
        claims = {**response, **(self.id_token or {})}  # the signed claims win
        return {
            **super().get_user_details(response),
            "email": claims.get("email") or "",
            "email_verified": claims.get("email_verified") is True,
            "fullname": claims.get("name") or "",
        }


class GithubBackend(ProviderSettingsMixin, GithubOAuth2):
    """GitHub or GitHub Enterprise (GITHUB_URL, GITHUB_API_URL); the address is the primary
    one from /user/emails, vouched for only when GitHub marks it verified."""

    name = "github"
    DEFAULT_SCOPE = ["read:user", "user:email"]
    SCOPE_SEPARATOR = " "

    def api_url(self) -> str:
        return f"{settings.GITHUB_API_URL}/"

    def authorization_url(self) -> str:
        return f"{settings.GITHUB_URL}/login/oauth/authorize"

    def access_token_url(self) -> str:
        return f"{settings.GITHUB_URL}/login/oauth/access_token"

    def user_data(self, access_token: str, *args, **kwargs) -> dict[str, Any] | None:
        """The profile's public `email` is ignored: only /user/emails says what is verified."""
        profile = self._user_data(access_token)
        emails = self._user_data(access_token, "/emails")
        primary = next((e for e in emails if isinstance(e, dict) and e.get("primary")), {})
        return {
            **profile,
            "email": primary.get("email") or "",
            "email_verified": primary.get("verified") is True,
        }

    def get_user_details(self, response) -> dict[str, Any]:
        return {
            **super().get_user_details(response),
            "email_verified": response.get("email_verified") is True,
            "fullname": response.get("name") or "",
        }


def provider_configured(provider: str) -> bool:
    """A provider is offered only when both its client id and secret are set."""
    prefix = provider.upper()
    return provider in PROVIDERS and all(
        getattr(settings, f"{prefix}_{part}", "") for part in ("CLIENT_ID", "CLIENT_SECRET")
    )


def backend_load(*, provider: str, request: HttpRequest | None = None):
    """A backend bound to the request's session (or to none, for token refreshes)."""
    strategy = get_strategy(settings.SOCIAL_AUTH_STRATEGY, settings.SOCIAL_AUTH_STORAGE, request)
    redirect_uri = getattr(settings, f"{provider.upper()}_REDIRECT_URI")
    return strategy.get_backend(provider, redirect_uri=redirect_uri)
