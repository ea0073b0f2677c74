"""Passkeys over HTTP with a software authenticator: registration behind the owner's proof,
sign-in with the passkey alone, and every way an answer can be wrong refused (the origin,
the RP ID, a reused or expired challenge, a cloned key, no user verification)."""

import time

import pytest
from rest_framework.test import APIClient

from accounts.models import AuthSession, Passkey
from accounts.passkeys.assertion import passkey_assertion_verify
from accounts.passkeys.relying_party import PasskeyNotRecognised
from accounts.tests.authenticator import (
    LOGIN,
    OPTIONS_TO_REGISTER,
    REGISTER,
    SoftAuthenticator,
    login_options,
    passkey_login,
    register_passkey,
)
from accounts.tests.concurrency import postgres_only, run_concurrently
from accounts.tests.factories import UserFactory
from accounts.tests.helpers import PASSWORD, assert_refused, client_of, event_types
from accounts.tests.providers import Identity

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("relying_party")]


def login_with(api, key: SoftAuthenticator, options: dict, **answer):
    credential = key.get(options, **answer)
    body = {"challenge_id": options["challenge_id"], "credential": credential}
    return api.post(LOGIN, body, format="json")


# --- Registration ---------------------------------------------------------------------------
def test_registration_options_ask_for_a_discoverable_credential_and_user_verification(
    signed_in, user
):
    options = signed_in.post(OPTIONS_TO_REGISTER, {"password": PASSWORD}, format="json").json()
    assert options["rp"] == {"id": "localhost", "name": "Auth + book chatbot"}
    assert options["user"]["name"] == user.email
    assert options["authenticatorSelection"]["residentKey"] == "required"
    assert options["authenticatorSelection"]["userVerification"] == "required"
    assert options["attestation"] == "none"
    assert options["timeout"] == 300_000


def test_a_user_with_a_password_must_give_it(signed_in, key):
    missing = signed_in.post(OPTIONS_TO_REGISTER, {}, format="json")
    assert missing.status_code == 400
    assert_refused(register_passkey(signed_in, key, password="wrong one"), 403, "invalid_password")
    assert not Passkey.objects.exists()


def test_a_passkey_is_registered_named_and_listed(signed_in, user, key):
    response = register_passkey(signed_in, key, password=PASSWORD, name="Phone")
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "name", "created_at", "last_used_at", "backed_up"}
    assert body["name"] == "Phone" and body["last_used_at"] is None
    passkey = Passkey.objects.get(user=user)
    assert passkey.credential_id == key.id and passkey.transports == ["internal", "hybrid"]
    listed = signed_in.get("/api/auth/passkeys").json()["passkeys"]
    assert [p["id"] for p in listed] == [body["id"]]
    assert event_types(user)[-1] == "passkey_registered"


def test_several_passkeys_and_a_synced_one_shows_as_backed_up(signed_in, user):
    register_passkey(signed_in, SoftAuthenticator(), password=PASSWORD)
    synced = register_passkey(signed_in, SoftAuthenticator(synced=True), password=PASSWORD)
    assert synced.json()["backed_up"] is True
    assert Passkey.objects.filter(user=user).count() == 2


def test_a_social_user_with_a_fresh_session_registers_without_a_password(key):
    client = client_of(UserFactory())
    assert register_passkey(client, key).status_code == 201


def test_the_same_credential_cannot_be_registered_twice(signed_in, registered, key):
    again = register_passkey(client_of(UserFactory()), key)
    assert_refused(again, 400, "invalid_credential")
    assert Passkey.objects.count() == 1


@pytest.mark.parametrize(
    "answer",
    [{"origin": "https://evil.example"}, {"rp_id": "evil.example"}, {"uv": False}],
    ids=["wrong origin", "wrong RP ID", "no user verification"],
)
def test_registration_refuses_a_wrong_answer(signed_in, user, key, answer):
    options = signed_in.post(OPTIONS_TO_REGISTER, {"password": PASSWORD}, format="json").json()
    credential = key.create(options, **answer)
    response = signed_in.post(REGISTER, {"credential": credential}, format="json")
    assert_refused(response, 400, "invalid_credential")
    assert not Passkey.objects.exists()
    assert event_types(user)[-1] == "passkey_registration_failed"


def test_a_registration_challenge_is_single_use(signed_in, key):
    options = signed_in.post(OPTIONS_TO_REGISTER, {"password": PASSWORD}, format="json").json()
    credential = key.create(options)
    assert signed_in.post(REGISTER, {"credential": credential}, format="json").status_code == 201
    other = SoftAuthenticator()
    replay = other.create(options)
    assert_refused(
        signed_in.post(REGISTER, {"credential": replay}, format="json"), 400, "invalid_credential"
    )


def test_a_registration_challenge_is_bound_to_its_user(signed_in, key):
    options = signed_in.post(OPTIONS_TO_REGISTER, {"password": PASSWORD}, format="json").json()
    stranger = client_of(UserFactory())
    response = stranger.post(REGISTER, {"credential": key.create(options)}, format="json")
    assert_refused(response, 400, "invalid_credential")


def test_a_sign_in_challenge_cannot_register(signed_in, api, key):
    options = login_options(api)
    fake = {"rp": {"id": "localhost"}, "user": {"id": "AAAA"}, "challenge": options["challenge"]}
    response = signed_in.post(REGISTER, {"credential": key.create(fake)}, format="json")
    assert_refused(response, 400, "invalid_credential")


def test_a_malformed_credential_is_a_400(signed_in):
    signed_in.post(OPTIONS_TO_REGISTER, {"password": PASSWORD}, format="json")
    bogus = {"id": "x", "rawId": "x", "type": "public-key", "response": {"attestationObject": 7}}
    response = signed_in.post(REGISTER, {"credential": bogus}, format="json")
    assert_refused(response, 400, "invalid_credential")


# --- Sign-in ---------------------------------------------------------------------------------
def test_sign_in_with_the_passkey_alone(api, user, registered, key):
    response = passkey_login(api, key, transport="token")
    assert response.status_code == 200, response.content
    assert response.json()["user"]["id"] == str(user.pk)
    assert AuthSession.objects.filter(user=user, revoked=False).count() == 2
    registered.refresh_from_db()
    assert registered.sign_count == 1 and registered.last_used_at is not None
    signed_in = user.auth_events.filter(type="signed_in").latest("id")
    assert signed_in.detail["method"] == "passkey"


def test_login_options_name_no_credential_and_require_user_verification(api):
    options = login_options(api)
    assert options["rpId"] == "localhost"
    assert options["userVerification"] == "required"
    assert options.get("allowCredentials", []) == []
    assert options["challenge_id"]


def test_a_browser_gets_the_session_cookie(api, registered, key):
    response = passkey_login(api, key)
    assert response.status_code == 200
    assert response.cookies["session_token"].value


def test_a_sign_in_challenge_is_single_use(api, registered, key):
    options = login_options(api)
    assert login_with(api, key, options).status_code == 200
    assert_refused(login_with(api, key, options), 400, "invalid_credential")


def test_an_expired_challenge_is_refused(api, registered, key, settings):
    settings.WEBAUTHN_CHALLENGE_SECONDS = 1
    options = login_options(api)
    time.sleep(1.5)
    assert_refused(login_with(api, key, options), 400, "invalid_credential")


def test_an_unknown_challenge_id_is_refused(api, registered, key):
    options = {**login_options(api), "challenge_id": "made-up"}
    assert_refused(login_with(api, key, options), 400, "invalid_credential")


@pytest.mark.parametrize(
    "answer",
    [
        {"origin": "https://evil.example"},
        {"origin": "http://localhost:3000.evil.example"},
        {"rp_id": "evil.example"},
        {"uv": False},
    ],
    ids=["wrong origin", "origin with our host as a prefix", "wrong RP ID", "no user verification"],
)
def test_sign_in_refuses_a_wrong_answer(api, user, registered, key, answer):
    response = login_with(api, key, login_options(api), **answer)
    assert_refused(response, 400, "invalid_credential")
    assert AuthSession.objects.filter(user=user).count() == 1  # the registering session
    failed = user.auth_events.filter(type="sign_in_failed").latest("id")
    assert failed.detail == {"reason": "invalid_assertion", "method": "passkey"}


def test_a_signature_by_another_key_is_refused(api, registered, key):
    impostor = SoftAuthenticator()
    impostor.credential_id, impostor.user_handle = key.credential_id, key.user_handle
    assert_refused(passkey_login(api, impostor), 400, "invalid_credential")


def test_a_cloned_key_whose_counter_went_back_is_refused_and_audited(api, user, registered, key):
    assert passkey_login(api, key).status_code == 200
    assert passkey_login(api, key).status_code == 200
    key.sign_count = 0  # the clone: a copy of the key as it was before those sign-ins
    response = passkey_login(api, key)
    assert_refused(response, 401, "passkey_not_recognised")
    event = user.auth_events.get(type="passkey_clone_suspected")
    assert event.detail["stored_count"] == 2 and event.detail["presented_count"] == 1


def test_an_unknown_passkey_is_not_recognised(api, registered):
    assert_refused(passkey_login(api, SoftAuthenticator()), 401, "passkey_not_recognised")


def test_an_inactive_users_passkey_is_not_recognised(api, user, registered, key):
    user.is_active = False
    user.save()
    assert_refused(passkey_login(api, key), 401, "passkey_not_recognised")


def test_a_malformed_assertion_is_a_400_or_401_never_a_500(api, registered, key):
    options = login_options(api)
    credential = key.get(options)
    credential["response"]["authenticatorData"] = "!!!"
    body = {"challenge_id": options["challenge_id"], "credential": credential}
    assert_refused(api.post(LOGIN, body, format="json"), 400, "invalid_credential")
    options = login_options(api)
    body = {"challenge_id": options["challenge_id"], "credential": {"id": ["not", "a", "str"]}}
    assert_refused(api.post(LOGIN, body, format="json"), 401, "passkey_not_recognised")


def test_mandatory_verification_applies_to_passkeys_too(api, settings, key):
    user = UserFactory()
    assert register_passkey(client_of(user), key).status_code == 201
    settings.EMAIL_VERIFICATION = "mandatory"
    assert_refused(passkey_login(api, key), 403, "email_not_verified")


def test_google_then_a_passkey_then_the_passkey_alone(api, oauth_sign_in, key):
    landed = oauth_sign_in(api, "google", Identity(uid="2001", email="grace@example.com"))
    assert landed.status_code == 302
    assert register_passkey(api, key, name="This laptop").status_code == 201

    browser = APIClient()
    response = passkey_login(browser, key)

    assert response.status_code == 200
    assert response.json()["user"]["email"] == "grace@example.com"


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_one_challenge_answered_twice_at_once_signs_in_once():
    key = SoftAuthenticator()
    register_passkey(client_of(UserFactory()), key)
    options = login_options(APIClient())
    answers = [key.get(options), key.get(options)]

    def answering(credential):
        body = {"challenge_id": options["challenge_id"], "credential": credential}
        return lambda: APIClient().post(LOGIN, body, format="json")

    responses = run_concurrently(*(answering(c) for c in answers))
    assert sorted(r.status_code for r in responses) == [200, 400]


def test_as_a_second_factor_only_the_users_own_passkey_counts(api, user, registered, key, rf):
    """The check a password sign-in's second step reuses: another account's passkey is no
    proof for this one, however genuine."""

    def verify_for(owner):
        options = login_options(api)
        return passkey_assertion_verify(
            user=owner,
            challenge_id=options["challenge_id"],
            credential=key.get(options),
            request=rf.post("/"),
        )

    with pytest.raises(PasskeyNotRecognised):
        verify_for(UserFactory())
    assert verify_for(user) == registered
