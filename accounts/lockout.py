"""Which failure budget a password attempt spends: the account's, or a trusted device's, so
that strangers who spend the account's budget cannot lock its owner out."""

from dataclasses import dataclass

from django.http import HttpRequest

from accounts.devices import device_recognised
from accounts.limits import LOGIN_FAILURES_PER_DEVICE, LOGIN_FAILURES_PER_EMAIL
from core.ratelimit import (
    Limit,
    ratelimit_check_failures,
    ratelimit_count_failure,
    ratelimit_failures_spent,
)


@dataclass(frozen=True)
class FailureBudget:
    """Whose failure count a password attempt spends: the account's, or a trusted device's."""

    limit: Limit
    email: str = ""
    device: str = ""


def failure_budget(*, request: HttpRequest, email: str) -> FailureBudget:
    """The budget this attempt may spend; RateLimited when it has none left.

    A browser with a valid device cookie for this account spends its own budget, so the
    account's lockout cannot be turned against its owner; once that is spent as well, it is
    treated like any other client."""
    device = device_recognised(request=request, email=email)
    if device:
        budget = FailureBudget(limit=LOGIN_FAILURES_PER_DEVICE, device=device)
        if ratelimit_failures_spent(request=request, limit=budget.limit, device=device) is None:
            return budget
    budget = FailureBudget(limit=LOGIN_FAILURES_PER_EMAIL, email=email)
    ratelimit_check_failures(request=request, limit=budget.limit, email=email)
    return budget


def failure_count(*, request: HttpRequest, budget: FailureBudget, user=None) -> None:
    """Spend one failure of the budget; the one that empties it is announced."""
    ratelimit_count_failure(
        request=request, limit=budget.limit, email=budget.email, device=budget.device, user=user
    )
