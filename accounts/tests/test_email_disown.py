"""The address owner's way out of an account someone else registered with their address."""

import re

import pytest
from rest_framework.test import APIClient

from accounts.models import AuthEvent, AuthSession, OAuthAccount, User
from accounts.tests.helpers import FRONTEND, PASSWORD, token_from
from accounts.tests.providers import Identity

REGISTER = "/api/auth/register"
LOGIN = "/api/auth/login"
VERIFY = "/api/auth/email/verify"
DISOWN = "/api/auth/email/disown"
ME = "/api/auth/me"
VICTIM = "victim@example.com"
DISOWN_LINK = re.compile(r"/verify-email\?token=([\w-]+)&disown=1")

pytestmark = pytest.mark.django_db


def register(client, commit, email=VICTIM, **extra):
    body = {"email": email, "password": PASSWORD, "name": "Not The Owner", **extra}
    return commit(client.post, REGISTER, body, format="json")


def mail_to(outbox, address):
    return [m for m in outbox if m.to == [address]][-1]


def disown_token(message) -> str:
    return DISOWN_LINK.search(message.body).group(1)


def test_the_mail_says_which_account_it_confirms_and_offers_this_wasnt_me(api, commit, outbox):
    register(api, commit)
    user = User.objects.get(email=VICTIM)
    (message,) = outbox
    created = f"on {user.created_at:%-d %B %Y} at {user.created_at:%H:%M} UTC"
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert f"An account was created with this email address {created}" in body
        assert "whoever created it keeps its password" in body
        assert "someone else used your address" in body
    token = token_from(message)
    link = f"{FRONTEND}/verify-email?token={token}&amp;disown=1"
    assert f"{FRONTEND}/verify-email?token={token}&disown=1" in message.body and link in html
    # The name was typed by whoever registered, who may not own the address.
    assert "Not The Owner" not in message.body + html


def test_a_pre_hijacked_account_is_deleted_by_the_address_owner(api, commit, outbox, oauth_sign_in):
    """The attack: register the victim's address with a password, link one's own GitHub, keep
    a bearer token; the victim answers the unsolicited mail with "this wasn't me"."""
    attacker = APIClient()
    assert register(attacker, commit).status_code == 201
    squat = User.objects.get(email=VICTIM)
    attacker_identity = Identity(uid="666", email="attacker@evil.example")
    oauth_sign_in(attacker, "github", attacker_identity, link="1")
    assert OAuthAccount.objects.get(provider_account_id="666").user == squat
    login = {"email": VICTIM, "password": PASSWORD, "transport": "token"}
    bearer = attacker.post(LOGIN, login, format="json").json()["token"]
    assert AuthSession.objects.filter(user=squat).count() == 2

    victim = APIClient()
    response = victim.post(DISOWN, {"token": disown_token(mail_to(outbox, VICTIM))})

    assert response.status_code == 204
    assert not User.objects.filter(pk=squat.pk).exists()
    assert not AuthSession.objects.filter(user_id=squat.pk).exists()
    assert not OAuthAccount.objects.exists()
    assert attacker.get(ME).status_code == 401
    assert APIClient(headers={"Authorization": f"Bearer {bearer}"}).get(ME).status_code == 401
    assert attacker.post(LOGIN, login, format="json").status_code == 401
    event = AuthEvent.objects.get(type="account_disowned")
    assert (event.user, event.email) == (None, VICTIM)
    # The attacker's GitHub now lands in an account of its own address, not the victim's.
    again = APIClient()
    oauth_sign_in(again, "github", attacker_identity)
    assert again.get(ME).json()["user"]["email"] == "attacker@evil.example"
    assert not User.objects.filter(email=VICTIM).exists()
    # The owner registers afresh.
    fresh = register(victim, commit, name="The Owner")
    assert fresh.status_code == 201 and fresh.json()["user"]["email"] == VICTIM


def test_a_resent_mail_replaces_the_way_out_and_the_newest_link_works(api, commit, outbox):
    """The squatter can resend the mail to kill the link the owner holds; each resend is a
    new mail to the owner with a working one."""
    register(api, commit)
    assert commit(api.post, "/api/auth/email/resend").status_code == 202
    old, new = (disown_token(m) for m in outbox)
    assert APIClient().post(DISOWN, {"token": old}).json()["code"] == "invalid_token"
    assert APIClient().post(DISOWN, {"token": new}).status_code == 204
    assert not User.objects.filter(email=VICTIM).exists()


def test_a_confirmed_account_cannot_be_disowned_with_the_same_mail(api, commit, outbox):
    register(api, commit)
    token = token_from(outbox[0])
    assert api.post(VERIFY, {"token": token}).status_code == 200

    response = APIClient().post(DISOWN, {"token": token})

    assert response.status_code == 400 and response.json()["code"] == "invalid_token"
    assert User.objects.filter(email=VICTIM).exists()


def test_an_address_verified_meanwhile_is_refused_and_keeps_the_account(
    api, commit, outbox, oauth_sign_in
):
    """Google vouched for the address (the owner signed in with it): the account is theirs."""
    register(api, commit)
    owner = APIClient()
    oauth_sign_in(owner, "google", Identity(uid="55", email=VICTIM))
    assert owner.get(ME).json()["user"]["email_verified"] is True

    response = APIClient().post(DISOWN, {"token": disown_token(outbox[0])})

    assert response.status_code == 400 and response.json()["code"] == "invalid_token"
    assert owner.get(ME).status_code == 200


def test_only_a_verification_link_disowns(signed_in, commit, outbox, user):
    change = {"new_email": "elsewhere@example.com", "password": PASSWORD}
    response = commit(signed_in.post, "/api/auth/email/change", change, format="json")
    assert response.status_code == 202
    token = token_from(mail_to(outbox, "elsewhere@example.com"))

    response = APIClient().post(DISOWN, {"token": token})

    assert response.status_code == 400 and response.json()["code"] == "invalid_token"
    assert User.objects.filter(pk=user.pk).exists()


def test_disown_shares_the_verify_limit_of_10_a_minute_per_ip(api, commit, outbox):
    register(api, commit)
    guesser = APIClient()
    for i in range(5):
        assert guesser.post(DISOWN, {"token": f"guess-{i}"}).status_code == 400
        assert guesser.post(VERIFY, {"token": f"guess-{i}"}).status_code == 400
    refused = guesser.post(DISOWN, {"token": disown_token(outbox[0])})
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"
    assert int(refused["Retry-After"]) >= 1
    assert User.objects.filter(email=VICTIM).exists()
