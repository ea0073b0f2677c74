from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import UserFactory
from accounts.tests.helpers import PASSWORD, client_of, event_types, token_from

CHANGE = "/api/auth/email/change"
VERIFY = "/api/auth/email/verify"

pytestmark = pytest.mark.django_db


def change(client, commit, new_email="new@example.com", password=PASSWORD):
    return commit(client.post, CHANGE, {"new_email": new_email, "password": password})


def test_change_mails_the_new_address_and_tells_the_old(signed_in, commit, outbox):
    old = signed_in.user.email
    response = change(signed_in, commit)
    assert response.status_code == 202
    assert {tuple(m.to) for m in outbox} == {("new@example.com",), (old,)}
    notice = next(m for m in outbox if m.to == [old])
    assert "new@example.com" in notice.body
    assert "?token=" not in notice.body
    assert User.objects.get(pk=signed_in.user.pk).email == old


def test_verifying_the_link_applies_the_change(signed_in, commit, outbox, api):
    change(signed_in, commit, new_email="New@Example.com")
    link = next(m for m in outbox if m.to == ["new@example.com"])
    response = api.post(VERIFY, {"token": token_from(link)})
    assert response.status_code == 200
    assert response.json()["user"]["email"] == "new@example.com"
    assert response.json()["user"]["email_verified"] is True
    assert event_types(signed_in.user)[-2:] == ["email_change_requested", "email_changed"]


def test_address_taken_by_the_time_of_applying_is_refused(signed_in, commit, outbox, api):
    change(signed_in, commit)
    link = next(m for m in outbox if m.to == ["new@example.com"])
    UserFactory(email="new@example.com")
    response = api.post(VERIFY, {"token": token_from(link)})
    assert response.status_code == 409
    assert response.json()["code"] == "email_taken"
    assert User.objects.get(pk=signed_in.user.pk).email != "new@example.com"


def test_address_of_another_account_gets_no_mail_and_the_same_answer(signed_in, commit, outbox):
    UserFactory(email="taken@example.com")
    response = change(signed_in, commit, new_email="taken@example.com")
    assert response.status_code == 202
    assert [m.to for m in outbox] == [[signed_in.user.email]]


def test_wrong_password_is_refused(signed_in, commit, outbox):
    response = change(signed_in, commit, password="not the password")
    assert response.status_code == 403
    assert response.json()["code"] == "invalid_password"
    assert outbox == []


def test_without_the_password_even_a_fresh_session_is_refused(signed_in, commit, outbox):
    response = commit(signed_in.post, CHANGE, {"new_email": "new@example.com"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "password" in response.json()
    assert outbox == []


def test_passwordless_user_with_a_stale_session_is_refused(commit, outbox):
    stale = client_of(UserFactory(), created_at=timezone.now() - timedelta(days=2))
    response = commit(stale.post, CHANGE, {"new_email": "new@example.com"})
    assert response.status_code == 403
    assert response.json()["code"] == "session_not_fresh"
    assert outbox == []


def test_same_address_is_refused(signed_in, commit):
    response = change(signed_in, commit, new_email=signed_in.user.email)
    assert response.status_code == 400
    assert response.json()["code"] == "same_email"


def test_change_needs_a_session(api, db):
    assert api.post(CHANGE, {"new_email": "a@example.com"}).status_code == 401


def new_address_link(outbox, new_email="new@example.com") -> str:
    return token_from(next(m for m in outbox if m.to == [new_email]))


def test_changing_the_password_cancels_a_pending_change(signed_in, commit, outbox, api):
    """The notice tells a victim to change the password: that must stop a hijacker's change."""
    change(signed_in, commit)
    token = new_address_link(outbox)
    changed = commit(
        signed_in.post,
        "/api/auth/password/change",
        {"current_password": PASSWORD, "new_password": "another fine passphrase 7"},
    )
    assert changed.status_code == 200
    response = api.post(VERIFY, {"token": token})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_token"
    assert User.objects.get(pk=signed_in.user.pk).email != "new@example.com"


def test_resetting_the_password_cancels_a_pending_change(signed_in, commit, outbox, api):
    change(signed_in, commit)
    token = new_address_link(outbox)
    commit(api.post, "/api/auth/password/forgot", {"email": signed_in.user.email})
    reset = commit(
        api.post,
        "/api/auth/password/reset",
        {"token": token_from(outbox[-1]), "new_password": "another fine passphrase 7"},
    )
    assert reset.status_code == 200
    response = api.post(VERIFY, {"token": token})
    assert response.json()["code"] == "invalid_token"
    assert User.objects.get(pk=signed_in.user.pk).email != "new@example.com"


def test_applying_the_change_kills_reset_links_sent_to_the_old_address(
    signed_in, commit, outbox, api
):
    """Whoever reads the old mailbox must not take the account back after it moved."""
    commit(api.post, "/api/auth/password/forgot", {"email": signed_in.user.email})
    reset_token = token_from(outbox[-1])
    change(signed_in, commit)
    assert api.post(VERIFY, {"token": new_address_link(outbox)}).status_code == 200
    response = api.post(
        "/api/auth/password/reset",
        {"token": reset_token, "new_password": "another fine passphrase 7"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_token"
    assert User.objects.get(pk=signed_in.user.pk).check_password(PASSWORD)


def test_change_requests_are_limited_to_three_an_hour(signed_in, commit, outbox):
    for n in range(3):
        assert change(signed_in, commit, new_email=f"new{n}@example.com").status_code == 202
    mails = len(outbox)
    response = change(signed_in, commit, new_email="spam-target@example.com")
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert len(outbox) == mails
