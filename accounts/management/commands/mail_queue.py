"""manage.py mail_queue [--retry-failed] [--purge-older-than DAYS]: what the outbox holds."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Count

from accounts.mail import mail_purge, mail_retry_failed
from accounts.models import OutboxMail


class Command(BaseCommand):
    help = "Show queued and failed mails (never their bodies); retry the failed ones."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--retry-failed", action="store_true", help="Queue failed mails again.")
        parser.add_argument(
            "--purge-older-than",
            type=int,
            metavar="DAYS",
            help="Delete sent and failed rows older than this many days.",
        )

    def handle(self, *args, retry_failed: bool, purge_older_than: int | None, **options) -> None:
        if retry_failed:
            self.stdout.write(f"Queued {mail_retry_failed()} failed mail(s) again.")
        if purge_older_than is not None:
            deleted = mail_purge(older_than=timedelta(days=max(purge_older_than, 0)))
            self.stdout.write(f"Deleted {deleted} sent or failed mail(s).")
        counts = dict(OutboxMail.objects.values_list("status").annotate(n=Count("pk")).order_by())
        self.stdout.write(", ".join(f"{s}: {counts.get(s, 0)}" for s in OutboxMail.Status.values))
        pending = OutboxMail.objects.exclude(status=OutboxMail.Status.SENT).order_by("pk")
        for row in pending:
            self.stdout.write(
                f"{row.pk}\t{row.status}\t{row.template}\t{row.to}\tattempts={row.attempts}"
                f"\tnext={row.next_attempt_at:%Y-%m-%d %H:%M:%S}\t{row.last_error}"
            )
