"""Re-encrypt every stored OAuth token under the first of OAUTH_TOKEN_KEYS.

Run it after putting a new key first (keep the old ones after it until this has run), and once
after taking over the replaced service's database, whose tokens are in clear. Safe to rerun.
rotate_mfa_keys does the same for the TOTP secrets: this command's class, another table."""

from cryptography.fernet import InvalidToken
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from accounts.encryption import value_decrypt, value_is_current
from accounts.models import OAuthAccount


class Command(BaseCommand):
    help = "Re-encrypt OAuth tokens under the first key of OAUTH_TOKEN_KEYS, in batches."
    model: type[models.Model] = OAuthAccount
    fields: tuple[str, ...] = ("access_token", "refresh_token")
    keys_setting = "OAUTH_TOKEN_KEYS"
    noun = "linked account(s)"

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size: int, **options):
        rewritten, unreadable, last_pk = 0, [], None
        while True:
            with transaction.atomic():
                rows = self._batch(after=last_pk, size=batch_size)
                if not rows:
                    break
                for pk, *stored in rows:
                    last_pk = pk
                    try:
                        rewritten += self._reencrypt(
                            pk, dict(zip(self.fields, stored, strict=True))
                        )
                    except InvalidToken:
                        unreadable.append(str(pk))
        self.stdout.write(f"Re-encrypted {rewritten} {self.noun} under the first key.")
        if unreadable:
            raise CommandError(
                f"{len(unreadable)} {self.noun} hold values no configured key opens "
                f"(left unchanged): {', '.join(unreadable)}"
            )

    def _batch(self, *, after, size: int) -> list[tuple]:
        """The stored text itself, locked: the field would decrypt it on the way out."""
        rows = self.model.objects.select_for_update().order_by("pk")
        if after is not None:
            rows = rows.filter(pk__gt=after)
        raw = {f"raw_{name}": Cast(name, TextField()) for name in self.fields}
        return list(rows.annotate(**raw).values_list("pk", *raw)[:size])

    def _reencrypt(self, pk, stored: dict[str, str | None]) -> int:
        keys = self.keys_setting
        stale = {
            name: value
            for name, value in stored.items()
            if value and not value_is_current(value, keys_setting=keys)
        }
        if not stale:
            return 0
        # Plaintext goes in; the field encrypts it under the first key.
        self.model.objects.filter(pk=pk).update(
            **{name: value_decrypt(value, keys_setting=keys) for name, value in stale.items()}
        )
        return 1
