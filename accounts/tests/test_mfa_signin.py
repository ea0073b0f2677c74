"""Every way in asks for the second factor: the password login and the social callback stop
at a pending sign-in, and POST /api/auth/mfa/verify completes it with a code (TOTP, within one
step of drift, never replayed) or a recovery code (once), within its limits."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import AuthEvent, AuthSession, MfaChallenge
from accounts.tests.factories import OAuthAccountFactory, UserFactory
from accounts.tests.helpers import (
    FRONTEND,
    PASSWORD,
    TOTP_STEP,
    client_of,
    event_types,
    mfa_verify,
    password_login,
    totp_code,
    totp_turn_on,
)
from accounts.tests.providers import Identity

pytestmark = pytest.mark.django_db

COOKIE = settings.AUTH_SESSION_COOKIE_NAME
PENDING = settings.MFA_PENDING_COOKIE_NAME


@pytest.fixture
def secret(user, totp_clock) -> str:
    """Two-factor on for `user`, turned on through the API; its TOTP secret."""
    return totp_turn_on(client_of(user), totp_clock)[0]


@pytest.fixture
def recovery_codes(user, totp_clock) -> list[str]:
    return totp_turn_on(client_of(user), totp_clock)[1]


def mfa_token(user, **fields) -> str:
    response = password_login(APIClient(), user.email, **fields)
    assert response.status_code == 200, response.content
    return response.json()["mfa_token"]


def test_the_password_alone_gets_no_session(api, user, secret):
    sessions = AuthSession.objects.count()

    response = password_login(api, user.email)

    assert response.status_code == 200
    body = response.json()
    assert body["mfa_required"] is True and body["methods"] == ["totp", "recovery_code"]
    assert len(body["mfa_token"]) >= 32 and "user" not in body and "session" not in body
    assert COOKIE not in response.cookies and "device" not in response.cookies
    assert AuthSession.objects.count() == sessions
    assert "signed_in" not in event_types(user)
    assert api.get("/api/auth/me").status_code == 401


def test_the_token_is_stored_as_a_digest(user, secret):
    token = mfa_token(user)
    stored = MfaChallenge.objects.get()
    assert token not in stored.token_hash and len(stored.token_hash) == 64


def test_a_code_completes_the_sign_in_with_the_cookie_it_asked_for(api, user, secret, totp_clock):
    token = mfa_token(user, remember=False)

    response = mfa_verify(api, totp_code(secret, totp_clock), token)

    assert response.status_code == 200
    assert response.json()["user"]["email"] == user.email and "token" not in response.json()
    cookie = response.cookies[COOKIE]
    assert cookie["httponly"] and not cookie["max-age"]  # remember: false, as the login asked
    assert api.get("/api/auth/me").status_code == 200
    verified = AuthEvent.objects.get(type="mfa_verified")
    assert verified.detail == {"factor": "totp", "method": "password"}
    assert AuthEvent.objects.filter(type="signed_in", user=user).last().detail["method"] == (
        "password"
    )


def test_a_token_transport_login_completes_with_a_token(user, secret, totp_clock):
    token = mfa_token(user, transport="token")
    anonymous = APIClient()

    response = mfa_verify(anonymous, totp_code(secret, totp_clock), token)

    assert response.status_code == 200 and COOKIE not in response.cookies
    bearer = APIClient(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
    assert bearer.get("/api/auth/me").status_code == 200


def test_the_token_is_single_use(api, user, secret, totp_clock):
    token = mfa_token(user)
    assert mfa_verify(api, totp_code(secret, totp_clock), token).status_code == 200
    totp_clock.advance(TOTP_STEP)

    again = mfa_verify(APIClient(), totp_code(secret, totp_clock), token)

    assert again.status_code == 400 and again.json()["code"] == "invalid_mfa_token"


def test_the_token_expires_after_five_minutes(api, user, secret, totp_clock):
    token = mfa_token(user)
    challenge = MfaChallenge.objects.get()
    assert challenge.expires_at - challenge.created_at == pytest.approx(
        timedelta(minutes=5), abs=timedelta(seconds=1)
    )
    MfaChallenge.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = mfa_verify(api, totp_code(secret, totp_clock), token)

    assert response.status_code == 400 and response.json()["code"] == "invalid_mfa_token"


def test_finished_pending_sign_ins_are_purged(user, secret, totp_clock):
    mfa_verify(APIClient(), totp_code(secret, totp_clock), mfa_token(user))  # completed
    mfa_token(user)  # expires below
    MfaChallenge.objects.filter(used_at=None).update(expires_at=timezone.now())
    waiting = mfa_token(user)

    call_command("purge_sessions")

    assert MfaChallenge.objects.count() == 1
    assert mfa_verify(APIClient(), totp_code(secret, totp_clock, 1), waiting).status_code == 200


def test_an_unknown_or_missing_token_is_refused(api, user, secret, totp_clock):
    for token in ("forged", ""):
        response = mfa_verify(api, totp_code(secret, totp_clock), token)
        assert response.status_code == 400 and response.json()["code"] == "invalid_mfa_token"


def test_five_wrong_codes_kill_the_token(api, user, secret, totp_clock):
    token = mfa_token(user)
    for _ in range(5):
        wrong = mfa_verify(api, totp_code(secret, totp_clock, steps=3), token)
        assert wrong.status_code == 401 and wrong.json()["code"] == "invalid_code"

    right = mfa_verify(api, totp_code(secret, totp_clock), token)

    assert right.status_code == 400 and right.json()["code"] == "invalid_mfa_token"
    assert event_types(user).count("mfa_failed") == 5
    assert AuthEvent.objects.filter(type="mfa_failed").first().detail == {"stage": "sign_in"}


def test_a_used_time_step_is_refused_afterwards(user, secret, totp_clock):
    code = totp_code(secret, totp_clock)
    assert mfa_verify(APIClient(), code, mfa_token(user)).status_code == 200

    replayed = mfa_verify(APIClient(), code, mfa_token(user))
    # The step before is older than the one used: an overheard earlier code is refused too.
    older = mfa_verify(APIClient(), totp_code(secret, totp_clock, steps=-1), mfa_token(user))

    assert replayed.status_code == 401 and replayed.json()["code"] == "invalid_code"
    assert older.status_code == 401
    totp_clock.advance(TOTP_STEP)
    assert mfa_verify(APIClient(), totp_code(secret, totp_clock), mfa_token(user)).status_code == (
        200
    )


@pytest.mark.parametrize("steps", [-1, 1])
def test_one_step_of_drift_either_way_is_accepted(user, secret, totp_clock, steps):
    totp_clock.advance(2 * TOTP_STEP)  # past the step the confirmation used
    response = mfa_verify(APIClient(), totp_code(secret, totp_clock, steps=steps), mfa_token(user))
    assert response.status_code == 200


@pytest.mark.parametrize("steps", [-2, 2])
def test_two_steps_off_is_refused(user, secret, totp_clock, steps):
    totp_clock.advance(3 * TOTP_STEP)
    response = mfa_verify(APIClient(), totp_code(secret, totp_clock, steps=steps), mfa_token(user))
    assert response.status_code == 401


def test_a_recovery_code_works_once(user, recovery_codes):
    code = recovery_codes[3].upper().replace("-", " ")  # read off paper, typed loosely

    first = mfa_verify(APIClient(), code, mfa_token(user))
    second = mfa_verify(APIClient(), code, mfa_token(user))

    assert first.status_code == 200
    assert second.status_code == 401 and second.json()["code"] == "invalid_code"
    used = AuthEvent.objects.get(type="recovery_code_used")
    assert used.detail == {"stage": "sign_in", "left": 9}
    assert AuthEvent.objects.get(type="mfa_verified").detail["factor"] == "recovery_code"
    assert client_of(user).get("/api/auth/mfa").json()["recovery_codes_left"] == 9


def test_ten_wrong_codes_per_user_then_429_whichever_token(user, secret, totp_clock):
    wrong = totp_code(secret, totp_clock, steps=4)
    for _ in range(2):
        token = mfa_token(user)
        for _ in range(5):
            assert mfa_verify(APIClient(), wrong, token).status_code == 401

    refused = mfa_verify(APIClient(), totp_code(secret, totp_clock), mfa_token(user))

    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    limited = AuthEvent.objects.get(type="rate_limited")
    assert limited.detail == {"action": "mfa-failed", "scope": "user"}


def test_the_budget_refills_after_fifteen_minutes(user, secret, totp_clock, ratelimit_clock):
    wrong = totp_code(secret, totp_clock, steps=4)
    for _ in range(2):
        token = mfa_token(user)
        for _ in range(5):
            mfa_verify(APIClient(), wrong, token)
    ratelimit_clock.advance(15 * 60)
    assert mfa_verify(APIClient(), totp_code(secret, totp_clock), mfa_token(user)).status_code == (
        200
    )


def test_wrong_codes_of_a_sensitive_action_spend_the_same_budget(user, secret, totp_clock):
    session = client_of(user)
    for _ in range(10):
        body = {"password": PASSWORD, "code": "000000"}
        assert session.delete("/api/auth/me", body, format="json").status_code == 403

    response = mfa_verify(APIClient(), totp_code(secret, totp_clock), mfa_token(user))

    assert response.status_code == 429
    assert AuthEvent.objects.filter(type="mfa_failed").first().detail == {"stage": "step_up"}


def test_a_deactivated_user_cannot_complete(user, secret, totp_clock):
    token = mfa_token(user)
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    response = mfa_verify(APIClient(), totp_code(secret, totp_clock), token)
    assert response.status_code == 400 and response.json()["code"] == "invalid_mfa_token"


def test_a_user_without_two_factor_signs_in_at_once(api, user):
    response = password_login(api, user.email)
    assert response.status_code == 200 and "mfa_required" not in response.json()


@pytest.mark.parametrize("provider", ["google", "github"])
def test_social_sign_in_stops_at_the_pending_cookie(oauth_sign_in, totp_clock, provider):
    owner = UserFactory(email="ann@example.com")
    OAuthAccountFactory(user=owner, provider=provider, provider_account_id="1001")
    secret, _ = totp_turn_on(client_of(owner), totp_clock)
    browser = APIClient()

    response = oauth_sign_in(browser, provider, Identity(uid="1001"))

    assert response.status_code == 302
    assert response["Location"] == f"{FRONTEND}/login?mfa=1"
    assert COOKIE not in response.cookies
    pending = response.cookies[PENDING]
    assert pending["httponly"] and pending["path"] == "/api/auth/mfa"
    assert int(pending["max-age"]) == 300
    assert browser.get("/api/auth/me").status_code == 401

    done = mfa_verify(browser, totp_code(secret, totp_clock))

    assert done.status_code == 200 and COOKIE in done.cookies
    assert done.cookies[PENDING].value == ""  # the pending cookie is cleared
    assert browser.get("/api/auth/me").json()["user"]["email"] == owner.email
    assert AuthEvent.objects.get(type="mfa_verified").detail["method"] == provider
