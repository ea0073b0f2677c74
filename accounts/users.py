"""The user service: register, authenticate, update, change password."""

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework import status

from accounts.errors import ApiError
from accounts.models import AuthSession, User, normalize_email
from accounts.passwords import validate_new_password
from accounts.sessions import sessions_revoke_for_user


class EmailTaken(ApiError):
    def __init__(self) -> None:
        super().__init__(
            "An account with this email already exists.", "email_taken", status.HTTP_409_CONFLICT
        )


def user_register(*, email: str, password: str, name: str = "") -> User:
    """Create a user; a duplicate address (in any case, even concurrently) is EmailTaken."""
    email = normalize_email(email)
    validate_new_password(password, user=User(email=email, name=name))
    if User.objects.filter(email=email).exists():
        raise EmailTaken()
    try:
        with transaction.atomic():
            return User.objects.create_user(email=email, password=password, name=name)
    except IntegrityError as exc:
        raise EmailTaken() from exc


def user_authenticate(*, email: str, password: str) -> User | None:
    """The user whose password this is, or None; both paths cost one password hash."""
    user = User.objects.filter(email=normalize_email(email)).first()
    if user is None or not user.has_usable_password():
        make_password(password)  # equalises timing: no email enumeration by latency
        return None
    if not user.check_password(password) or not user.is_active:
        return None
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    return user


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
) -> int:
    """Set a new password after checking the current one; returns sessions revoked."""
    if not user.check_password(current_password):
        raise ApiError("The current password is wrong.", "invalid_password")
    validate_new_password(new_password, user=user, field="new_password")
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password", "updated_at"])
        return sessions_revoke_for_user(user=user, keep=keep) if revoke_other_sessions else 0
