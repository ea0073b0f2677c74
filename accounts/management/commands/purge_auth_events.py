"""manage.py purge_auth_events --older-than DAYS: keep the audit trail bounded."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandParser

from accounts.audit import auth_events_purge


class Command(BaseCommand):
    help = "Delete audit events (auth_events) older than the given number of days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=90,
            metavar="DAYS",
            help="Delete events older than this many days (default 90).",
        )

    def handle(self, *args, older_than: int, **options) -> None:
        if older_than < 0:
            self.stderr.write("--older-than must be 0 or more.")
            raise SystemExit(2)
        deleted = auth_events_purge(older_than=timedelta(days=older_than))
        self.stdout.write(f"Deleted {deleted} audit event(s) older than {older_than} day(s).")
