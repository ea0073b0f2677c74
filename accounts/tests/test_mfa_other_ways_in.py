"""Two-factor at the ways in without a password: a sign-in by emailed code still stops at the
second factor; a passkey is two factors in one, and also answers the second stage after a
password in place of a code."""

import pytest
from rest_framework.test import APIClient

from accounts.models import AuthSession
from accounts.tests.authenticator import (
    SoftAuthenticator,
    login_options,
    passkey_login,
    register_passkey,
)
from accounts.tests.helpers import (
    PASSWORD,
    client_of,
    code_from,
    event_types,
    mfa_verify,
    password_login,
    totp_code,
    totp_turn_on,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("relying_party")]


@pytest.fixture
def secret(user, totp_clock) -> str:
    return totp_turn_on(client_of(user), totp_clock)[0]


def passkey_answer(client, key) -> dict:
    options = login_options(client)
    return {"challenge_id": options["challenge_id"], "credential": key.get(options)}


def test_an_emailed_code_alone_gets_no_session(api, commit, user, secret, totp_clock, outbox):
    commit(api.post, "/api/auth/code/request", {"email": user.email}, format="json")
    body = {"email": user.email, "code": code_from(outbox[-1].body), "transport": "token"}
    sessions = AuthSession.objects.count()

    pending = api.post("/api/auth/code/verify", body, format="json")

    assert pending.status_code == 200 and pending.json()["mfa_required"] is True
    assert AuthSession.objects.count() == sessions
    done = mfa_verify(api, totp_code(secret, totp_clock), pending.json()["mfa_token"])
    assert done.status_code == 200 and done.json()["token"]  # the transport the code asked for
    assert user.auth_events.filter(type="signed_in").latest("id").detail["method"] == "code"


def test_a_passkey_sign_in_needs_no_code(api, user, registered, key, secret):
    response = passkey_login(api, key, transport="token")
    assert response.status_code == 200 and "mfa_required" not in response.json()


def test_a_passkey_answers_the_second_stage_after_a_password(user, registered, key, secret):
    browser = APIClient()
    pending = password_login(browser, user.email, transport="token").json()
    assert pending["methods"] == ["totp", "recovery_code", "passkey"]

    body = {"mfa_token": pending["mfa_token"], "passkey": passkey_answer(browser, key)}
    response = browser.post("/api/auth/mfa/verify", body, format="json")

    assert response.status_code == 200 and response.json()["token"]
    assert "mfa_verified" in event_types(user)


def test_another_accounts_passkey_is_no_second_factor(user, registered, secret):
    browser = APIClient()
    pending = password_login(browser, user.email).json()
    stranger = SoftAuthenticator()  # never registered: no passkey of this user
    body = {"mfa_token": pending["mfa_token"], "passkey": passkey_answer(browser, stranger)}
    sessions = AuthSession.objects.count()

    response = browser.post("/api/auth/mfa/verify", body, format="json")

    assert response.status_code == 401 and response.json()["code"] == "passkey_not_recognised"
    assert AuthSession.objects.count() == sessions


def test_a_code_and_a_passkey_together_are_refused(user, registered, key, secret, totp_clock):
    browser = APIClient()
    pending = password_login(browser, user.email).json()
    body = {
        "mfa_token": pending["mfa_token"],
        "code": totp_code(secret, totp_clock),
        "passkey": passkey_answer(browser, key),
    }
    assert browser.post("/api/auth/mfa/verify", body, format="json").status_code == 400


def test_adding_a_passkey_with_two_factor_on_takes_a_code(signed_in, user, secret, totp_clock):
    key = SoftAuthenticator()
    refused = register_passkey(signed_in, key, password=PASSWORD)
    assert refused.status_code == 403 and refused.json()["code"] == "mfa_required"
    code = totp_code(secret, totp_clock)
    assert register_passkey(signed_in, key, password=PASSWORD, code=code).status_code == 201


def test_a_passkey_stands_for_the_code_in_a_sensitive_action(user, registered, key, secret):
    mine = client_of(user)
    proof = {"password": PASSWORD, "passkey": passkey_answer(mine, key)}
    assert mine.delete("/api/auth/me", proof, format="json").status_code == 204


def test_a_strangers_passkey_stands_for_nothing(user, registered, secret):
    mine = client_of(user)
    proof = {"password": PASSWORD, "passkey": passkey_answer(mine, SoftAuthenticator())}
    response = mine.delete("/api/auth/me", proof, format="json")
    assert response.status_code == 403 and response.json()["code"] == "passkey_not_recognised"
    user.refresh_from_db()
