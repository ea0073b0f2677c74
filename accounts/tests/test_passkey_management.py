"""Managing passkeys: rename, delete behind the owner's proof, and never the last way in;
a provider may go when a passkey remains."""

import pytest

from accounts.models import Passkey
from accounts.tests.authenticator import SoftAuthenticator, register_passkey
from accounts.tests.factories import OAuthAccountFactory, UserFactory
from accounts.tests.helpers import PASSWORD, assert_refused, client_of, event_types

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("relying_party")]


def test_rename(signed_in, user, registered):
    response = signed_in.patch(
        f"/api/auth/passkeys/{registered.pk}", {"name": "Work"}, format="json"
    )
    assert response.status_code == 200 and response.json()["name"] == "Work"
    event = user.auth_events.get(type="passkey_renamed")
    assert event.detail["old_name"] == "Laptop" and event.detail["name"] == "Work"


def test_another_users_passkey_is_not_found(registered):
    stranger = client_of(UserFactory(password=PASSWORD))
    url = f"/api/auth/passkeys/{registered.pk}"
    assert stranger.patch(url, {"name": "Mine"}, format="json").status_code == 404
    assert stranger.delete(url, {"password": PASSWORD}, format="json").status_code == 404
    assert Passkey.objects.filter(pk=registered.pk).exists()


def test_delete_needs_the_password_of_a_user_who_has_one(signed_in, user, registered):
    url = f"/api/auth/passkeys/{registered.pk}"
    assert signed_in.delete(url, {}, format="json").status_code == 400
    assert_refused(
        signed_in.delete(url, {"password": "nope"}, format="json"), 403, "invalid_password"
    )
    assert signed_in.delete(url, {"password": PASSWORD}, format="json").status_code == 204
    assert not Passkey.objects.exists()
    assert event_types(user)[-1] == "passkey_removed"


def test_the_last_way_in_cannot_be_deleted(key):
    user = UserFactory()  # no password, no provider: the passkey is all there is
    client = client_of(user)
    register_passkey(client, key)
    passkey = Passkey.objects.get()
    response = client.delete(f"/api/auth/passkeys/{passkey.pk}", format="json")
    assert_refused(response, 409, "last_login_method")
    assert Passkey.objects.filter(pk=passkey.pk).exists()
    assert event_types(user)[-1] == "passkey_remove_refused"


def test_a_passkey_goes_when_a_provider_or_another_passkey_remains(key):
    user = UserFactory()
    client = client_of(user)
    register_passkey(client, key)
    register_passkey(client, SoftAuthenticator())
    first, second = Passkey.objects.order_by("created_at")
    assert client.delete(f"/api/auth/passkeys/{first.pk}", format="json").status_code == 204
    OAuthAccountFactory(user=user)
    assert client.delete(f"/api/auth/passkeys/{second.pk}", format="json").status_code == 204


def test_the_last_provider_can_be_unlinked_when_a_passkey_remains(key):
    user = UserFactory()
    OAuthAccountFactory(user=user, provider="github")
    client = client_of(user)
    register_passkey(client, key)
    assert client.delete("/api/auth/accounts/github", format="json").status_code == 204
    Passkey.objects.all().delete()
    OAuthAccountFactory(user=user, provider="github")
    response = client.delete("/api/auth/accounts/github", format="json")
    assert_refused(response, 409, "last_login_method")


def test_the_two_factor_summary_counts_passkeys(signed_in, registered):
    assert signed_in.get("/api/auth/mfa").json()["passkeys"] == 1
