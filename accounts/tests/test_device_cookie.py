"""The lockout as a denial of service, attacked: strangers who spend an account's failure
budget lock themselves out, not the owner's browser that has signed in before."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import signing
from rest_framework.test import APIClient

from accounts.devices import SALT
from accounts.models import AuthEvent
from accounts.tests.factories import UserFactory
from accounts.tests.helpers import PASSWORD
from accounts.tests.providers import Identity

LOGIN = "/api/auth/login"
DEVICE = "device"

pytestmark = pytest.mark.django_db


def login(api: APIClient, email: str, password: str, ip: str, **body):
    return api.post(LOGIN, {"email": email, "password": password, **body}, REMOTE_ADDR=ip)


def owners_browser(user) -> APIClient:
    """A browser that signed in once (and signed out): it keeps only its device cookie."""
    browser = APIClient()
    assert login(browser, user.email, PASSWORD, "192.0.2.10").status_code == 200
    device = browser.cookies[DEVICE].value
    browser.cookies.clear()
    browser.cookies[DEVICE] = device
    return browser


def lock_out(email: str, *, tries: int = 10) -> None:
    """Strangers without the cookie, each from its own address, spend the account's budget."""
    for n in range(tries):
        assert login(APIClient(), email, "guess", f"10.0.0.{n}").status_code == 401


def assert_limited(response):
    assert response.status_code == 429, response.content
    assert response.json()["code"] == "rate_limited"


def with_device(value: str) -> APIClient:
    browser = APIClient()
    browser.cookies[DEVICE] = value
    return browser


def test_a_cookie_sign_in_sets_a_signed_http_only_device_cookie(api, user):
    response = login(api, user.email, PASSWORD, "192.0.2.10")
    cookie = response.cookies[DEVICE]
    assert cookie["httponly"] and cookie["path"] == "/" and cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 365 * 86400 and not cookie["secure"]
    payload = signing.loads(cookie.value, salt=SALT)
    assert payload["u"] == str(user.pk) and len(payload["d"]) >= 20
    assert PASSWORD not in cookie.value and response.json()["session"]["id"] not in cookie.value
    again = login(APIClient(), user.email, PASSWORD, "192.0.2.11").cookies[DEVICE].value
    assert signing.loads(again, salt=SALT)["d"] != payload["d"], "a new device id each time"


def test_the_device_cookie_follows_the_cookie_settings(api, user, settings):
    settings.SECURE_COOKIES = True
    settings.SAME_SITE_COOKIES = "Strict"
    cookie = login(api, user.email, PASSWORD, "192.0.2.10").cookies[DEVICE]
    assert cookie["secure"] and cookie["samesite"] == "Strict" and cookie["httponly"]


def test_a_bearer_client_gets_no_device_cookie_and_no_exemption(api, user):
    response = login(api, user.email, PASSWORD, "192.0.2.10", transport="token")
    assert response.status_code == 200 and DEVICE not in response.cookies
    lock_out(user.email)
    assert_limited(login(api, user.email, PASSWORD, "192.0.2.10", transport="token"))


def test_registration_and_social_sign_in_set_the_device_cookie(api, oauth_sign_in, db):
    body = {"email": "new@example.com", "password": PASSWORD, "name": "New"}
    assert DEVICE in api.post("/api/auth/register", body).cookies
    response = oauth_sign_in(APIClient(), "google", Identity(uid="7", email="ann@example.com"))
    assert response.status_code == 302
    assert response.cookies[DEVICE]["httponly"]


def test_strangers_lock_themselves_out_but_not_the_owners_browser(user):
    browser = owners_browser(user)
    lock_out(user.email)

    assert_limited(login(APIClient(), user.email, PASSWORD, "10.0.1.1"))
    assert_limited(login(APIClient(), user.email, PASSWORD, "192.0.2.10"))
    response = login(browser, user.email, PASSWORD, "192.0.2.10")
    assert response.status_code == 200
    assert response.json()["user"]["email"] == user.email
    assert browser.get("/api/auth/me").status_code == 200
    # The owner's browser may still mistype while the account is locked.
    assert login(browser, user.email, "typo", "192.0.2.10").status_code == 401


def test_the_device_has_its_own_small_budget_and_then_is_a_stranger(user):
    browser = owners_browser(user)
    for n in range(5):
        assert login(browser, user.email, "guess", f"198.51.100.{n}").status_code == 401
    assert AuthEvent.objects.filter(type="rate_limited", detail__scope="device").count() == 1

    # Its failures were its own: the account's budget is untouched by them.
    for n in range(9):
        assert login(APIClient(), user.email, "guess", f"10.0.0.{n}").status_code == 401
    assert login(APIClient(), user.email, PASSWORD, "10.0.1.1").status_code == 200
    assert login(APIClient(), user.email, "guess", "10.0.0.99").status_code == 401

    # Its budget spent, it is locked out with everyone else, the right password included.
    assert_limited(login(browser, user.email, PASSWORD, "198.51.100.99"))


def test_the_device_budget_refills_with_the_window(user, ratelimit_clock):
    browser = owners_browser(user)
    for n in range(5):
        login(browser, user.email, "guess", f"198.51.100.{n}")
    lock_out(user.email)
    assert_limited(login(browser, user.email, PASSWORD, "198.51.100.99"))
    ratelimit_clock.advance(15 * 60 + 1)
    lock_out(user.email)
    assert login(browser, user.email, PASSWORD, "198.51.100.99").status_code == 200


def test_a_tampered_cookie_grants_nothing(user):
    value = owners_browser(user).cookies[DEVICE].value
    lock_out(user.email)
    body, _, signature = value.rpartition(":")
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    payload = signing.loads(value, salt=SALT)
    forgeries = [
        f"{body}:{flipped}",
        value[:-3],
        "garbage",
        signing.dumps(payload),  # no salt: some other signed value of the project
        signing.dumps(payload, salt=SALT, key="not the server's secret key " * 2),
        signing.dumps({**payload, "d": ""}, salt=SALT),
        signing.dumps({"u": "not-a-uuid", "d": "x"}, salt=SALT),
        signing.dumps(["list"], salt=SALT),
    ]
    for n, forged in enumerate(forgeries):
        assert_limited(login(with_device(forged), user.email, PASSWORD, f"192.0.2.{20 + n}"))


def test_another_accounts_cookie_grants_nothing(user):
    mallory = UserFactory(password=PASSWORD)
    mallorys_browser = owners_browser(mallory)
    lock_out(user.email)
    assert_limited(login(mallorys_browser, user.email, PASSWORD, "192.0.2.10"))
    # Nor does moving the device id into a cookie for the victim: the signature covers both.
    value = mallorys_browser.cookies[DEVICE].value
    payload = signing.loads(value, salt=SALT)
    assert payload["u"] == str(mallory.pk)
    moved = signing.b64_encode(f'{{"u":"{user.pk}","d":"{payload["d"]}"}}'.encode()).decode()
    forged = value.replace(value.split(":")[0], moved)
    assert_limited(login(with_device(forged), user.email, PASSWORD, "192.0.2.11"))


def test_an_expired_device_cookie_grants_nothing(user, settings):
    browser = owners_browser(user)
    lock_out(user.email)
    settings.DEVICE_COOKIE_MAX_AGE = timedelta(seconds=-1)
    assert_limited(login(browser, user.email, PASSWORD, "192.0.2.10"))


def test_a_device_cookie_for_a_deleted_and_recreated_address_grants_nothing(user):
    browser = owners_browser(user)
    email = user.email
    user.delete()
    newcomer = UserFactory(email=email, password=PASSWORD)
    lock_out(newcomer.email)
    assert_limited(login(browser, newcomer.email, PASSWORD, "192.0.2.10"))


def test_the_device_cookie_name_is_fixed_and_distinct():
    assert settings.DEVICE_COOKIE_NAME == DEVICE != settings.AUTH_SESSION_COOKIE_NAME


def change_email(client: APIClient, new_email: str, ip: str):
    """A browser's sensitive action: CSRF token and Origin as the frontend sends them."""
    csrf = client.get("/api/auth/csrf").json()["csrfToken"]
    return client.post(
        "/api/auth/email/change",
        {"new_email": new_email, "password": PASSWORD},
        format="json",
        REMOTE_ADDR=ip,
        HTTP_X_CSRFTOKEN=csrf,
        HTTP_ORIGIN=settings.FRONTEND_URL,
    )


def test_a_locked_account_still_lets_the_owners_browser_confirm_its_password(user):
    """Sensitive actions check the password against the same budget login would spend."""
    browser = owners_browser(user)
    assert login(browser, user.email, PASSWORD, "192.0.2.10").status_code == 200
    lock_out(user.email)
    change = change_email(browser, "owner@example.com", "192.0.2.10")
    assert change.status_code == 202, change.content
    # A stranger holding a stolen session (no device cookie) meets the lockout instead.
    stolen = APIClient()
    stolen.cookies[settings.AUTH_SESSION_COOKIE_NAME] = browser.cookies[
        settings.AUTH_SESSION_COOKIE_NAME
    ].value
    assert_limited(change_email(stolen, "thief@example.com", "10.9.9.9"))
