"""The session and device cookies: one place decides their names, lifetimes and flags."""

from django.conf import settings
from django.http import HttpResponseBase

MFA_PENDING_COOKIE_PATH = "/api/auth/mfa"
_EPOCH = "Thu, 01 Jan 1970 00:00:00 GMT"


def _our_cookie(
    response: HttpResponseBase, name: str, value: str, *, max_age: int | None, path: str = "/"
) -> None:
    """Every cookie of ours has the same flags, and its deletion repeats them: a browser may
    ignore a deletion that lacks Secure."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        expires=_EPOCH if max_age == 0 else None,
        path=path,
        secure=settings.SECURE_COOKIES,
        httponly=True,
        samesite=settings.SAME_SITE_COOKIES,
    )


def set_session_cookie(response: HttpResponseBase, token: str, *, remember: bool) -> None:
    """A persistent cookie for the absolute lifetime, or a browser-session cookie."""
    max_age = int(settings.AUTH_SESSION_MAX_AGE.total_seconds()) if remember else None
    _our_cookie(response, settings.AUTH_SESSION_COOKIE_NAME, token, max_age=max_age)


def clear_session_cookie(response: HttpResponseBase) -> None:
    _our_cookie(response, settings.AUTH_SESSION_COOKIE_NAME, "", max_age=0)


def set_device_cookie(response: HttpResponseBase, value: str) -> None:
    """The trusted-device cookie, flagged like the session cookie; renewed by each sign-in."""
    max_age = int(settings.DEVICE_COOKIE_MAX_AGE.total_seconds())
    _our_cookie(response, settings.DEVICE_COOKIE_NAME, value, max_age=max_age)


def set_mfa_pending_cookie(response: HttpResponseBase, token: str) -> None:
    """A sign-in waiting for its second factor, for a browser redirected to the frontend:
    HTTP-only and sent only to the two-factor routes, for as long as the challenge lives."""
    max_age = int(settings.MFA_PENDING_MAX_AGE.total_seconds())
    name = settings.MFA_PENDING_COOKIE_NAME
    _our_cookie(response, name, token, max_age=max_age, path=MFA_PENDING_COOKIE_PATH)


def clear_mfa_pending_cookie(response: HttpResponseBase) -> None:
    name = settings.MFA_PENDING_COOKIE_NAME
    _our_cookie(response, name, "", max_age=0, path=MFA_PENDING_COOKIE_PATH)
