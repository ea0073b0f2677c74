from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User, VerificationToken
from accounts.tests.factories import UserFactory
from accounts.tests.helpers import PASSWORD, event_types, token_from

REGISTER = "/api/auth/register"
VERIFY = "/api/auth/email/verify"
RESEND = "/api/auth/email/resend"
LOGIN = "/api/auth/login"

pytestmark = pytest.mark.django_db


def register(api, commit, email="new@example.com"):
    return commit(api.post, REGISTER, {"email": email, "password": PASSWORD, "name": "New"})


def test_registration_mails_a_verification_link(api, commit, outbox):
    response = register(api, commit)
    assert response.status_code == 201
    assert response.json()["user"]["email_verified"] is False
    assert outbox[0].to == ["new@example.com"]
    assert "http://localhost:3000/verify-email?token=" in outbox[0].body
    assert event_types(email="new@example.com") == ["registered", "signed_in"]


def test_verify_marks_the_email_verified(api, commit, outbox):
    register(api, commit)
    response = api.post(VERIFY, {"token": token_from(outbox[0])})
    assert response.status_code == 200
    assert response.json()["user"]["email_verified"] is True
    assert User.objects.get(email="new@example.com").email_verified_at is not None
    assert event_types(email="new@example.com")[-1] == "email_verified"


def test_verification_link_is_single_use(api, commit, outbox):
    register(api, commit)
    token = token_from(outbox[0])
    api.post(VERIFY, {"token": token})
    response = api.post(VERIFY, {"token": token})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "This link is invalid or has already been used.",
        "code": "invalid_token",
    }


def test_expired_verification_link_is_refused(api, commit, outbox):
    register(api, commit)
    VerificationToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = api.post(VERIFY, {"token": token_from(outbox[0])})
    assert response.json()["code"] == "token_expired"
    assert not User.objects.get(email="new@example.com").email_verified


def test_verification_link_lives_a_day(api, commit):
    register(api, commit)
    lifetime = VerificationToken.objects.get().expires_at - timezone.now()
    assert timedelta(hours=23, minutes=59) < lifetime <= timedelta(hours=24)


def test_reset_token_cannot_verify_an_email(api, commit, outbox):
    user = UserFactory(password=PASSWORD)
    commit(api.post, "/api/auth/password/forgot", {"email": user.email})
    response = api.post(VERIFY, {"token": token_from(outbox[0])})
    assert response.json()["code"] == "invalid_token"
    user.refresh_from_db()
    assert not user.email_verified


def test_forged_token_is_refused(api, db):
    response = api.post(VERIFY, {"token": "x" * 43})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_token"


def test_resend_sends_a_new_link_and_kills_the_old(signed_in, commit, outbox):
    commit(signed_in.post, RESEND)
    first = token_from(outbox[0])
    response = commit(signed_in.post, RESEND)
    assert response.status_code == 202
    assert len(outbox) == 2
    assert signed_in.post(VERIFY, {"token": first}).json()["code"] == "invalid_token"
    assert signed_in.post(VERIFY, {"token": token_from(outbox[1])}).status_code == 200


def test_resend_for_a_verified_address_sends_nothing(signed_in, commit, outbox):
    User.objects.filter(pk=signed_in.user.pk).update(email_verified_at=timezone.now())
    assert commit(signed_in.post, RESEND).status_code == 202
    assert outbox == []


def test_resend_needs_a_session(api, db):
    assert api.post(RESEND).status_code == 401


@pytest.fixture
def mandatory(settings):
    settings.EMAIL_VERIFICATION = "mandatory"


def test_optional_mode_lets_unverified_users_sign_in(api, user):
    response = api.post(LOGIN, {"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert response.json()["user"]["email_verified"] is False


def test_optional_mode_answers_409_for_a_taken_email(api, commit, user, outbox):
    response = register(api, commit, email=user.email)
    assert response.status_code == 409
    assert response.json()["code"] == "email_taken"


def test_mandatory_mode_refuses_unverified_sign_in_and_sends_a_new_link(
    mandatory, api, commit, user, outbox
):
    response = commit(api.post, LOGIN, {"email": user.email, "password": PASSWORD})
    assert response.status_code == 403
    assert response.json()["code"] == "email_not_verified"
    assert "session_token" not in response.cookies
    assert api.post(VERIFY, {"token": token_from(outbox[0])}).status_code == 200
    assert api.post(LOGIN, {"email": user.email, "password": PASSWORD}).status_code == 200


def test_mandatory_mode_does_not_tell_a_wrong_password_from_unverified(mandatory, api, user):
    response = api.post(LOGIN, {"email": user.email, "password": "not the password"})
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"


def test_mandatory_registration_is_identical_for_new_and_taken_emails(
    mandatory, api, commit, outbox
):
    owner = UserFactory(password=PASSWORD, email="owner@example.com")
    new = register(api, commit, email="fresh@example.com")
    taken = register(api, commit, email="OWNER@example.com")
    assert new.status_code == taken.status_code == 202
    assert new.json() == taken.json()
    assert dict(new.cookies) == dict(taken.cookies) == {}
    assert new.headers.keys() == taken.headers.keys()
    assert [m.to for m in outbox] == [["fresh@example.com"], ["owner@example.com"]]
    assert outbox[1].subject == "Someone tried to register with your address"
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)
    assert User.objects.filter(email="owner@example.com").count() == 1


def test_mandatory_registration_still_validates_the_password(mandatory, api, commit):
    response = commit(api.post, REGISTER, {"email": "a@example.com", "password": "short"})
    assert response.status_code == 400


def test_mandatory_new_account_signs_in_after_verifying(mandatory, api, commit, outbox):
    register(api, commit, email="fresh@example.com")
    api.post(VERIFY, {"token": token_from(outbox[0])})
    response = api.post(LOGIN, {"email": "fresh@example.com", "password": PASSWORD})
    assert response.status_code == 200
