"""Password login: the sign-in limits, one password hash on every path, one answer for every
wrong credential, then the sign-in service."""

from dataclasses import dataclass
from typing import Literal

from django.contrib.auth.hashers import make_password
from django.http import HttpRequest
from rest_framework import status

from accounts.audit import audit_record
from accounts.limits import LOGIN_FAILURES_PER_EMAIL, LOGIN_PER_IP, LOGIN_PER_IP_EMAIL
from accounts.models import User, normalize_email
from accounts.signin import PASSWORD, SignedIn, sign_in
from core.errors import ApiError
from core.ratelimit import ratelimit_check_failures, ratelimit_count_failure, ratelimit_enforce

CredentialsFailure = Literal["unknown_email", "no_password", "wrong_password", "inactive"]


@dataclass(frozen=True)
class CredentialsCheck:
    """`user` when the password is right; `account` is whoever the email names, if anyone."""

    user: User | None
    account: User | None
    failure: CredentialsFailure | None


def credentials_check(*, email: str, password: str) -> CredentialsCheck:
    """One password hash on every path, so latency does not tell which emails exist."""
    account = User.objects.filter(email=normalize_email(email)).first()
    if account is None or not account.has_usable_password():
        make_password(password)
        failure = "unknown_email" if account is None else "no_password"
        return CredentialsCheck(user=None, account=account, failure=failure)
    if not account.check_password(password):
        return CredentialsCheck(user=None, account=account, failure="wrong_password")
    if not account.is_active:
        return CredentialsCheck(user=None, account=account, failure="inactive")
    return CredentialsCheck(user=account, account=account, failure=None)


def password_login(*, request: HttpRequest, email: str, password: str, remember: bool) -> SignedIn:
    """A new session for the right password; one answer for every wrong one."""
    email = normalize_email(email)
    ratelimit_enforce(request=request, limits=[LOGIN_PER_IP_EMAIL, LOGIN_PER_IP], email=email)
    ratelimit_check_failures(request=request, limit=LOGIN_FAILURES_PER_EMAIL, email=email)
    check = credentials_check(email=email, password=password)
    if check.user is None:
        audit_record(
            "sign_in_failed", request=request, user=check.account, email=email, reason=check.failure
        )
        ratelimit_count_failure(
            request=request, limit=LOGIN_FAILURES_PER_EMAIL, email=email, user=check.account
        )
        raise ApiError(
            "Invalid email or password.", "invalid_credentials", status.HTTP_401_UNAUTHORIZED
        )
    return sign_in(request=request, user=check.user, method=PASSWORD, remember=remember)
