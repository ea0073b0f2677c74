"""Trusted devices: a signed cookie that a browser earns by signing in, so that strangers who
spend an account's failure budget cannot lock its owner out. It binds a random device id to
the user's id and holds nothing secret; forging or moving it to another account fails the
signature or the user check."""

import secrets

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from accounts.models import User, normalize_email

# Its own salt: no other signed value of the project can pass for a device cookie.
SALT = "accounts.devices.cookie"


def device_cookie_value(*, user: User) -> str:
    """A new device id for this browser, signed with the user's id and the time of issue."""
    return signing.dumps({"u": str(user.pk), "d": secrets.token_urlsafe(16)}, salt=SALT)


def device_recognised(*, request: HttpRequest, email: str) -> str:
    """The device id of a valid device cookie for the account `email` names, else ""."""
    value = request.COOKIES.get(settings.DEVICE_COOKIE_NAME)
    if not value:
        return ""
    try:
        payload = signing.loads(value, salt=SALT, max_age=settings.DEVICE_COOKIE_MAX_AGE)
    except signing.BadSignature:
        return ""
    if not isinstance(payload, dict):
        return ""
    user_id, device_id = payload.get("u"), payload.get("d")
    if not isinstance(user_id, str) or not isinstance(device_id, str) or not device_id:
        return ""
    try:
        owner = User.objects.filter(pk=user_id, email=normalize_email(email)).exists()
    except ValidationError:  # signed by us, so a UUID; refuse anything else all the same
        return ""
    return device_id if owner else ""
