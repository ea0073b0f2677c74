"""A user's passkeys: listed, renamed, deleted (never the last way in), and removed by an
operator. Every change is audited."""

import uuid

from django.db import transaction
from django.http import HttpRequest
from rest_framework import status

from accounts.audit import audit_record
from accounts.models import AuthSession, Passkey, User
from accounts.reauth import ensure_recent_auth
from accounts.ways_in import way_in_remains
from core.errors import ApiError


class PasskeyNotFound(ApiError):
    def __init__(self) -> None:
        super().__init__("No such passkey.", "not_found", status.HTTP_404_NOT_FOUND)


def passkeys_of(user: User):
    return Passkey.objects.filter(user=user).order_by("created_at")


def _own_passkey(*, user: User, passkey_id: uuid.UUID) -> Passkey:
    """Another user's passkey is as absent as one that does not exist."""
    passkey = Passkey.objects.filter(pk=passkey_id, user=user).first()
    if passkey is None:
        raise PasskeyNotFound()
    return passkey


def passkey_rename(
    *, user: User, passkey_id: uuid.UUID, name: str, request: HttpRequest | None = None
) -> Passkey:
    passkey = _own_passkey(user=user, passkey_id=passkey_id)
    old_name, passkey.name = passkey.name, name
    passkey.save(update_fields=["name"])
    audit_record(
        "passkey_renamed",
        request=request,
        user=user,
        passkey_id=str(passkey.pk),
        old_name=old_name,
        name=name,
    )
    return passkey


def passkey_delete(
    *,
    user: User,
    passkey_id: uuid.UUID,
    session: AuthSession,
    password: str | None,
    code: str | None = None,
    passkey: dict | None = None,
    request: HttpRequest | None = None,
) -> None:
    """Delete one of the user's passkeys, unless nothing would be left to sign in with."""
    ensure_recent_auth(
        user=user, session=session, password=password, code=code, passkey=passkey, request=request
    )
    with transaction.atomic():
        # The user's row lock serialises two deletions that would each leave the other last.
        locked = User.objects.select_for_update().get(pk=user.pk)
        passkey = _own_passkey(user=locked, passkey_id=passkey_id)
        if way_in_remains(user=locked, without_passkey=passkey):
            passkey.delete()
            audit_record(
                "passkey_removed",
                request=request,
                user=locked,
                passkey_id=str(passkey_id),
                name=passkey.name,
                actor="user",
            )
            return
    audit_record("passkey_remove_refused", request=request, user=user, passkey_id=str(passkey_id))
    raise ApiError(
        "This is your only way to sign in: set a password, link a provider or add another"
        " passkey first.",
        "last_login_method",
        status.HTTP_409_CONFLICT,
    )


def passkey_remove_by_operator(*, passkey: Passkey, request: HttpRequest | None = None) -> None:
    """An operator may take away a lost or stolen passkey, even the last one: the owner can
    still come back with an emailed code or a password reset."""
    passkey_id, name, user = str(passkey.pk), passkey.name, passkey.user
    passkey.delete()
    audit_record(
        "passkey_removed",
        request=request,
        user=user,
        passkey_id=passkey_id,
        name=name,
        actor="admin",
    )
