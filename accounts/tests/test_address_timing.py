"""The attack: time the public routes that take an address, over real HTTP, to learn which
addresses have accounts. Rate limits are off here only, so enough requests can be timed."""

import pytest

from accounts.tests.factories import AuthSessionFactory, UserFactory
from accounts.tests.helpers import PASSWORD
from accounts.tests.timing import compare

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _no_limits(settings):
    settings.RATELIMIT_ENABLE = False


def assert_indistinguishable(medians) -> None:
    assert medians.gap < medians.tolerance, f"the timing tells the paths apart: {medians}"


def test_forgot_password_takes_as_long_for_an_account_as_for_none(live_server):
    UserFactory(email="victim@example.com", password=PASSWORD)
    forgot = "/api/auth/password/forgot"
    medians = compare(
        live_server.url,
        lambda i: (forgot, {"email": "victim@example.com"}, {}),
        lambda i: (forgot, {"email": f"nobody{i}@example.com"}, {}),
    )
    print(f"forgot existing vs unknown: {medians}")
    assert_indistinguishable(medians)


def test_mandatory_registration_takes_as_long_for_a_taken_address(live_server, settings):
    settings.EMAIL_VERIFICATION = "mandatory"
    UserFactory(email="victim@example.com", password=PASSWORD)
    register = "/api/auth/register"
    body = {"password": "a fine long passphrase 42", "name": "Eve"}
    medians = compare(
        live_server.url,
        lambda i: (register, {**body, "email": "victim@example.com"}, {}),
        lambda i: (register, {**body, "email": f"newcomer{i}@example.com"}, {}),
    )
    print(f"register taken vs free: {medians}")
    assert_indistinguishable(medians)


def test_change_of_address_takes_as_long_for_a_taken_address(live_server):
    UserFactory(email="victim@example.com")
    prober = UserFactory(email="prober@example.com", password=PASSWORD)
    bearer = {"Authorization": f"Bearer {AuthSessionFactory(user=prober).token}"}
    change = "/api/auth/email/change"
    medians = compare(
        live_server.url,
        lambda i: (change, {"new_email": "victim@example.com", "password": PASSWORD}, bearer),
        lambda i: (change, {"new_email": f"free{i}@example.com", "password": PASSWORD}, bearer),
    )
    print(f"change to taken vs free: {medians}")
    assert_indistinguishable(medians)
