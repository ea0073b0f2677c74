"""Reading and pruning the audit trail (writing it is accounts.audit)."""

from datetime import timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import AuthEvent, User


def auth_events_for_user(*, user: User, limit: int = 20) -> QuerySet[AuthEvent]:
    """The user's own recent events, newest first."""
    return AuthEvent.objects.filter(user=user).order_by("-created_at", "-id")[:limit]


def auth_events_purge(*, older_than: timedelta, batch_size: int = 5000) -> int:
    """Delete events older than `older_than`, in batches so no lock is held for long."""
    cutoff = timezone.now() - older_than
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(
                AuthEvent.objects.filter(created_at__lt=cutoff).values_list("pk", flat=True)[
                    :batch_size
                ]
            )
            if not ids:
                return deleted
            deleted += AuthEvent.objects.filter(pk__in=ids).delete()[0]
