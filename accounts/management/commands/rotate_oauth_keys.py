"""Re-encrypt every stored OAuth token under the first of OAUTH_TOKEN_KEYS.

Run it after putting a new key first (keep the old ones after it until this has run), and once
after taking over the replaced service's database, whose tokens are in clear. Safe to rerun."""

from cryptography.fernet import InvalidToken
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from accounts.models import OAuthAccount
from accounts.social.encryption import value_decrypt, value_is_current

TOKEN_FIELDS = ("access_token", "refresh_token")


class Command(BaseCommand):
    help = "Re-encrypt OAuth tokens under the first key of OAUTH_TOKEN_KEYS, in batches."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size: int, **options):
        rewritten, unreadable, last_pk = 0, [], None
        while True:
            with transaction.atomic():
                rows = _batch(after=last_pk, size=batch_size)
                if not rows:
                    break
                for pk, *stored in rows:
                    last_pk = pk
                    try:
                        rewritten += _reencrypt(pk, dict(zip(TOKEN_FIELDS, stored, strict=True)))
                    except InvalidToken:
                        unreadable.append(str(pk))
        self.stdout.write(f"Re-encrypted {rewritten} linked account(s) under the first key.")
        if unreadable:
            raise CommandError(
                f"{len(unreadable)} linked account(s) hold tokens no configured key opens "
                f"(left unchanged): {', '.join(unreadable)}"
            )


def _batch(*, after, size: int) -> list[tuple]:
    """The stored text itself, locked: the field would decrypt it on the way out."""
    rows = OAuthAccount.objects.select_for_update().order_by("pk")
    if after is not None:
        rows = rows.filter(pk__gt=after)
    raw = {f"raw_{name}": Cast(name, TextField()) for name in TOKEN_FIELDS}
    return list(rows.annotate(**raw).values_list("pk", *raw)[:size])


def _reencrypt(pk, stored: dict[str, str | None]) -> int:
    stale = {name: value for name, value in stored.items() if value and not value_is_current(value)}
    if not stale:
        return 0
    # Plaintext goes in; the field encrypts it under the first key.
    OAuthAccount.objects.filter(pk=pk).update(
        **{name: value_decrypt(value) for name, value in stale.items()}
    )
    return 1
