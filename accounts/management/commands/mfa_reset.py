"""Turn two-factor off for a user who lost their authenticator and their recovery codes, once
their identity has been checked some other way; every session of theirs ends."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.mfa.enrolment import mfa_reset
from accounts.mfa.factors import mfa_enabled
from accounts.models import User, normalize_email


class Command(BaseCommand):
    help = "Reset the two-factor authentication of the user with this email (sessions end)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args, email: str, **options) -> None:
        user = User.objects.filter(email=normalize_email(email)).first()
        if user is None:
            raise CommandError(f"No user with email {email!r}.")
        if not mfa_enabled(user):
            raise CommandError(f"{user.email} does not have two-factor authentication on.")
        revoked = mfa_reset(user=user, actor="command")
        self.stdout.write(
            f"Two-factor authentication of {user.email} is off; revoked {revoked} session(s)."
        )
