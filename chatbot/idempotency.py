"""Idempotency-Key on the chat posts: a retry after a lost answer gets the stored exchange
back (same ids) instead of storing the question and its answer a second time."""

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django.utils.crypto import constant_time_compare
from rest_framework.request import Request

from accounts.models import User
from chatbot.models import IdempotentExchange
from core.errors import ApiError

HEADER = "HTTP_IDEMPOTENCY_KEY"
MAX_KEY_CHARS = 100
# A key is remembered this long; after that the same key stores a new exchange.
WINDOW = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class Idempotency:
    user: User
    key: str
    fingerprint: str


def idempotency_from(request: Request) -> Idempotency | None:
    """The request's key with what it asks for, or None without the header."""
    key = request.META.get(HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= MAX_KEY_CHARS or not all(" " <= c <= "~" for c in key):
        raise ApiError(
            f"Idempotency-Key must be 1 to {MAX_KEY_CHARS} printable ASCII characters.",
            "invalid_idempotency_key",
        )
    body = json.dumps(request.data, sort_keys=True, separators=(",", ":"), default=str)
    asked = f"{request.method} {request.path}\n{body}".encode()
    return Idempotency(request.user, key, hashlib.sha256(asked).hexdigest())


def idempotent_replay(idempotency: Idempotency | None):
    """The exchange this key already stored, or None; another request under it is a 409."""
    from chatbot.chat import Exchange

    if idempotency is None:
        return None
    row = (
        IdempotentExchange.objects.select_related("conversation", "question", "answer")
        .filter(user=idempotency.user, key=idempotency.key)
        .first()
    )
    if row is None:
        return None
    if row.created_at < timezone.now() - WINDOW:
        row.delete()  # expired: the key is free again
        return None
    if not constant_time_compare(row.fingerprint, idempotency.fingerprint):
        raise ApiError(
            "This Idempotency-Key was used for another request.", "idempotency_conflict", 409
        )
    return Exchange(row.conversation, row.question, row.answer)


def idempotency_record(*, idempotency: Idempotency, exchange) -> None:
    """Called inside the exchange's transaction: a concurrent twin fails on the unique key
    and stores nothing."""
    IdempotentExchange.objects.create(
        user=idempotency.user,
        key=idempotency.key,
        fingerprint=idempotency.fingerprint,
        conversation=exchange.conversation,
        question=exchange.question,
        answer=exchange.answer,
    )
