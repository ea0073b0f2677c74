"""Second factors are single-use under concurrency too: one TOTP step, one recovery code and
one mfa_token each win exactly once when several requests present them at the same time."""

import pytest
from rest_framework.test import APIClient

from accounts.models import AuthSession
from accounts.tests.concurrency import postgres_only, run_concurrently
from accounts.tests.factories import UserFactory
from accounts.tests.helpers import (
    PASSWORD,
    client_of,
    mfa_verify,
    password_login,
    totp_code,
    totp_turn_on,
)

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]

RACERS = 4


@pytest.fixture
def protected(totp_clock):
    """A user with two-factor on; `.secret` and `.codes` are what the API handed out."""
    user = UserFactory(password=PASSWORD)
    user.secret, user.codes = totp_turn_on(client_of(user), totp_clock)
    return user


def tokens(user, n: int) -> list[str]:
    return [password_login(APIClient(), user.email).json()["mfa_token"] for _ in range(n)]


def verify(code: str, token: str):
    return lambda: mfa_verify(APIClient(), code, token)


def test_one_totp_code_wins_once(protected, totp_clock):
    code = totp_code(protected.secret, totp_clock)
    before = AuthSession.objects.count()

    answers = run_concurrently(*(verify(code, token) for token in tokens(protected, RACERS)))

    assert sorted(a.status_code for a in answers) == [200] + [401] * (RACERS - 1)
    assert AuthSession.objects.count() == before + 1


def test_one_recovery_code_wins_once(protected):
    code = protected.codes[0]
    answers = run_concurrently(*(verify(code, token) for token in tokens(protected, RACERS)))
    assert sorted(a.status_code for a in answers) == [200] + [401] * (RACERS - 1)


def test_one_mfa_token_gives_one_session(protected):
    (token,) = tokens(protected, 1)
    before = AuthSession.objects.count()

    answers = run_concurrently(*(verify(code, token) for code in protected.codes[:RACERS]))

    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200] + [400] * (RACERS - 1)
    assert AuthSession.objects.count() == before + 1
