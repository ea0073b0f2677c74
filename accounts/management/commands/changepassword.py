"""Django's changepassword, plus what every password set by an operator does."""

from django.contrib.auth import get_user_model
from django.contrib.auth.management.commands import changepassword

from accounts.models import normalize_email
from accounts.users import user_password_set_by_admin


class Command(changepassword.Command):
    help = (
        "Change a user's password; every session and open reset or change-of-address link "
        "of the user ends, as when an admin sets it (the usual reason is a compromised account)."
    )

    def handle(self, *args, **options) -> str:
        if options["username"]:
            options["username"] = normalize_email(options["username"])
        message = super().handle(*args, **options)
        user = (
            get_user_model()
            ._default_manager.using(options["database"])
            .get(email=options["username"])
        )
        revoked = user_password_set_by_admin(user=user, actor="command")
        return f"{message}\nRevoked {revoked} session(s)."
