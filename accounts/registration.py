"""Signing up: the verification mail, and no way to learn which emails have accounts."""

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.http import HttpRequest

from accounts.audit import audit_record
from accounts.email_address import email_verification_send
from accounts.emails import mail_send
from accounts.models import User, normalize_email
from accounts.ratelimits import REGISTER_PER_IP, ratelimit_enforce
from accounts.users import EmailTaken, user_register


def user_sign_up(*, request: HttpRequest, email: str, password: str, name: str) -> User | None:
    """The new user, to be signed in at once; None when verification is mandatory, where a
    taken address must look exactly like a free one (its owner gets a mail instead)."""
    ratelimit_enforce(request=request, limits=[REGISTER_PER_IP])
    if settings.EMAIL_VERIFICATION != "mandatory":
        return _register(request=request, email=email, password=password, name=name)
    try:
        _register(request=request, email=email, password=password, name=name)
    except EmailTaken:
        make_password(password)  # the hash a new account costs: equal timing
        owner = User.objects.get(email=normalize_email(email))
        mail_send(template="registration_attempt", to=owner.email, user=owner)
        audit_record("registration_attempted", request=request, user=owner)
    return None


def _register(*, request: HttpRequest, email: str, password: str, name: str) -> User:
    with transaction.atomic():
        user = user_register(email=email, password=password, name=name)
        audit_record("registered", request=request, user=user)
        email_verification_send(user=user)
    return user
