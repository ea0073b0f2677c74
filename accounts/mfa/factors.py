"""Whether a user has two-factor on, and checking a second-factor code from any way in (the
sign-in's second stage, a sensitive action, the admin's login) against one per-user budget."""

from typing import Literal

from django.http import HttpRequest
from rest_framework import status

from accounts.audit import audit_record
from accounts.limits import MFA_FAILURES_PER_USER
from accounts.mfa.recovery_codes import recovery_code_use, recovery_codes_left
from accounts.mfa.totp import code_looks_like_totp, totp_code_accept
from accounts.models import Passkey, TotpDevice, User
from core.errors import ApiError
from core.ratelimit import ratelimit_check_failures, ratelimit_count_failure

Factor = Literal["totp", "recovery_code", "passkey"]
TOTP: Factor = "totp"
RECOVERY_CODE: Factor = "recovery_code"
PASSKEY: Factor = "passkey"


def mfa_device(user: User) -> TotpDevice | None:
    """The user's confirmed authenticator: two-factor is on exactly when there is one."""
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def mfa_enabled(user: User) -> bool:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def mfa_methods(user: User) -> list[str]:
    """What the second stage accepts from this user."""
    has_passkey = Passkey.objects.filter(user=user).exists()
    return [TOTP, RECOVERY_CODE, *([PASSKEY] if has_passkey else [])]


class InvalidCode(ApiError):
    """401 at the sign-in's second stage (nobody is signed in yet); 403 for a signed-in
    user's sensitive action, where 401 would read as the session having ended."""

    def __init__(self, status_code: int = status.HTTP_401_UNAUTHORIZED) -> None:
        super().__init__("The code is wrong or was already used.", "invalid_code", status_code)


def code_budget_check(*, request: HttpRequest | None, user: User) -> None:
    """RateLimited once the user's budget of wrong codes is spent, whichever way in spent it."""
    if request is not None:
        ratelimit_check_failures(request=request, limit=MFA_FAILURES_PER_USER, user=user)


def code_failed(*, request: HttpRequest | None, user: User, stage: str) -> None:
    """A wrong code: audited with the `stage` that saw it, and spent from the user's budget."""
    audit_record("mfa_failed", request=request, user=user, stage=stage)
    if request is not None:
        ratelimit_count_failure(request=request, limit=MFA_FAILURES_PER_USER, user=user)


def second_factor_verify(
    *, request: HttpRequest | None, user: User, code: str, stage: str
) -> Factor | None:
    """Which factor the code proves (a TOTP code, or an unused recovery code, then spent),
    or None, within the user's budget of wrong codes."""
    code_budget_check(request=request, user=user)
    code = code.strip().replace(" ", "")
    device = mfa_device(user)
    if device is not None and code_looks_like_totp(code):
        factor = TOTP if totp_code_accept(device=device, code=code) else None
    else:
        factor = RECOVERY_CODE if recovery_code_use(user=user, code=code) else None
    if factor is None:
        code_failed(request=request, user=user, stage=stage)
    elif factor == RECOVERY_CODE:
        left = recovery_codes_left(user=user)
        audit_record("recovery_code_used", request=request, user=user, stage=stage, left=left)
    return factor
