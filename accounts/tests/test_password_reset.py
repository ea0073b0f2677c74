from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import AuthEvent, AuthSession, OAuthAccount, User, VerificationToken
from accounts.tests.factories import AuthSessionFactory, OAuthAccountFactory, UserFactory
from accounts.tests.helpers import PASSWORD, event_types, token_from

FORGOT = "/api/auth/password/forgot"
RESET = "/api/auth/password/reset"
NEW_PASSWORD = "a brand new passphrase 42"

pytestmark = pytest.mark.django_db


def forgot(api, commit, email):
    return commit(api.post, FORGOT, {"email": email}, format="json")


def test_forgot_answers_the_same_whether_or_not_the_email_exists(api, commit, user, outbox):
    known = forgot(api, commit, user.email.upper())
    unknown = forgot(api, commit, "nobody@example.com")
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert known.cookies.keys() == unknown.cookies.keys()
    assert [m.to for m in outbox] == [[user.email]]


def test_forgot_mails_a_frontend_link_in_text_and_html(api, commit, user, outbox):
    forgot(api, commit, user.email)
    message = outbox[0]
    token = token_from(message)
    assert f"http://localhost:3000/reset-password?token={token}" in message.body
    html = message.alternatives[0]
    assert html.mimetype == "text/html"
    assert f"reset-password?token={token}" in html.content
    row = VerificationToken.objects.get(user=user)
    assert row.purpose == "reset_password"
    assert token not in row.token_hash and len(row.token_hash) == 64


def test_reset_sets_password_revokes_every_session_verifies_and_mails(api, commit, user, outbox):
    sessions = AuthSessionFactory.create_batch(2, user=user)
    forgot(api, commit, user.email)
    response = commit(
        api.post, RESET, {"token": token_from(outbox[0]), "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert user.email_verified
    assert not AuthSession.objects.filter(pk__in=[s.pk for s in sessions], revoked=False).exists()
    assert outbox[-1].subject == "Your password was reset"
    assert event_types(user)[-2:] == ["session_revoked", "password_reset"]
    login = api.post("/api/auth/login", {"email": user.email, "password": NEW_PASSWORD})
    assert login.status_code == 200


def test_reset_token_is_single_use(api, commit, user, outbox):
    forgot(api, commit, user.email)
    body = {"token": token_from(outbox[0]), "new_password": NEW_PASSWORD}
    assert api.post(RESET, body).status_code == 200
    again = api.post(RESET, {**body, "new_password": "yet another passphrase 7"})
    assert again.status_code == 400
    assert again.json()["code"] == "invalid_token"


def test_expired_reset_token_is_refused(api, commit, user, outbox):
    forgot(api, commit, user.email)
    VerificationToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = api.post(RESET, {"token": token_from(outbox[0]), "new_password": NEW_PASSWORD})
    assert response.status_code == 400
    assert response.json()["code"] == "token_expired"
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_reset_link_lives_one_hour(api, commit, user):
    forgot(api, commit, user.email)
    lifetime = VerificationToken.objects.get().expires_at - timezone.now()
    assert timedelta(minutes=59) < lifetime <= timedelta(hours=1)


def test_forged_token_is_refused_and_not_echoed(api):
    forged = "forged-token-value-that-was-never-issued"
    response = api.post(RESET, {"token": forged, "new_password": NEW_PASSWORD})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_token"
    assert forged not in response.content.decode()


def test_verification_token_cannot_reset_a_password(api, commit, outbox):
    register = {"email": "new@example.com", "password": PASSWORD, "name": "N"}
    commit(api.post, "/api/auth/register", register)
    response = api.post(RESET, {"token": token_from(outbox[0]), "new_password": NEW_PASSWORD})
    assert response.json()["code"] == "invalid_token"


def test_newer_reset_link_invalidates_the_older(api, commit, user, outbox):
    forgot(api, commit, user.email)
    forgot(api, commit, user.email)
    old, new = token_from(outbox[0]), token_from(outbox[1])
    assert api.post(RESET, {"token": old, "new_password": NEW_PASSWORD}).status_code == 400
    assert api.post(RESET, {"token": new, "new_password": NEW_PASSWORD}).status_code == 200


def test_weak_new_password_leaves_the_token_usable(api, commit, user, outbox):
    forgot(api, commit, user.email)
    token = token_from(outbox[0])
    weak = api.post(RESET, {"token": token, "new_password": "password"})
    assert weak.status_code == 400
    assert weak.json()["code"] == "invalid"
    assert api.post(RESET, {"token": token, "new_password": NEW_PASSWORD}).status_code == 200


def test_password_change_invalidates_open_reset_links(api, commit, signed_in, outbox):
    forgot(signed_in, commit, signed_in.user.email)
    change = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    assert signed_in.post("/api/auth/password/change", change).status_code == 200
    response = api.post(RESET, {"token": token_from(outbox[0]), "new_password": "other pass 99x"})
    assert response.json()["code"] == "invalid_token"
    assert "password_changed" in event_types(signed_in.user)


def test_oauth_only_user_sets_a_first_password(api, commit, outbox):
    user = UserFactory()  # no password: signs in with Google or GitHub
    forgot(api, commit, user.email)
    assert "set the password" in outbox[0].body
    api.post(RESET, {"token": token_from(outbox[0]), "new_password": NEW_PASSWORD})
    assert User.objects.get(pk=user.pk).has_usable_password()


def test_inactive_account_gets_no_link(api, commit, outbox):
    user = UserFactory(password=PASSWORD, is_active=False)
    assert forgot(api, commit, user.email).status_code == 202
    assert outbox == []


def test_reset_of_an_unverified_address_unlinks_the_squatters_providers(api, commit, outbox):
    """Someone registered the address first and linked their own GitHub: the owner's reset
    proves the address, and must not leave the squatter that way back in."""
    squatter = UserFactory(email="ann@example.com", password=PASSWORD)
    OAuthAccountFactory(user=squatter, provider="github", provider_account_id="666")
    forgot(api, commit, "ann@example.com")
    reset = api.post(RESET, {"token": token_from(outbox[0]), "new_password": NEW_PASSWORD})
    assert reset.status_code == 200
    assert not OAuthAccount.objects.filter(user=squatter).exists()
    unlinked = AuthEvent.objects.get(type="oauth_unlinked")
    assert unlinked.detail == {"provider": "github", "reason": "email_claimed"}


def test_reset_of_a_verified_address_keeps_the_linked_providers(api, commit, user, outbox):
    User.objects.filter(pk=user.pk).update(email_verified_at=timezone.now())
    OAuthAccountFactory(user=user, provider="github", provider_account_id="7")
    forgot(api, commit, user.email)
    api.post(RESET, {"token": token_from(outbox[0]), "new_password": NEW_PASSWORD})
    assert OAuthAccount.objects.filter(user=user).exists()
