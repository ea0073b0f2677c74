"""The admin lists and opens linked accounts, legacy plaintext rows included, without tokens."""

import pytest
from django.db import connection

from accounts.models import OAuthAccount
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_admin_shows_encrypted_and_legacy_rows_but_no_token(admin_client):
    encrypted = OAuthAccount.objects.create(
        user=UserFactory(), provider="google", provider_account_id="1", access_token="ya29.secret"
    )
    legacy = OAuthAccount.objects.create(
        user=UserFactory(), provider="github", provider_account_id="2"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE oauth_accounts SET access_token = %s WHERE id = %s",
            ["gho_legacysecret", legacy.pk.hex],
        )

    listing = admin_client.get("/admin/accounts/oauthaccount/")
    pages = [
        admin_client.get(f"/admin/accounts/oauthaccount/{a.pk}/change/")
        for a in (encrypted, legacy)
    ]

    for response in (listing, *pages):
        assert response.status_code == 200
        assert b"secret" not in response.content
