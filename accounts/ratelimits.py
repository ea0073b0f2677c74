"""The rate limits of API.md: their keys and rates, and the 429 (or 503) they answer with.

Counters live in the shared cache through django-ratelimit, so every worker sees one count.
Keys are namespaced `rl:<action>:<scope>:<value>`; an email in a key is hashed."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.http import HttpRequest
from django_ratelimit.core import get_usage
from redis.exceptions import RedisError
from rest_framework import status

from accounts.audit import audit_record
from accounts.errors import ApiError
from accounts.models import User, normalize_email
from accounts.request_meta import client_network


@dataclass(frozen=True)
class Limit:
    action: str
    scope: str  # what the count is per: "ip", "email", "ip-email" or "user"
    rate: str  # django-ratelimit's notation: "5/m", "10/15m", "3/h"


LOGIN_PER_IP_EMAIL = Limit("login", "ip-email", "5/m")
LOGIN_PER_IP = Limit("login", "ip", "30/m")
# Only failed sign-ins count here: peeked before the password check, counted after a failure.
LOGIN_FAILURES_PER_EMAIL = Limit("login-failed", "email", "10/15m")
REGISTER_PER_IP = Limit("register", "ip", "5/h")
FORGOT_PER_EMAIL = Limit("password-forgot", "email", "3/h")
FORGOT_PER_IP = Limit("password-forgot", "ip", "10/h")
RESEND_PER_EMAIL = Limit("email-resend", "email", "3/h")
RESEND_PER_IP = Limit("email-resend", "ip", "10/h")
# Not in API.md: each change request mails an address the user chooses, so it is limited
# like the other mail-sending routes.
EMAIL_CHANGE_PER_USER = Limit("email-change", "user", "3/h")
EMAIL_CHANGE_PER_IP = Limit("email-change", "ip", "10/h")
RESET_PER_IP = Limit("password-reset", "ip", "10/m")
VERIFY_PER_IP = Limit("email-verify", "ip", "10/m")
CHAT_PER_USER = Limit("chat", "user", "30/m")


class RateLimited(ApiError):
    """429 with Retry-After: DRF's handler turns `wait` into the header."""

    def __init__(self, wait: int):
        super().__init__(
            "Too many requests; try again later.",
            "rate_limited",
            status.HTTP_429_TOO_MANY_REQUESTS,
        )
        self.wait = max(1, wait)


class CacheUnavailable(ApiError):
    """Without its counters a limit cannot hold: refuse rather than allow unlimited guesses."""

    def __init__(self) -> None:
        super().__init__(
            "The service is temporarily unavailable; try again shortly.",
            "unavailable",
            status.HTTP_503_SERVICE_UNAVAILABLE,
        )


def email_digest(email: str) -> str:
    return hashlib.sha256(normalize_email(email).encode()).hexdigest()


def ratelimit_key(limit: Limit, *, request: HttpRequest, email: str = "", user=None) -> str:
    parts = {
        "ip": lambda: client_network(request),
        "email": lambda: email_digest(email),
        "ip-email": lambda: f"{client_network(request)}:{email_digest(email)}",
        "user": lambda: str(user.pk),
    }
    return f"rl:{limit.action}:{limit.scope}:{parts[limit.scope]()}"


def _usage(limit: Limit, *, request: HttpRequest, key: str, increment: bool) -> dict | None:
    try:
        return get_usage(
            request,
            group=f"rl:{limit.action}:{limit.scope}",
            key=lambda group, request: key,
            rate=limit.rate,
            increment=increment,
        )
    except (RedisError, OSError) as exc:
        raise CacheUnavailable() from exc


def _record_limited(limit: Limit, *, request: HttpRequest, email: str, user) -> None:
    audit_record(
        "rate_limited",
        request=request,
        user=user,
        email=email,
        action=limit.action,
        scope=limit.scope,
    )


def ratelimit_enforce(
    *,
    request: HttpRequest,
    limits: Iterable[Limit],
    email: str = "",
    user: User | None = None,
) -> None:
    """Count this request against each limit; RateLimited once any is exceeded."""
    for limit in limits:
        key = ratelimit_key(limit, request=request, email=email, user=user)
        usage = _usage(limit, request=request, key=key, increment=True)
        if usage is not None and usage["should_limit"]:
            # Only the first refusal of a window is recorded: no write flood under attack.
            if usage["count"] == usage["limit"] + 1:
                _record_limited(limit, request=request, email=email, user=user)
            raise RateLimited(usage["time_left"])


def ratelimit_check_failures(*, request: HttpRequest, limit: Limit, email: str) -> None:
    """Refuse when the failure budget is spent, without counting this attempt."""
    key = ratelimit_key(limit, request=request, email=email)
    usage = _usage(limit, request=request, key=key, increment=False)
    if usage is not None and usage["count"] >= usage["limit"]:
        raise RateLimited(usage["time_left"])


def ratelimit_count_failure(
    *, request: HttpRequest, limit: Limit, email: str, user: User | None = None
) -> None:
    """Count a failure; the one that spends the budget is recorded in the audit trail."""
    key = ratelimit_key(limit, request=request, email=email)
    usage = _usage(limit, request=request, key=key, increment=True)
    if usage is not None and usage["count"] == usage["limit"]:
        _record_limited(limit, request=request, email=email, user=user)


def ratelimit_user(*, request: HttpRequest, user: User, limit: Limit = CHAT_PER_USER) -> None:
    """A per-user limit for signed-in routes, e.g. the chatbot's 30 questions a minute."""
    ratelimit_enforce(request=request, limits=[limit], user=user)
