"""Sign-in by emailed code: six digits and a link by mail, then a session for the right code.
The request answers alike, and as fast, whether or not the address has an account."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from accounts.audit import audit_record
from accounts.digests import digests_equal, keyed_digest
from accounts.limits import (
    CODE_REQUEST_PER_EMAIL,
    CODE_REQUEST_PER_IP,
    LOGIN_PER_IP,
    LOGIN_PER_IP_EMAIL,
)
from accounts.lockout import failure_budget, failure_count
from accounts.mail import LOGIN_CODE_PAGE, frontend_page, mail_send
from accounts.models import LoginCode, User, normalize_email
from accounts.sessions import COOKIE, Transport
from accounts.sign_in_methods import CODE
from accounts.signin import SecondFactorPending, SignedIn, sign_in
from accounts.social.links import oauth_accounts_unlink_for_claimed_email
from core.after_response import after_response
from core.errors import ApiError
from core.ratelimit import ratelimit_enforce

LIFETIME = timedelta(minutes=10)
MAX_ATTEMPTS = 5
DIGITS = 6


class InvalidCode(ApiError):
    """One answer for a wrong, used, expired or exhausted code and for an unknown address."""

    def __init__(self) -> None:
        super().__init__("This code is not valid; ask for a new one.", "invalid_code")


def _digest(user: User, code: str) -> str:
    # Keyed by the user too, so one code gives a different digest for every account.
    return keyed_digest(f"{user.pk}:{code}", settings.AUTH_SESSION_SECRET)


def login_code_request(*, request: HttpRequest, email: str) -> None:
    """The lookup and the mail happen after the response, so neither its body nor its
    duration tells whether the address has an account."""
    email = normalize_email(email)
    limits = [CODE_REQUEST_PER_EMAIL, CODE_REQUEST_PER_IP]
    ratelimit_enforce(request=request, limits=limits, email=email)
    after_response(request, login_code_send, request=request, email=email)


def login_code_send(*, request: HttpRequest | None, email: str) -> None:
    """Replace the account's open code with a new one and mail it, if the account exists."""
    user = User.objects.filter(email=email, is_active=True).first()
    if user is None:
        return
    code = f"{secrets.randbelow(10**DIGITS):0{DIGITS}d}"
    with transaction.atomic():
        # The user's row lock serialises two requests that would each insert a code.
        User.objects.select_for_update().filter(pk=user.pk).first()
        LoginCode.objects.filter(user=user).delete()
        LoginCode.objects.create(
            user=user, code_hash=_digest(user, code), expires_at=timezone.now() + LIFETIME
        )
        mail_send(
            template="login_code",
            to=user.email,
            user=user,
            code=code,
            link=frontend_page(LOGIN_CODE_PAGE, email=user.email, code=code),
            valid_for=f"{int(LIFETIME.total_seconds() // 60)} minutes",
        )
        audit_record("sign_in_code_requested", request=request, user=user)


def _code_claim(*, user: User | None, code: str) -> str | None:
    """Use up the code if it is right; otherwise why not. Each try first reserves one of the
    code's attempts with a conditional UPDATE, so concurrent guesses cannot exceed them."""
    if user is None:
        return "unknown_email"
    open_code = LoginCode.objects.filter(user=user, expires_at__gt=timezone.now())
    if not open_code.filter(attempts__lt=MAX_ATTEMPTS).update(attempts=F("attempts") + 1):
        return "no_code"
    row = open_code.first()
    if row is None:  # replaced or used meanwhile
        return "no_code"
    if not digests_equal(row.code_hash, _digest(user, code)):
        open_code.filter(attempts__gte=MAX_ATTEMPTS).delete()
        return "wrong_code"
    if not LoginCode.objects.filter(pk=row.pk, code_hash=row.code_hash).delete()[0]:
        return "no_code"  # a concurrent use of the same code won
    return None


def _address_proved(*, request: HttpRequest, user: User) -> None:
    """The code reached the address, which proves it as a reset link does: providers linked
    while it was unverified are unlinked, since whoever registered it first may have linked
    their own."""
    if user.email_verified:
        return
    with transaction.atomic():
        oauth_accounts_unlink_for_claimed_email(user=user, request=request)
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at", "updated_at"])
        audit_record("email_verified", request=request, user=user, method=CODE)


def login_code_verify(
    *,
    request: HttpRequest,
    email: str,
    code: str,
    remember: bool = True,
    transport: Transport = COOKIE,
) -> SignedIn | SecondFactorPending:
    """A session for the right code (or, with two-factor on, the second factor's turn),
    within the sign-in limits and the account's failure budget that passwords spend too;
    InvalidCode for every failure alike."""
    email = normalize_email(email)
    ratelimit_enforce(request=request, limits=[LOGIN_PER_IP_EMAIL, LOGIN_PER_IP], email=email)
    budget = failure_budget(request=request, email=email)
    user = User.objects.filter(email=email, is_active=True).first()
    failure = _code_claim(user=user, code=code)
    if failure is not None:
        audit_record(
            "sign_in_failed", request=request, user=user, email=email, reason=failure, method=CODE
        )
        failure_count(request=request, budget=budget, user=user)
        raise InvalidCode()
    _address_proved(request=request, user=user)
    return sign_in(request=request, user=user, method=CODE, remember=remember, transport=transport)
