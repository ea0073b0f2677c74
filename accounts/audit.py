"""The audit trail: one auth_events row and one JSON log line per security event."""

import json
import logging
from typing import Any

from django.http import HttpRequest

from accounts.models import AuthEvent, User
from accounts.request_meta import client_ip, user_agent

logger = logging.getLogger("accounts.audit")


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
    return event
