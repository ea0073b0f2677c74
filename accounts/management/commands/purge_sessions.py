"""Delete expired and revoked session rows, in batches, so the table stays small; and the
sign-ins that waited for a second factor and are over."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandParser

from accounts.mfa.pending import mfa_challenges_purge
from accounts.sessions import sessions_purge


class Command(BaseCommand):
    help = "Delete sessions that expired or were revoked more than --older-than days ago."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--older-than", type=int, default=0, metavar="DAYS")
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, older_than: int, batch_size: int, **options) -> None:
        deleted = sessions_purge(older_than=timedelta(days=older_than), batch_size=batch_size)
        self.stdout.write(f"Deleted {deleted} session(s).")
        pending = mfa_challenges_purge(batch_size=batch_size)
        if pending:
            self.stdout.write(f"Deleted {pending} finished two-factor sign-in(s).")
