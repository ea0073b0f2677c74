"""Taking an account back: the attacker moved the address (and reset the password from the
new one); the old address's notice carries a link that undoes all of it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import AuthSession, OAuthAccount, User, VerificationToken
from accounts.tests.factories import OAuthAccountFactory
from accounts.tests.helpers import PASSWORD, client_of, event_types, token_from

pytestmark = pytest.mark.django_db

HIJACKER = "hijacker@evil.example"
NEW_PASSWORD = "my account is mine again 9"


def mail_to(outbox, address: str, subject: str = ""):
    return [m for m in outbox if m.to == [address] and subject in m.subject][-1]


def hijack(client, commit, outbox, new_email=HIJACKER, password=PASSWORD):
    """Change the address with the (phished) password and confirm it from the new mailbox."""
    changed = commit(
        client.post, "/api/auth/email/change", {"new_email": new_email, "password": password}
    )
    assert changed.status_code == 202
    token = token_from(mail_to(outbox, new_email, "Confirm your new"))
    assert commit(client.post, "/api/auth/email/verify", {"token": token}).status_code == 200


def recovery_token(outbox, victim: str) -> str:
    notice = mail_to(outbox, victim, "was changed")
    assert HIJACKER in notice.body
    return token_from(notice)


def reset(client, commit, token, password=NEW_PASSWORD):
    return commit(
        client.post, "/api/auth/password/reset", {"token": token, "new_password": password}
    )


def test_the_old_address_takes_the_account_back(signed_in, api, commit, outbox):
    victim = signed_in.user.email
    hijack(signed_in, commit, outbox)
    # The hijacker settles in: a password of their own (through the new address) and a provider.
    commit(api.post, "/api/auth/password/forgot", {"email": HIJACKER})
    evil_reset = reset(
        api, commit, token_from(mail_to(outbox, HIJACKER, "Reset")), "evil pass 1234"
    )
    assert evil_reset.status_code == 200
    OAuthAccountFactory(user=signed_in.user, provider="github", provider_account_id="666")
    hijacker = client_of(User.objects.get(pk=signed_in.user.pk))

    response = reset(api, commit, recovery_token(outbox, victim))

    assert response.status_code == 200
    user = User.objects.get(pk=signed_in.user.pk)
    assert user.email == victim and user.email_verified
    assert user.check_password(NEW_PASSWORD)
    assert not AuthSession.objects.filter(user=user, revoked=False).exists()
    assert not OAuthAccount.objects.filter(user=user).exists()
    assert hijacker.get("/api/auth/me").status_code == 401
    login = api.post("/api/auth/login", {"email": victim, "password": NEW_PASSWORD})
    assert login.status_code == 200
    assert "account_recovered" in event_types(user)


def test_a_second_change_does_not_replace_the_owners_link(signed_in, api, commit, outbox):
    victim = signed_in.user.email
    hijack(signed_in, commit, outbox)
    owners_link = recovery_token(outbox, victim)
    hijack(signed_in, commit, outbox, new_email="second@evil.example")
    hijackers_link = token_from(mail_to(outbox, HIJACKER, "was changed"))

    assert reset(api, commit, owners_link).status_code == 200
    assert User.objects.get(pk=signed_in.user.pk).email == victim
    # Every other open link died with the recovery, the hijacker's own recovery link too.
    dead = reset(api, commit, hijackers_link, "evil pass 5678")
    assert (dead.status_code, dead.json()["code"]) == (400, "invalid_token")
    assert User.objects.get(pk=signed_in.user.pk).email == victim


def test_the_link_works_once(signed_in, api, commit, outbox):
    hijack(signed_in, commit, outbox)
    token = recovery_token(outbox, signed_in.user.email)
    assert reset(api, commit, token).status_code == 200
    again = reset(api, commit, token, "another new password 3")
    assert again.json()["code"] == "invalid_token"


def test_the_link_lives_three_days_not_an_hour(signed_in, api, commit, outbox):
    hijack(signed_in, commit, outbox)
    token = recovery_token(outbox, signed_in.user.email)
    row = VerificationToken.objects.get(purpose="recover_account", used_at=None)
    assert row.expires_at - row.created_at >= timedelta(hours=71)
    assert "72 hours" in mail_to(outbox, signed_in.user.email, "was changed").body
    VerificationToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - timedelta(1))
    expired = reset(api, commit, token)
    assert expired.json()["code"] == "token_expired"
    assert User.objects.get(pk=signed_in.user.pk).email == HIJACKER


def test_an_old_address_taken_meanwhile_is_409_and_changes_nothing(signed_in, api, commit, outbox):
    victim = signed_in.user.email
    hijack(signed_in, commit, outbox)
    token = recovery_token(outbox, victim)
    User.objects.create_user(email=victim)
    response = reset(api, commit, token)
    assert (response.status_code, response.json()["code"]) == (409, "email_taken")
    assert User.objects.get(pk=signed_in.user.pk).email == HIJACKER
