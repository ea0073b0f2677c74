"""Sign-in by emailed code: one answer for every address, a code that works once, within
its lifetime and its tries, and the rules of every other sign-in."""

import email
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.login_codes import login_code_send
from accounts.mail import mail_drain
from accounts.models import AuthSession, LoginCode, OAuthAccount
from accounts.tests.concurrency import postgres_only, run_concurrently
from accounts.tests.factories import OAuthAccountFactory, UserFactory
from accounts.tests.helpers import FRONTEND, PASSWORD, code_from, event_types
from accounts.tests.smtp_sink import Sink, use_sink

REQUEST = "/api/auth/code/request"
VERIFY = "/api/auth/code/verify"

pytestmark = pytest.mark.django_db


def request_code(api, commit, address):
    return commit(api.post, REQUEST, {"email": address}, format="json")


def verify(api, address, code, ip="127.0.0.1", **body):
    body = {"email": address, "code": code, **body}
    return api.post(VERIFY, body, format="json", REMOTE_ADDR=ip)


def ip(i: int) -> str:
    """Another client address, so the per-address limits do not stop a test's many tries."""
    return f"203.0.113.{i}"


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


@pytest.fixture
def sink(settings):
    sink = Sink().start()
    use_sink(settings, sink)
    yield sink
    sink.stop()


def test_a_code_through_the_mail_server_signs_in_and_proves_the_address(api, commit, sink):
    user = UserFactory()  # a provider's user: no password
    assert request_code(api, commit, user.email.upper()).status_code == 202
    [envelope] = sink.envelopes
    message = email.message_from_bytes(envelope.content)
    text = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    body = text.get_payload(decode=True).decode()
    code = code_from(body)
    assert envelope.rcpt_tos == [user.email]
    assert f"{FRONTEND}/login/code?{urlencode({'email': user.email, 'code': code})}" in body

    response = verify(api, user.email, code, transport="token")

    assert response.status_code == 200, response.content
    assert response.json()["user"]["email_verified"] is True
    assert AuthSession.objects.filter(user=user, revoked=False).count() == 1
    assert event_types(user)[-2:] == ["email_verified", "signed_in"]
    signed_in = api.get("/api/auth/me", HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
    assert signed_in.status_code == 200


def test_the_request_answers_alike_for_an_account_and_for_none(api, commit, user, outbox):
    known = request_code(api, commit, user.email)
    unknown = request_code(api, commit, "nobody@example.com")
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert known.cookies.keys() == unknown.cookies.keys()
    assert [m.to for m in outbox] == [[user.email]]


def test_only_the_digest_is_stored(api, commit, user, outbox):
    request_code(api, commit, user.email)
    row = LoginCode.objects.get(user=user)
    assert code_from(outbox[0].body) not in row.code_hash and len(row.code_hash) == 64


def test_a_browser_gets_the_session_cookie(api, commit, user, outbox):
    request_code(api, commit, user.email)
    response = verify(api, user.email, code_from(outbox[0].body))
    assert response.status_code == 200
    assert response.cookies["session_token"].value
    assert "token" not in response.json()


def test_a_code_works_once(api, commit, user, outbox):
    request_code(api, commit, user.email)
    code = code_from(outbox[0].body)
    assert verify(api, user.email, code).status_code == 200
    again = verify(api, user.email, code)
    assert again.status_code == 400
    assert again.json()["code"] == "invalid_code"


def test_an_expired_code_is_refused(api, commit, user, outbox):
    request_code(api, commit, user.email)
    LoginCode.objects.filter(user=user).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = verify(api, user.email, code_from(outbox[0].body))
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_code"


def test_a_code_lasts_ten_minutes(api, commit, user, outbox):
    before = timezone.now()
    request_code(api, commit, user.email)
    lifetime = LoginCode.objects.get(user=user).expires_at - before
    assert timedelta(minutes=9, seconds=59) < lifetime <= timedelta(minutes=10, seconds=1)


def test_five_wrong_tries_kill_the_code(api, commit, user, outbox):
    request_code(api, commit, user.email)
    code = code_from(outbox[0].body)
    for i in range(5):
        response = verify(api, user.email, wrong(code), ip=ip(i))
        assert response.status_code == 400
        assert response.json()["code"] == "invalid_code"
    response = verify(api, user.email, code, ip=ip(5))
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_code"
    assert not LoginCode.objects.filter(user=user).exists()


def test_a_new_request_replaces_the_old_code(api, commit, user, outbox):
    request_code(api, commit, user.email)
    request_code(api, commit, user.email)
    first, second = (code_from(m.body) for m in outbox)
    if first != second:
        assert verify(api, user.email, first).json()["code"] == "invalid_code"
    assert verify(api, user.email, second).status_code == 200


def test_every_failure_answers_alike(api, commit, user, outbox):
    inactive = UserFactory(is_active=False)
    request_code(api, commit, inactive.email)
    answers = [
        verify(api, "nobody@example.com", "123456"),
        verify(api, user.email, "123456"),  # no code asked for
        verify(api, inactive.email, "123456"),
    ]
    assert outbox == []
    assert {(r.status_code, r.json()["code"], r.json()["detail"]) for r in answers} == {
        (400, "invalid_code", answers[0].json()["detail"])
    }


def test_wrong_codes_spend_the_accounts_sign_in_budget(api, commit, user, outbox):
    request_code(api, commit, user.email)
    code = code_from(outbox[0].body)
    for i in range(4):
        verify(api, user.email, wrong(code), ip=ip(i))
    # The password path spends the same budget: ten failures in all lock the account.
    for i in range(6):
        body = {"email": user.email, "password": "wrong guess 123"}
        api.post("/api/auth/login", body, REMOTE_ADDR=ip(10 + i))
    response = verify(api, user.email, code, ip=ip(20))
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"


def test_requests_are_limited_per_address(api, commit, user, outbox):
    for _ in range(3):
        assert request_code(api, commit, user.email).status_code == 202
    response = request_code(api, commit, user.email)
    assert response.status_code == 429
    assert len(outbox) == 3


def test_requests_are_limited_per_ip(api, commit, outbox):
    for i in range(10):
        assert request_code(api, commit, f"someone{i}@example.com").status_code == 202
    assert request_code(api, commit, "one-more@example.com").status_code == 429


def test_mandatory_verification_is_met_by_the_code(api, commit, settings, outbox):
    settings.EMAIL_VERIFICATION = "mandatory"
    user = UserFactory()
    request_code(api, commit, user.email)
    response = verify(api, user.email, code_from(outbox[0].body))
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.email_verified


def test_a_code_for_an_unverified_address_unlinks_the_squatters_providers(api, commit, outbox):
    """Someone registered the address first and linked their own GitHub: the owner's code
    proves the address, and must not leave the squatter that way back in."""
    squatter = UserFactory(email="ann@example.com", password=PASSWORD)
    OAuthAccountFactory(user=squatter, provider="github", provider_account_id="666")
    request_code(api, commit, "ann@example.com")
    assert verify(api, "ann@example.com", code_from(outbox[0].body)).status_code == 200
    assert not OAuthAccount.objects.filter(user=squatter).exists()
    assert event_types(squatter)[-3:] == ["oauth_unlinked", "email_verified", "signed_in"]


def test_a_code_for_a_verified_address_keeps_the_linked_providers(api, commit, outbox):
    user = UserFactory(email_verified_at=timezone.now())
    OAuthAccountFactory(user=user)
    request_code(api, commit, user.email)
    assert verify(api, user.email, code_from(outbox[0].body)).status_code == 200
    assert OAuthAccount.objects.filter(user=user).exists()


def test_failures_and_requests_are_audited(api, commit, user, outbox):
    request_code(api, commit, user.email)
    verify(api, user.email, wrong(code_from(outbox[0].body)))
    assert event_types(user) == ["sign_in_code_requested", "sign_in_failed"]
    failed = user.auth_events.get(type="sign_in_failed")
    assert failed.detail == {"reason": "wrong_code", "method": "code"}


def mailed_code(user) -> str:
    """A code sent as the request would send it, read from the delivered mail."""
    login_code_send(request=None, email=user.email)
    mail_drain()
    return code_from(mail.outbox[-1].body)


def verifying(address: str, code: str, n: int):
    return lambda: APIClient(REMOTE_ADDR=ip(n)).post(
        VERIFY, {"email": address, "code": code, "transport": "token"}, format="json"
    )


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_code_used_concurrently_signs_in_once():
    user = UserFactory()
    code = mailed_code(user)
    responses = run_concurrently(*(verifying(user.email, code, n) for n in range(6)))
    assert sorted(r.status_code for r in responses) == [200, 400, 400, 400, 400, 400]
    assert AuthSession.objects.filter(user=user).count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_guesses_get_no_more_than_five_tries():
    user = UserFactory()
    code = mailed_code(user)
    guesses = run_concurrently(*(verifying(user.email, wrong(code), n) for n in range(8)))
    assert {r.status_code for r in guesses} == {400}
    assert verifying(user.email, code, 9)().json()["code"] == "invalid_code"
