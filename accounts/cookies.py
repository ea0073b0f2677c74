"""The session and device cookies: one place decides their names, lifetimes and flags."""

from django.conf import settings
from django.http import HttpResponseBase
from rest_framework.response import Response

MFA_PENDING_COOKIE_PATH = "/api/auth/mfa"


def set_session_cookie(response: Response, token: str, *, remember: bool) -> None:
    """A persistent cookie for the absolute lifetime, or a browser-session cookie."""
    max_age = int(settings.AUTH_SESSION_MAX_AGE.total_seconds()) if remember else None
    response.set_cookie(
        settings.AUTH_SESSION_COOKIE_NAME,
        token,
        max_age=max_age,
        path="/",
        secure=settings.SECURE_COOKIES,
        httponly=True,
        samesite=settings.SAME_SITE_COOKIES,
    )


def clear_session_cookie(response: Response) -> None:
    """The same flags as when it was set: a browser may ignore a deletion that lacks Secure."""
    response.set_cookie(
        settings.AUTH_SESSION_COOKIE_NAME,
        "",
        max_age=0,
        expires="Thu, 01 Jan 1970 00:00:00 GMT",
        path="/",
        secure=settings.SECURE_COOKIES,
        httponly=True,
        samesite=settings.SAME_SITE_COOKIES,
    )


def set_device_cookie(response: HttpResponseBase, value: str) -> None:
    """The trusted-device cookie, flagged like the session cookie; renewed by each sign-in."""
    response.set_cookie(
        settings.DEVICE_COOKIE_NAME,
        value,
        max_age=int(settings.DEVICE_COOKIE_MAX_AGE.total_seconds()),
        path="/",
        secure=settings.SECURE_COOKIES,
        httponly=True,
        samesite=settings.SAME_SITE_COOKIES,
    )


def set_mfa_pending_cookie(response: HttpResponseBase, token: str) -> None:
    """A sign-in waiting for its second factor, for a browser redirected to the frontend:
    HTTP-only and sent only to the two-factor routes, for as long as the challenge lives."""
    response.set_cookie(
        settings.MFA_PENDING_COOKIE_NAME,
        token,
        max_age=int(settings.MFA_PENDING_MAX_AGE.total_seconds()),
        path=MFA_PENDING_COOKIE_PATH,
        secure=settings.SECURE_COOKIES,
        httponly=True,
        samesite=settings.SAME_SITE_COOKIES,
    )


def clear_mfa_pending_cookie(response: HttpResponseBase) -> None:
    response.set_cookie(
        settings.MFA_PENDING_COOKIE_NAME,
        "",
        max_age=0,
        expires="Thu, 01 Jan 1970 00:00:00 GMT",
        path=MFA_PENDING_COOKIE_PATH,
        secure=settings.SECURE_COOKIES,
        httponly=True,
        samesite=settings.SAME_SITE_COOKIES,
    )
