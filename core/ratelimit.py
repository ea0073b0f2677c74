"""Rate limiting: a limit's namespaced key, its count in the shared cache, and the 429 (or
503) it answers with. Which route has which limit is decided by the app that owns the route.

Counters live in the shared cache through django-ratelimit, so every worker sees one count.
Keys are namespaced `rl:<action>:<scope>:<value>`; an email in a key is hashed."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.dispatch import Signal
from django.http import HttpRequest
from django_ratelimit.core import get_usage
from redis.exceptions import RedisError
from rest_framework import status

from core.client import client_network
from core.errors import ApiError
from core.metrics import metrics_rate_limited
from core.unavailable import ServiceUnavailable


@dataclass(frozen=True)
class Limit:
    action: str
    scope: str  # what the count is per: "ip", "email", "ip-email", "user" or "device"
    rate: str  # django-ratelimit's notation: "5/m", "10/15m", "3/h"


# Sent once per window, when a limit first refuses (or a failure budget is spent), with
# limit, request, email and user: the audit trail listens, so floods write one row.
limit_reached = Signal()


class RateLimited(ApiError):
    """429 with Retry-After: DRF's handler turns `wait` into the header."""

    def __init__(self, wait: int):
        super().__init__(
            "Too many requests; try again later.",
            "rate_limited",
            status.HTTP_429_TOO_MANY_REQUESTS,
        )
        self.wait = max(1, wait)


class CacheUnavailable(ServiceUnavailable):
    """Without its counters a limit cannot hold: refuse rather than allow unlimited guesses."""


def email_digest(email: str) -> str:
    """Callers pass the address normalised as it is stored, so variants share one count."""
    return hashlib.sha256(email.encode()).hexdigest()


def ratelimit_key(
    limit: Limit, *, request: HttpRequest, email: str = "", user: Any = None, device: str = ""
) -> str:
    parts = {
        "ip": lambda: client_network(request),
        "email": lambda: email_digest(email),
        "ip-email": lambda: f"{client_network(request)}:{email_digest(email)}",
        "user": lambda: str(user.pk),
        # A device id (a random nonce the caller has authenticated) is hashed like an email.
        "device": lambda: email_digest(device),
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


def _reached(limit: Limit, *, request: HttpRequest, email: str, user: Any) -> None:
    limit_reached.send(sender=Limit, limit=limit, request=request, email=email, user=user)


def ratelimit_enforce(
    *,
    request: HttpRequest,
    limits: Iterable[Limit],
    email: str = "",
    user: Any = None,
) -> None:
    """Count this request against each limit; RateLimited once any is exceeded."""
    for limit in limits:
        key = ratelimit_key(limit, request=request, email=email, user=user)
        usage = _usage(limit, request=request, key=key, increment=True)
        if usage is not None and usage["should_limit"]:
            # Only the first refusal of a window is announced: no write flood under attack.
            if usage["count"] == usage["limit"] + 1:
                _reached(limit, request=request, email=email, user=user)
            metrics_rate_limited(action=limit.action)
            raise RateLimited(usage["time_left"])


def ratelimit_check_failures(
    *, request: HttpRequest, limit: Limit, email: str = "", user: Any = None, device: str = ""
) -> None:
    """Refuse when the failure budget is spent, without counting this attempt."""
    wait = ratelimit_failures_spent(
        request=request, limit=limit, email=email, user=user, device=device
    )
    if wait is not None:
        metrics_rate_limited(action=limit.action)
        raise RateLimited(wait)


def ratelimit_failures_spent(
    *, request: HttpRequest, limit: Limit, email: str = "", user: Any = None, device: str = ""
) -> int | None:
    """Seconds until the failure budget refills when it is spent, else None; counts nothing."""
    key = ratelimit_key(limit, request=request, email=email, user=user, device=device)
    usage = _usage(limit, request=request, key=key, increment=False)
    if usage is not None and usage["count"] >= usage["limit"]:
        return usage["time_left"]
    return None


def ratelimit_count_failure(
    *, request: HttpRequest, limit: Limit, email: str = "", user: Any = None, device: str = ""
) -> None:
    """Count a failure; the one that spends the budget is announced."""
    key = ratelimit_key(limit, request=request, email=email, user=user, device=device)
    usage = _usage(limit, request=request, key=key, increment=True)
    if usage is not None and usage["count"] == usage["limit"]:
        _reached(limit, request=request, email=email, user=user)
