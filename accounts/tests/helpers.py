"""The accounts tests' toolkit: signed-in clients, mailed links, the audit trail, the OAuth
routes, stored provider tokens. Every app's tests import it; conftest files hold only fixtures."""

import re
from urllib.parse import parse_qs, urlsplit

import pyotp
from django.conf import settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import AuthEvent, OAuthAccount, User
from accounts.sessions import TOKEN, Transport
from accounts.tests.factories import AuthSessionFactory

PASSWORD = "correct horse battery staple"
FRONTEND = "http://localhost:3000"
ADMIN_LOGIN = "/admin/login/"
TOTP_STEP = 30


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


def browser(ip: str = "127.0.0.1") -> Client:
    """A browser for the admin's HTML pages, with Django's CSRF check on, as in production."""
    return Client(enforce_csrf_checks=True, REMOTE_ADDR=ip)


def csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def admin_login(client: Client, email: str, password: str, ip: str | None = None, **fields):
    """What a browser does: fetch the form, post it back with its CSRF token (and any other
    field typed in, such as the two-factor `code`)."""
    extra = {"REMOTE_ADDR": ip} if ip else {}
    page = client.get(ADMIN_LOGIN, **extra)
    assert page.status_code == 200
    form = {"username": email, "password": password, "next": "/admin/", **fields}
    form["csrfmiddlewaretoken"] = csrf_token(page.content.decode())
    return client.post(ADMIN_LOGIN, form, **extra)


def totp_code(secret: str, clock, steps: int = 0) -> str:
    """The code an authenticator app shows at the clock's time (`steps` later or earlier),
    computed by pyotp from the secret the API handed out."""
    return pyotp.TOTP(secret).at(int(clock.now) + steps * TOTP_STEP)


def totp_turn_on(client: APIClient, clock) -> tuple[str, list[str]]:
    """Two-factor on for the client's user through the API, as the user does it: the set-up
    behind the password, then a first code. Returns the secret and the recovery codes; the
    clock moves on a step, so the next code is not the confirming one replayed."""
    setup = client.post("/api/auth/mfa/totp/setup", {"password": PASSWORD}, format="json")
    assert setup.status_code == 200, setup.content
    secret = setup.json()["secret"]
    confirm = {"code": totp_code(secret, clock)}
    confirmed = client.post("/api/auth/mfa/totp/confirm", confirm, format="json")
    assert confirmed.status_code == 200, confirmed.content
    clock.advance(TOTP_STEP)
    return secret, confirmed.json()["recovery_codes"]


def password_login(client: APIClient, email: str, **fields):
    body = {"email": email, "password": PASSWORD, **fields}
    return client.post("/api/auth/login", body, format="json")


def mfa_verify(client: APIClient, code: str, mfa_token: str | None = None):
    body = {"code": code} if mfa_token is None else {"code": code, "mfa_token": mfa_token}
    return client.post("/api/auth/mfa/verify", body, format="json")
