"""The attack: time the public routes that take an address, over real HTTP, to learn which
addresses have accounts. The server is gunicorn in a process of its own, as deployed: a
stopwatch in the server's own process would wait on its interpreter lock while the server does
the work it defers until after the response, and time that instead. Rate limits are off for
this server only, so enough requests can be timed."""

import json
import urllib.request

import pytest

from accounts.tests.helpers import PASSWORD
from accounts.tests.served import Database, Server, environment, manage, migrate
from accounts.tests.timing import compare

# Verified accounts: mandatory verification lets them sign in, and is the mode in which
# registration must not tell a taken address from a free one.
SEED = f"""
from django.utils import timezone
from accounts.models import User
for email in ("victim@example.com", "prober@example.com"):
    User.objects.create_user(email, "{PASSWORD}", email_verified_at=timezone.now())
"""


@pytest.fixture(scope="module")
def server_url():
    with Database() as database:
        env = environment(
            database,
            RATELIMIT_ENABLE="false",
            EMAIL_VERIFICATION="mandatory",
            EMAIL_URL="dummymail://",
        )
        migrate(env)
        manage(env, "shell", "-v0", "-c", SEED)
        server = Server(env, workers=1)
        try:
            yield server.url
        finally:
            server.stop()


def bearer_of(url: str, email: str) -> dict[str, str]:
    body = json.dumps({"email": email, "password": PASSWORD, "transport": "token"}).encode()
    request = urllib.request.Request(
        f"{url}/api/auth/login", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return {"Authorization": f"Bearer {json.load(response)['token']}"}


def assert_indistinguishable(medians) -> None:
    assert medians.gap < medians.tolerance, f"the timing tells the paths apart: {medians}"


def test_forgot_password_takes_as_long_for_an_account_as_for_none(server_url):
    forgot = "/api/auth/password/forgot"
    medians = compare(
        server_url,
        lambda i: (forgot, {"email": "victim@example.com"}, {}),
        lambda i: (forgot, {"email": f"nobody{i}@example.com"}, {}),
    )
    print(f"forgot existing vs unknown: {medians}")
    assert_indistinguishable(medians)


def test_mandatory_registration_takes_as_long_for_a_taken_address(server_url):
    register = "/api/auth/register"
    body = {"password": "a fine long passphrase 42", "name": "Eve"}
    medians = compare(
        server_url,
        lambda i: (register, {**body, "email": "victim@example.com"}, {}),
        lambda i: (register, {**body, "email": f"newcomer{i}@example.com"}, {}),
    )
    print(f"register taken vs free: {medians}")
    assert_indistinguishable(medians)


def test_change_of_address_takes_as_long_for_a_taken_address(server_url):
    bearer = bearer_of(server_url, "prober@example.com")
    change = "/api/auth/email/change"
    medians = compare(
        server_url,
        lambda i: (change, {"new_email": "victim@example.com", "password": PASSWORD}, bearer),
        lambda i: (change, {"new_email": f"free{i}@example.com", "password": PASSWORD}, bearer),
    )
    print(f"change to taken vs free: {medians}")
    assert_indistinguishable(medians)


def test_code_request_takes_as_long_for_an_account_as_for_none(server_url):
    request = "/api/auth/code/request"
    medians = compare(
        server_url,
        lambda i: (request, {"email": "victim@example.com"}, {}),
        lambda i: (request, {"email": f"nobody{i}@example.com"}, {}),
    )
    print(f"code request existing vs unknown: {medians}")
    assert_indistinguishable(medians)
