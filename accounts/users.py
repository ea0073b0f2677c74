"""The signed-in user's account: rename, change the password, delete; and an operator's
password change."""

from django.db import transaction
from django.http import HttpRequest
from rest_framework import status

from accounts.audit import audit_record
from accounts.link_tokens import Purpose, link_tokens_invalidate
from accounts.models import AuthSession, User
from accounts.passwords import validate_new_password
from accounts.reauth import ensure_recent_auth, password_confirm
from accounts.sessions import Actor, sessions_revoke_for_user
from core.errors import ApiError


class EmailTaken(ApiError):
    def __init__(self) -> None:
        super().__init__(
            "An account with this email already exists.", "email_taken", status.HTTP_409_CONFLICT
        )


def user_update(*, user: User, name: str) -> User:
    user.name = name
    user.save(update_fields=["name", "updated_at"])
    return user


def user_change_password(
    *,
    user: User,
    current_password: str,
    new_password: str,
    keep: AuthSession | None,
    revoke_other_sessions: bool = True,
    request: HttpRequest | None = None,
) -> int:
    """Set a new password after checking the current one; returns sessions revoked.

    Open reset links die with the old password, and so does a pending change of address: the
    notice of that change tells a user who did not ask for it to change the password."""
    if not password_confirm(user=user, password=current_password, request=request):
        raise ApiError("The current password is wrong.", "invalid_password")
    validate_new_password(new_password, user=user, field="new_password")
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password", "updated_at"])
        link_tokens_invalidate(user=user, purposes=[Purpose.RESET_PASSWORD, Purpose.CHANGE_EMAIL])
        revoked = 0
        if revoke_other_sessions:
            revoked = sessions_revoke_for_user(
                user=user, keep=keep, actor="user", request=request, reason="password_changed"
            )
        audit_record("password_changed", request=request, user=user, revoked_sessions=revoked)
        return revoked


def user_password_set_by_admin(*, user: User, actor: Actor = "admin") -> int:
    """An operator set or removed the password: end every session and every open reset or
    change-of-address link, as a reset does (the usual reason is a compromised account)."""
    with transaction.atomic():
        link_tokens_invalidate(user=user, purposes=[Purpose.RESET_PASSWORD, Purpose.CHANGE_EMAIL])
        revoked = sessions_revoke_for_user(user=user, actor=actor, reason="password_set")
        audit_record("password_changed", user=user, by=actor, revoked_sessions=revoked)
    return revoked


def user_delete(
    *,
    user: User,
    session: AuthSession,
    password: str | None,
    code: str | None = None,
    passkey: dict | None = None,
    request: HttpRequest | None = None,
) -> None:
    """Delete the account with its sessions, tokens and linked accounts; the audit row stays."""
    ensure_recent_auth(
        user=user, session=session, password=password, code=code, passkey=passkey, request=request
    )
    with transaction.atomic():
        audit_record("account_deleted", request=request, user=user)
        user.delete()
