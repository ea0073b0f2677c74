"""Operators see each user's passkeys and remove a lost or stolen one, audited."""

import pytest

from accounts.models import Passkey
from accounts.tests.authenticator import SoftAuthenticator, register_passkey
from accounts.tests.factories import UserFactory
from accounts.tests.helpers import client_of, event_types

pytestmark = pytest.mark.django_db


@pytest.fixture
def passkey(relying_party) -> Passkey:
    user = UserFactory()
    assert (
        register_passkey(client_of(user), SoftAuthenticator(), name="Old phone").status_code == 201
    )
    return Passkey.objects.get(user=user)


def test_the_users_page_lists_their_passkeys(admin_client, passkey):
    page = admin_client.get(f"/admin/accounts/user/{passkey.user_id}/change/")
    assert page.status_code == 200
    assert b"Old phone" in page.content
    listing = admin_client.get("/admin/accounts/passkey/", {"q": passkey.user.email})
    assert b"Old phone" in listing.content


def test_an_operator_removes_a_passkey_even_the_last_and_it_is_audited(admin_client, passkey):
    url = f"/admin/accounts/passkey/{passkey.pk}/delete/"
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Passkey.objects.exists()
    assert event_types(passkey.user)[-1] == "passkey_removed"
    removed = passkey.user.auth_events.get(type="passkey_removed")
    assert removed.detail["actor"] == "admin" and removed.detail["name"] == "Old phone"


def test_the_bulk_action_goes_through_the_service_too(admin_client, passkey):
    body = {"action": "delete_selected", "_selected_action": [passkey.pk], "post": "yes"}
    admin_client.post("/admin/accounts/passkey/", body)
    assert not Passkey.objects.exists()
    assert event_types(passkey.user)[-1] == "passkey_removed"
