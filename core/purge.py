"""Deleting many old rows without holding a long lock: in batches, each its own transaction."""

from django.db import transaction
from django.db.models import QuerySet


def purge_in_batches(rows: QuerySet, *, batch_size: int) -> int:
    """Delete every row of `rows`, `batch_size` at a time; returns how many went."""
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(rows.values_list("pk", flat=True)[:batch_size])
            if not ids:
                return deleted
            deleted += rows.model.objects.filter(pk__in=ids).delete()[0]
