"""The admin lists and opens linked accounts, legacy plaintext rows included, without tokens."""

import pytest

from accounts.tests.factories import OAuthAccountFactory
from accounts.tests.helpers import write_raw

pytestmark = pytest.mark.django_db


def test_admin_shows_encrypted_and_legacy_rows_but_no_token(admin_client):
    encrypted = OAuthAccountFactory(access_token="ya29.secret")
    legacy = OAuthAccountFactory(provider="github")
    write_raw(legacy, "gho_legacysecret", None)

    listing = admin_client.get("/admin/accounts/oauthaccount/")
    pages = [
        admin_client.get(f"/admin/accounts/oauthaccount/{a.pk}/change/")
        for a in (encrypted, legacy)
    ]

    for response in (listing, *pages):
        assert response.status_code == 200
        assert b"secret" not in response.content
