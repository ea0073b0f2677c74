"""/admin/login/ attacked like the API: the same limits, one lockout per account shared with
the API, the same audit trail, and the device cookie's exemption."""

import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
from django.test import Client, override_settings
from rest_framework.test import APIClient

from accounts.models import AuthEvent
from accounts.tests.factories import UserFactory
from accounts.tests.helpers import ADMIN_LOGIN, PASSWORD, admin_login, browser, csrf_token
from core.tests.helpers import CLOSED_PORT_REDIS

API_LOGIN = "/api/auth/login"
WRONG = "Please enter the correct"
LIMITED = "Too many requests"

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return UserFactory(password=PASSWORD, superuser=True)


def api_login(email: str, password: str, ip: str):
    return APIClient().post(API_LOGIN, {"email": email, "password": password}, REMOTE_ADDR=ip)


def is_signed_in(client: Client) -> bool:
    return client.get("/admin/").status_code == 200


def assert_refused_as_limited(response):
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert LIMITED in response.content.decode()


def test_forty_wrong_passwords_from_one_address_are_limited(staff):
    attacker = browser()
    answers = [admin_login(attacker, staff.email, f"guess {n}") for n in range(40)]

    assert [a.status_code for a in answers[:5]] == [200] * 5
    assert all(WRONG in a.content.decode() for a in answers[:5])
    for answer in answers[5:]:
        assert_refused_as_limited(answer)
    assert AuthEvent.objects.filter(type="sign_in_failed", user=staff).count() == 5
    assert_refused_as_limited(admin_login(attacker, staff.email, PASSWORD))
    assert not is_signed_in(attacker)


def test_forty_wrong_passwords_from_many_addresses_lock_the_account_everywhere(staff):
    answers = [
        admin_login(browser(f"10.0.{n // 200}.{n % 200}"), staff.email, "guess") for n in range(40)
    ]
    assert [a.status_code for a in answers[:10]] == [200] * 10
    for answer in answers[10:]:
        assert_refused_as_limited(answer)

    owner = browser("203.0.113.9")
    assert_refused_as_limited(admin_login(owner, staff.email, PASSWORD))
    assert not is_signed_in(owner)
    assert api_login(staff.email, PASSWORD, "203.0.113.10").status_code == 429


def test_wrong_passwords_on_the_api_lock_the_admin(staff):
    for n in range(10):
        assert api_login(staff.email, "guess", f"10.0.0.{n}").status_code == 401
    owner = browser("203.0.113.9")
    assert_refused_as_limited(admin_login(owner, staff.email, PASSWORD))
    assert not is_signed_in(owner)


def test_admin_and_api_failures_add_up_to_one_budget(staff):
    for n in range(5):
        assert WRONG in admin_login(browser(f"10.0.0.{n}"), staff.email, "x").content.decode()
    for n in range(5):
        assert api_login(staff.email, "guess", f"10.0.1.{n}").status_code == 401
    assert api_login(staff.email, PASSWORD, "203.0.113.10").status_code == 429
    assert_refused_as_limited(admin_login(browser("203.0.113.9"), staff.email, PASSWORD))


def test_admin_sign_ins_are_audited_with_method_admin(staff):
    client = browser()
    admin_login(client, staff.email.upper(), "wrong", ip="198.51.100.7")
    admin_login(client, "ghost@example.com", "wrong")
    response = admin_login(client, staff.email, PASSWORD)

    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert is_signed_in(client)
    failed, unknown, signed_in = AuthEvent.objects.order_by("id")
    assert (failed.type, failed.user, failed.ip_address) == (
        "sign_in_failed",
        staff,
        "198.51.100.7",
    )
    assert failed.detail == {"reason": "wrong_password", "method": "admin"}
    assert (unknown.email, unknown.detail) == (
        "ghost@example.com",
        {"reason": "unknown_email", "method": "admin"},
    )
    assert (signed_in.type, signed_in.user, signed_in.detail) == (
        "signed_in",
        staff,
        {"method": "admin"},
    )
    staff.refresh_from_db()
    assert staff.last_login is not None


def test_a_non_staff_password_gets_the_wrong_password_answer(user):
    client = browser()
    response = admin_login(client, user.email, PASSWORD)
    assert response.status_code == 200 and WRONG in response.content.decode()
    assert not is_signed_in(client)
    event = AuthEvent.objects.get(type="sign_in_failed")
    assert event.detail == {"reason": "not_staff", "method": "admin"}


def test_admin_login_keeps_django_csrf_protection(staff):
    client = browser()
    response = client.post(ADMIN_LOGIN, {"username": staff.email, "password": PASSWORD})
    assert response.status_code == 403
    assert not is_signed_in(client)
    assert not AuthEvent.objects.exists()


def test_admin_login_applies_mandatory_verification(settings, db):
    settings.EMAIL_VERIFICATION = "mandatory"
    unverified = UserFactory(password=PASSWORD, staff=True, email_verified_at=None)
    client = browser()
    response = admin_login(client, unverified.email, PASSWORD)
    assert response.status_code == 403
    assert "Confirm your email address" in response.content.decode()
    assert not is_signed_in(client)
    event = AuthEvent.objects.get(type="sign_in_failed")
    assert event.detail == {"reason": "email_not_verified", "method": "admin"}


def test_admin_login_without_the_cache_is_a_503_page_not_a_500(staff):
    client = browser()
    page = client.get(ADMIN_LOGIN)
    form = {"username": staff.email, "password": PASSWORD}
    form["csrfmiddlewaretoken"] = csrf_token(page.content.decode())
    with override_settings(CACHES=CLOSED_PORT_REDIS):
        response = client.post(ADMIN_LOGIN, form)
    assert response.status_code == 503
    assert "temporarily unavailable" in response.content.decode()
    assert not is_signed_in(client)


def test_the_owners_admin_browser_signs_in_while_strangers_are_locked_out(staff):
    owner = browser("203.0.113.9")
    first = admin_login(owner, staff.email, PASSWORD)
    assert first.status_code == 302
    cookie = first.cookies["device"]
    assert cookie["httponly"] and cookie["path"] == "/"
    owner.post("/admin/logout/", {"csrfmiddlewaretoken": owner.cookies["csrftoken"].value})
    assert not is_signed_in(owner)

    for n in range(10):
        admin_login(browser(f"10.0.0.{n}"), staff.email, "guess")
    assert_refused_as_limited(admin_login(browser("203.0.113.10"), staff.email, PASSWORD))
    assert admin_login(owner, staff.email, PASSWORD).status_code == 302
    assert is_signed_in(owner)


def test_an_api_device_cookie_counts_at_the_admin_too(staff):
    api = APIClient()
    assert api.post(API_LOGIN, {"email": staff.email, "password": PASSWORD}).status_code == 200
    for n in range(10):
        assert api_login(staff.email, "guess", f"10.0.0.{n}").status_code == 401
    owner = browser("203.0.113.9")
    owner.cookies["device"] = api.cookies["device"].value
    assert admin_login(owner, staff.email, PASSWORD).status_code == 302


def post_form(opener, url: str, fields: dict) -> tuple[int, str]:
    data = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(url, data=data, headers={"Referer": url})
    try:
        with opener.open(request) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as refusal:
        return refusal.code, refusal.read().decode()


@pytest.mark.django_db(transaction=True)
def test_over_real_http_the_admin_login_is_limited(live_server, staff):
    url = f"{live_server.url}{ADMIN_LOGIN}"
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def attempt(password: str) -> tuple[int, str]:
        with opener.open(url) as page:
            token = csrf_token(page.read().decode())
        fields = {"username": staff.email, "password": password, "csrfmiddlewaretoken": token}
        return post_form(opener, url, fields)

    answers = [attempt(f"guess {n}") for n in range(8)]
    assert [status for status, _ in answers] == [200] * 5 + [429] * 3
    assert LIMITED in answers[-1][1]
    status, body = attempt(PASSWORD)
    assert status == 429 and LIMITED in body
