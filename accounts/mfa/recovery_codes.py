"""Recovery codes: ten single-use codes for a user who lost their authenticator, shown once
and stored only as keyed digests."""

import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.digests import keyed_digest
from accounts.models import RecoveryCode, User

COUNT = 10
# No 0/o, 1/l/i: the codes are read off paper and typed by hand.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
LENGTH = 10  # about 49 bits each: far beyond a budget of 10 guesses per 15 minutes


def _normalise(code: str) -> str:
    return code.strip().lower().replace("-", "").replace(" ", "")


def _digests(code: str) -> list[str]:
    """Under the session secret and its fallbacks, so a rotation keeps the codes working."""
    keys = [settings.AUTH_SESSION_SECRET, *settings.AUTH_SESSION_SECRET_FALLBACKS]
    return [keyed_digest(_normalise(code), key) for key in keys]


def _code_new() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def recovery_codes_issue(*, user: User) -> list[str]:
    """A new set of codes; the old set stops working in the same transaction."""
    codes = [_code_new() for _ in range(COUNT)]
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(
            RecoveryCode(user=user, code_hash=_digests(code)[0]) for code in codes
        )
    return codes


def recovery_code_use(*, user: User, code: str) -> bool:
    """Whether the code is one of the user's unused ones; it is spent by one conditional
    UPDATE, so two requests with the same code cannot both succeed."""
    if len(_normalise(code)) != LENGTH:
        return False
    unused = RecoveryCode.objects.filter(user=user, code_hash__in=_digests(code), used_at=None)
    row = unused.values_list("pk", flat=True).first()
    if row is None:
        return False
    return RecoveryCode.objects.filter(pk=row, used_at=None).update(used_at=timezone.now()) == 1


def recovery_codes_left(*, user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at=None).count()


def recovery_codes_delete(*, user: User) -> None:
    RecoveryCode.objects.filter(user=user).delete()
