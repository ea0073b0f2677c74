"""Password login: the sign-in limits, one password hash on every path, one answer for every
wrong credential, then the sign-in service. The admin's login form runs the same check."""

from dataclasses import dataclass
from typing import Literal

from django.contrib.auth.hashers import make_password
from django.http import HttpRequest
from rest_framework import status

from accounts.audit import audit_record
from accounts.limits import LOGIN_PER_IP, LOGIN_PER_IP_EMAIL
from accounts.lockout import failure_budget, failure_count
from accounts.models import User, normalize_email
from accounts.sessions import Transport
from accounts.sign_in_methods import PASSWORD
from accounts.signin import SecondFactorPending, SignedIn, sign_in
from core.errors import ApiError
from core.ratelimit import ratelimit_enforce

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


class InvalidCredentials(ApiError):
    def __init__(self) -> None:
        super().__init__(
            "Invalid email or password.", "invalid_credentials", status.HTTP_401_UNAUTHORIZED
        )


def password_verify(*, request: HttpRequest, email: str, password: str, method: str) -> User:
    """The user whose password this is, within every sign-in limit; a failure is audited and
    counted. Raises RateLimited, or InvalidCredentials (one answer for every wrong one)."""
    email = normalize_email(email)
    ratelimit_enforce(request=request, limits=[LOGIN_PER_IP_EMAIL, LOGIN_PER_IP], email=email)
    budget = failure_budget(request=request, email=email)
    check = credentials_check(email=email, password=password)
    if check.user is None:
        audit_record(
            "sign_in_failed",
            request=request,
            user=check.account,
            email=email,
            reason=check.failure,
            method=method,
        )
        failure_count(request=request, budget=budget, user=check.account)
        raise InvalidCredentials()
    return check.user


def password_login(
    *, request: HttpRequest, email: str, password: str, remember: bool, transport: Transport
) -> SignedIn | SecondFactorPending:
    """A new session for the right password (or, with two-factor on, the second factor's
    turn); one answer for every wrong one."""
    user = password_verify(request=request, email=email, password=password, method=PASSWORD)
    return sign_in(
        request=request, user=user, method=PASSWORD, remember=remember, transport=transport
    )
