"""The attack: a name that writes its own text into the mails the account sends, to an
address the attacker picks (register with it, or ask to move an account there)."""

import pytest

from accounts.models import User
from accounts.names import name_clean
from accounts.tests.factories import UserFactory
from accounts.tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db

PHISHING = "Bob\n\nYour account is locked: visit https://evil.example"


def assert_name_refused(response) -> None:
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "name" in response.json()


def register(api, commit, name, email="victim@example.com"):
    body = {"email": email, "password": "a fine long passphrase 42", "name": name}
    return commit(api.post, "/api/auth/register", body)


def test_a_multi_line_name_is_refused_at_registration(api, commit, outbox):
    assert_name_refused(register(api, commit, PHISHING))
    assert outbox == []
    assert not User.objects.filter(email="victim@example.com").exists()


@pytest.mark.parametrize(
    "name",
    [
        "Bob\rClick here",
        "Bob\u2028Your account is locked",  # line separator (Zl)
        "Bob\u2029Visit us",  # paragraph separator (Zp)
        "Bob\u202eenilno",  # right-to-left override (Cf)
        "Bob\u200b",  # zero-width space (Cf)
        "Bob\x00",
        "x" * 101,
    ],
)
def test_control_format_and_separator_characters_and_long_names_are_refused(signed_in, name):
    assert_name_refused(signed_in.patch("/api/auth/me", {"name": name}, format="json"))
    assert User.objects.get(pk=signed_in.user.pk).name == signed_in.user.name


@pytest.mark.parametrize("name", ["Zoë O'Brien-Łukasiewicz", "李小龍", "x" * 100, ""])
def test_ordinary_names_are_accepted(signed_in, name):
    response = signed_in.patch("/api/auth/me", {"name": name}, format="json")
    assert response.status_code == 200
    assert response.json()["user"]["name"] == name


def test_mails_never_carry_the_name(api, commit, outbox, settings):
    """A name stored before the rule (or by an operator) still cannot write into a mail."""
    settings.EMAIL_VERIFICATION = "mandatory"
    user = UserFactory(email="victim@example.com", password=PASSWORD, name=PHISHING)
    commit(api.post, "/api/auth/password/forgot", {"email": user.email})
    register(api, commit, "Eve")  # the owner is told of the attempt
    assert len(outbox) == 2
    for message in outbox:
        html = message.alternatives[0][0]
        for text in (message.body, html):
            assert "evil.example" not in text and "locked" not in text


def test_a_providers_name_is_made_one_line():
    assert name_clean(PHISHING) == "Bob Your account is locked: visit https://evil.example"
    assert name_clean("A\u202eB" + "c" * 200) == "A B" + "c" * 97
