"""Sign-ins waiting for their second factor: the mfa_token (or the mfa_pending cookie) names
one, stored as a digest, single-use, for five minutes and at most five wrong codes."""

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from accounts.digests import keyed_digest, random_token
from accounts.models import MfaChallenge, User
from accounts.sessions import Transport
from core.purge import purge_in_batches

MAX_FAILURES = 5


def _digest(token: str) -> str:
    return keyed_digest(token, settings.AUTH_SESSION_SECRET)


def mfa_challenge_start(*, user: User, method: str, transport: Transport, remember: bool) -> str:
    """A new pending sign-in; returns its token, the only copy. The user's expired ones go."""
    now = timezone.now()
    MfaChallenge.objects.filter(user=user, expires_at__lt=now).delete()
    token = random_token()
    MfaChallenge.objects.create(
        user=user,
        token_hash=_digest(token),
        method=method,
        transport=transport,
        remember=remember,
        expires_at=now + settings.MFA_PENDING_MAX_AGE,
    )
    return token


def mfa_challenge_open(token: str) -> MfaChallenge | None:
    """The live challenge of the token: unused, unexpired, under five wrong codes."""
    if not token:
        return None
    return (
        MfaChallenge.objects.select_related("user")
        .filter(
            token_hash=_digest(token),
            used_at=None,
            expires_at__gt=timezone.now(),
            failures__lt=MAX_FAILURES,
        )
        .first()
    )


def mfa_challenge_failed(challenge: MfaChallenge) -> None:
    """One more wrong code; counted in the database, so concurrent guesses all count."""
    MfaChallenge.objects.filter(pk=challenge.pk).update(failures=F("failures") + 1)


def mfa_challenge_claim(challenge: MfaChallenge) -> bool:
    """Spend the challenge; of two concurrent claims exactly one wins."""
    claimed = MfaChallenge.objects.filter(pk=challenge.pk, used_at=None, failures__lt=MAX_FAILURES)
    return claimed.update(used_at=timezone.now()) == 1


def mfa_challenges_purge(*, batch_size: int = 1000) -> int:
    """Delete pending sign-ins that expired or were completed: nobody can use them again."""
    dead = MfaChallenge.objects.filter(expires_at__lt=timezone.now())
    done = MfaChallenge.objects.filter(used_at__isnull=False)
    return purge_in_batches(dead, batch_size=batch_size) + purge_in_batches(
        done, batch_size=batch_size
    )
