"""Social sign-in: send the browser to the provider, finish its callback, and turn every
failure into a stable code on FRONTEND_URL/login (the codes are listed in the README). A user
with two-factor on lands on FRONTEND_URL/login?mfa=1 with the pending sign-in in a cookie."""

import logging
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest
from rest_framework import status
from social_core.exceptions import (
    AuthCanceled,
    AuthInputError,
    AuthSessionError,
    SocialAuthBaseException,
)

from accounts.audit import audit_record
from accounts.sessions import session_from_request
from accounts.signin import EmailNotVerified, SecondFactorPending, sign_in
from accounts.social.backends import backend_load, provider_configured
from accounts.social.pipeline import OAuthRefused
from core.errors import ApiError
from core.origins import url_is_trusted

logger = logging.getLogger(__name__)

# One entry per started sign-in, in Django's session: what to do when this state comes back.
FLOW_SESSION_KEY = "oauth_flow:{}"


@dataclass(frozen=True)
class OAuthOutcome:
    redirect_to: str
    session_token: str | None = None
    device_cookie: str = ""
    mfa_pending: str = ""


def login_error_url(code: str) -> str:
    return f"{settings.FRONTEND_URL}/login?{urlencode({'error': code})}"


def _ensure_configured(provider: str) -> None:
    if not provider_configured(provider):
        raise ApiError(
            "This sign-in provider is not configured.",
            "provider_not_configured",
            status.HTTP_404_NOT_FOUND,
        )


def oauth_begin(*, request: HttpRequest, provider: str, next_url: str, link: bool) -> str:
    """Where to send the browser: the provider, with a fresh state bound to this browser."""
    _ensure_configured(provider)
    link_user_id = None
    if link:
        # Linking trusts our own session only, never Django's (which only carries OAuth state).
        lookup = session_from_request(request)
        if lookup.session is None:
            return login_error_url("not_authenticated")
        link_user_id = str(lookup.session.user_id)
    try:
        url = backend_load(provider=provider, request=request).auth_url()
    except SocialAuthBaseException as exc:
        logger.warning("Starting %s sign-in failed: %s", provider, exc.code)
        return login_error_url("provider_error")
    state = parse_qs(urlsplit(url).query)["state"][0]
    request.session[FLOW_SESSION_KEY.format(state)] = {
        "provider": provider,
        "next": next_url if url_is_trusted(next_url) else settings.FRONTEND_URL,
        "link_user_id": link_user_id,
    }
    return url


def oauth_complete(*, request: HttpRequest, provider: str) -> OAuthOutcome:
    """Finish the provider's callback: sign in (a new session) or link, else refuse."""
    _ensure_configured(provider)
    flow = request.session.pop(FLOW_SESSION_KEY.format(request.GET.get("state", "")), None)
    if not isinstance(flow, dict) or flow.get("provider") != provider:
        return _failed(provider, "invalid_state")
    link_user = None
    if flow["link_user_id"]:
        lookup = session_from_request(request)
        if lookup.session is None or str(lookup.session.user_id) != flow["link_user_id"]:
            return _failed(provider, "not_authenticated")
        link_user = lookup.session.user
    try:
        user = backend_load(provider=provider, request=request).complete(user=link_user)
    except OAuthRefused as refusal:
        audit_record(
            "oauth_refused",
            request=request,
            user=refusal.user,
            email=refusal.email,
            provider=provider,
            code=refusal.code,
        )
        return _failed(provider, refusal.code)
    except SocialAuthBaseException as exc:
        logger.warning("%s sign-in failed: %s at %s", provider, exc.code, exc.stage)
        return _failed(provider, _failure_code(exc))
    if link_user is not None:
        return OAuthOutcome(redirect_to=flow["next"])
    try:
        signed_in = sign_in(request=request, user=user, method=provider)
    except EmailNotVerified as refusal:
        return _failed(provider, refusal.code)
    if isinstance(signed_in, SecondFactorPending):
        return OAuthOutcome(
            redirect_to=f"{settings.FRONTEND_URL}/login?mfa=1", mfa_pending=signed_in.mfa_token
        )
    target = f"{settings.FRONTEND_URL}/?new_user=1" if user.is_new else flow["next"]
    return OAuthOutcome(
        redirect_to=target, session_token=signed_in.token, device_cookie=signed_in.device
    )


def _failed(provider: str, code: str) -> OAuthOutcome:
    logger.info("%s sign-in refused: %s", provider, code)
    return OAuthOutcome(redirect_to=login_error_url(code))


def _failure_code(exc: SocialAuthBaseException) -> str:
    if isinstance(exc, AuthCanceled):
        return "access_denied"
    if isinstance(exc, AuthSessionError) or (
        isinstance(exc, AuthInputError) and exc.parameter == "state"
    ):
        return "invalid_state"
    return "provider_error"
