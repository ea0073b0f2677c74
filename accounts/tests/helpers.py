"""The accounts tests' toolkit: signed-in clients, mailed links, the audit trail, the OAuth
routes, stored provider tokens. Every app's tests import it; conftest files hold only fixtures."""

import re
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import connection
from rest_framework.test import APIClient

from accounts.models import AuthEvent, OAuthAccount, User
from accounts.sessions import TOKEN, Transport
from accounts.tests.factories import AuthSessionFactory

PASSWORD = "correct horse battery staple"
FRONTEND = "http://localhost:3000"


class CountingHasher(MD5PasswordHasher):
    """Fast in tests, and counts hashes so timing-equalisation can be asserted."""

    algorithm = "counting_md5"
    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


def client_of(
    user: User, *, transport: Transport = TOKEN, csrf: bool = False, **session
) -> APIClient:
    """A client signed in as `user` by a real session: a bearer header (like a mobile app) or
    our cookie (like a browser; `csrf=True` enforces the CSRF check as production does).

    `session` fields age or end the session (`created_at=…`, `revoked=True`); the row is on
    `.auth_session`, the user on `.user`."""
    client = APIClient(enforce_csrf_checks=csrf)
    row = AuthSessionFactory(user=user, **session)
    if transport == TOKEN:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {row.token}")
    else:
        client.cookies[settings.AUTH_SESSION_COOKIE_NAME] = row.token
    client.user = user
    client.auth_session = row
    return client


TOKEN_IN_LINK = re.compile(r"\?token=([\w-]+)")


def token_from(message) -> str:
    """The single-use token of a mailed link."""
    return TOKEN_IN_LINK.search(message.body).group(1)


CODE_IN_MAIL = re.compile(r"^(\d{6})\r?$", re.MULTILINE)


def code_from(body: str) -> str:
    """The six-digit sign-in code of a mailed code (its own line in the text part)."""
    return CODE_IN_MAIL.search(body).group(1)


def assert_refused(response, status: int, code: str) -> None:
    """An error answer with this status and code."""
    assert response.status_code == status, response.content
    assert response.json()["code"] == code


def event_types(user=None, **filters) -> list[str]:
    """The audit trail's event types, oldest first."""
    events = AuthEvent.objects.filter(**filters)
    if user is not None:
        events = events.filter(user=user)
    return list(events.order_by("id").values_list("type", flat=True))


def begin(client, provider: str, **query):
    return client.get(f"/api/auth/oauth/{provider}", query)


def callback(client, provider: str, **params):
    return client.get(f"/api/auth/oauth/{provider}/callback", params)


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def login_error(code: str) -> str:
    """Where a refused OAuth sign-in sends the browser."""
    return f"{FRONTEND}/login?error={code}"


def raw_tokens(account: OAuthAccount) -> tuple[str | None, str | None]:
    """The token columns as stored, ciphertext or legacy plaintext."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT access_token, refresh_token FROM oauth_accounts WHERE id = %s",
            [account.pk.hex if connection.vendor == "sqlite" else account.pk],
        )
        return cursor.fetchone()


def write_raw(account: OAuthAccount, access: str | None, refresh: str | None) -> None:
    """Put values straight into the token columns, as the replaced service left them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE oauth_accounts SET access_token = %s, refresh_token = %s WHERE id = %s",
            [access, refresh, account.pk.hex if connection.vendor == "sqlite" else account.pk],
        )
