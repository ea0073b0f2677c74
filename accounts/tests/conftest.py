"""Fixtures of the accounts tests: fake OAuth providers, committed requests, the outbox."""

import pytest
import responses
from django.core import mail

from accounts.mail import mail_drain
from accounts.models import Passkey
from accounts.social.backends import GoogleBackend
from accounts.tests import providers
from accounts.tests.authenticator import SoftAuthenticator, register_passkey
from accounts.tests.helpers import PASSWORD, TOTP_STEP, begin, callback
from core.tests.helpers import RatelimitClock


@pytest.fixture
def provider_http(settings):
    """Every outgoing HTTP request is served by the fakes; anything else fails the test."""
    settings.GOOGLE_CLIENT_ID = providers.GOOGLE_CLIENT_ID
    settings.GOOGLE_CLIENT_SECRET = "google-secret"
    settings.GOOGLE_OIDC_ISSUER = providers.GOOGLE_ISSUER
    settings.GITHUB_CLIENT_ID = "github-client-id"
    settings.GITHUB_CLIENT_SECRET = "github-secret"
    settings.GITHUB_URL = providers.GITHUB_URL
    settings.GITHUB_API_URL = providers.GITHUB_API_URL
    GoogleBackend.get_openid_configuration.invalidate()
    GoogleBackend.get_jwks_keys_for_uri.invalidate()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


@pytest.fixture
def google(provider_http) -> providers.FakeGoogle:
    return providers.FakeGoogle(provider_http)


@pytest.fixture
def github(provider_http) -> providers.FakeGithub:
    return providers.FakeGithub(provider_http)


@pytest.fixture
def fakes(google, github) -> dict[str, providers.FakeProvider]:
    return {"google": google, "github": github}


@pytest.fixture
def consent(fakes):
    """Drive begin → provider consent; returns the callback's parameters, not yet sent."""

    def consented(client, provider: str, identity: providers.Identity, **query) -> dict:
        started = begin(client, provider, **query)
        assert started.status_code == 302, started.content
        return fakes[provider].authorize(started["Location"], identity)

    return consented


@pytest.fixture
def oauth_sign_in(consent):
    """Drive begin → provider consent → callback; returns the callback's response."""

    def sign_in(client, provider: str, identity: providers.Identity, **query):
        return callback(client, provider, **consent(client, provider, identity, **query))

    return sign_in


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run one request and then its on-commit callbacks (the mails), as a real commit would,
    and wait for the mails to be sent."""

    def run(method, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            response = method(*args, **kwargs)
        mail_drain()
        return response

    return run


@pytest.fixture
def outbox():
    return mail.outbox


@pytest.fixture
def totp_clock(monkeypatch) -> RatelimitClock:
    """The TOTP code's clock, held still one second into a time step: `advance(30)` is the
    next step, and nothing rolls over mid-test."""
    from accounts.mfa import totp

    clock = RatelimitClock()
    clock.now = (int(clock.now) // TOTP_STEP) * TOTP_STEP + 1
    monkeypatch.setattr(totp, "time", clock)
    return clock


@pytest.fixture
def relying_party(settings):
    """Passkeys for the pages at FRONTEND_URL, whatever the environment says."""
    settings.WEBAUTHN_RP_ID = "localhost"
    settings.WEBAUTHN_ORIGINS = ["http://localhost:3000"]


@pytest.fixture
def key() -> SoftAuthenticator:
    return SoftAuthenticator()


@pytest.fixture
def registered(relying_party, signed_in, key) -> Passkey:
    """`key`, registered as a passkey of `user` (who has a password)."""
    response = register_passkey(signed_in, key, password=PASSWORD)
    assert response.status_code == 201, response.content
    return Passkey.objects.get(pk=response.json()["id"])
