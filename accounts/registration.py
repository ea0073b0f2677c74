"""Registration (sign-up): a new account signed in at once, or, with mandatory verification,
no answer that tells a taken address from a free one."""

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from accounts.audit import audit_record
from accounts.email_verification import email_verification_send, verification_mandatory
from accounts.limits import REGISTER_PER_IP
from accounts.mail import mail_send
from accounts.models import User, normalize_email
from accounts.passwords import validate_new_password
from accounts.sign_in_methods import REGISTRATION
from accounts.signin import SignedIn, sign_in
from accounts.users import EmailTaken
from core.after_response import after_response
from core.ratelimit import ratelimit_enforce


def user_register(*, request: HttpRequest, email: str, password: str, name: str) -> SignedIn | None:
    """The new user's first session; None when verification is mandatory, where a taken
    address must look exactly like a free one (its owner gets a mail instead)."""
    ratelimit_enforce(request=request, limits=[REGISTER_PER_IP])
    if not verification_mandatory():
        with transaction.atomic():
            user = _user_create(request=request, email=email, password=password, name=name)
            return sign_in(request=request, user=user, method=REGISTRATION)
    # The same work for a taken address as for a free one: check and hash the password
    # now; find out which it is, and act on it, after the response.
    email = normalize_email(email)
    validate_new_password(password, user=User(email=email, name=name))
    encoded = make_password(password)
    after_response(
        request, user_register_quietly, request=request, email=email, encoded=encoded, name=name
    )
    return None


def user_register_quietly(
    *, request: HttpRequest | None, email: str, encoded: str, name: str
) -> None:
    """Create the account (password already hashed), or tell the owner of a taken address."""
    try:
        _user_create(request=request, email=email, password=None, name=name, encoded=encoded)
    except EmailTaken:
        owner = User.objects.filter(email=email).first()
        if owner is not None:
            mail_send(template="registration_attempt", to=owner.email, user=owner)
            audit_record("registration_attempted", request=request, user=owner)


def _user_create(
    *,
    request: HttpRequest | None,
    email: str,
    password: str | None,
    name: str,
    encoded: str | None = None,
) -> User:
    """A duplicate address (in any case, even concurrently) is EmailTaken."""
    email = normalize_email(email)
    if password is not None:
        validate_new_password(password, user=User(email=email, name=name))
    if User.objects.filter(email=email).exists():
        raise EmailTaken()
    try:
        with transaction.atomic():
            if encoded is None:
                user = User.objects.create_user(email=email, password=password, name=name)
            else:
                user = User.objects.create(email=email, password=encoded, name=name)
            audit_record("registered", request=request, user=user)
            email_verification_send(user=user)
    except IntegrityError as exc:
        raise EmailTaken() from exc
    return user
