"""Django's own sessions (`sessionid`: the admin's sign-in) end with a user's API sessions:
"revoke all" must not leave a stolen admin session alive."""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.models import User


def admin_sessions_end(*, user: User | None = None) -> int:
    """Delete the live Django sessions signed in as `user` (any user when None); returns how
    many. Sessions hold the user id only in their encoded data, so each live one is read."""
    doomed = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        signed_in_as = session.get_decoded().get(SESSION_KEY)
        if signed_in_as is not None and (user is None or signed_in_as == str(user.pk)):
            doomed.append(session.pk)
    Session.objects.filter(pk__in=doomed).delete()
    return len(doomed)
