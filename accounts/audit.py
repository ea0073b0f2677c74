"""The audit trail: one auth_events row and one JSON log line per security event; the user's
own recent events; pruning old ones."""

import json
import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import AuthEvent, User
from core.client import client_ip, user_agent
from core.metrics import SIGN_IN_OUTCOMES, metrics_sign_in
from core.purge import purge_in_batches

if TYPE_CHECKING:  # core.ratelimit imports DRF, whose settings import our authentication
    from core.ratelimit import Limit

logger = logging.getLogger(__name__)


def audit_record(
    event_type: str,
    *,
    request: HttpRequest | None = None,
    user: User | None = None,
    email: str = "",
    **detail: Any,
) -> AuthEvent:
    """Record what happened, to whom, from where; `detail` must never hold secrets."""
    event = AuthEvent.objects.create(
        type=event_type,
        user=user,
        email=email or (user.email if user else ""),
        ip_address=client_ip(request) if request else None,
        user_agent=user_agent(request) if request else None,
        detail=detail,
    )
    logger.info(
        json.dumps(
            {
                "event": event_type,
                "user_id": str(user.pk) if user else None,
                "email": event.email,
                "ip": event.ip_address,
                "user_agent": event.user_agent,
                **detail,
            },
            default=str,
        )
    )
    if event_type in SIGN_IN_OUTCOMES:
        metrics_sign_in(method=str(detail.get("method", "")), outcome=event_type)
    return event


def audit_limit_reached(
    *, limit: "Limit", request: HttpRequest, email: str, user: User | None, **kwargs: Any
) -> None:
    """Receiver of core.ratelimit.limit_reached: a limit refused for the first time."""
    audit_record(
        "rate_limited",
        request=request,
        user=user,
        email=email,
        action=limit.action,
        scope=limit.scope,
    )


def auth_events_for_user(*, user: User, limit: int = 20) -> QuerySet[AuthEvent]:
    """The user's own recent events, newest first."""
    return AuthEvent.objects.filter(user=user).order_by("-created_at", "-id")[:limit]


def auth_events_purge(*, older_than: timedelta, batch_size: int = 5000) -> int:
    """Delete events older than `older_than`, in batches so no lock is held for long."""
    old = AuthEvent.objects.filter(created_at__lt=timezone.now() - older_than)
    return purge_in_batches(old, batch_size=batch_size)
