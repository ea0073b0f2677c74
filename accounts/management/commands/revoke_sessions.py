"""Revoke sessions from the command line: one user's, one session, or everybody's."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import AuthSession, User, normalize_email
from accounts.sessions import session_revoke, sessions_revoke_all, sessions_revoke_for_user


class Command(BaseCommand):
    help = "Revoke the sessions of a user (--user), one session (--session) or all (--all)."

    def add_arguments(self, parser: CommandParser) -> None:
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--user", metavar="EMAIL")
        target.add_argument("--session", metavar="UUID")
        target.add_argument("--all", action="store_true")
        parser.add_argument("--yes", action="store_true", help="Do not ask before --all.")

    def handle(self, *args, user: str | None, session: str | None, all: bool, yes: bool, **kw):
        if user:
            found = User.objects.filter(email=normalize_email(user)).first()
            if found is None:
                raise CommandError(f"No user with email {user!r}.")
            revoked = sessions_revoke_for_user(user=found, actor="command")
        elif session:
            try:
                row = AuthSession.objects.get(pk=session)
            except (AuthSession.DoesNotExist, ValidationError) as exc:
                raise CommandError(f"No session {session!r}.") from exc
            revoked = int(session_revoke(session=row, actor="command"))
        else:
            if not yes and input("Revoke every session of every user? [y/N] ").lower() != "y":
                raise CommandError("Aborted; nothing was revoked.")
            revoked = sessions_revoke_all()
        self.stdout.write(f"Revoked {revoked} session(s).")
