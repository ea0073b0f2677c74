"""Test doubles of Google and GitHub at the HTTP layer (`responses`), as social-core's own
tests do: discovery, JWKS, token and userinfo endpoints, with ID tokens signed by a test key."""

import json
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import jwt
import responses
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

GOOGLE_ISSUER = "https://oidc.test.example"
GOOGLE_CLIENT_ID = "google-client-id"
GITHUB_URL = "https://github.test.example"
GITHUB_API_URL = "https://api.github.test.example"
KEY_ID = "test-key"

_signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Identity:
    """Who the test user is at the provider."""

    uid: str
    email: str = "ann@example.com"
    email_verified: bool = True
    name: str = "Ann Example"


@dataclass
class FakeProvider:
    rsps: responses.RequestsMock
    authorize_url: str
    flows: dict[str, dict] = field(default_factory=dict)
    tokens: dict[str, Identity] = field(default_factory=dict)
    token_answer: dict = field(default_factory=dict)
    # Set by a test to hold every profile request until all racing callbacks reach it.
    barrier: threading.Barrier | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def authorize(self, location: str, identity: Identity) -> dict[str, str]:
        """Play the user's consent: the callback parameters the provider would send back."""
        assert location.startswith(self.authorize_url + "?"), location
        params = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
        code = f"code-{params['state']}"
        with self.lock:
            self.flows[code] = {"identity": identity, "nonce": params.get("nonce")}
        return {"state": params["state"], "code": code}

    def _flow(self, request) -> dict:
        code = parse_qs(request.body)["code"][0]
        return self.flows[code]

    def _identity(self, request) -> Identity:
        if self.barrier is not None:
            self.barrier.wait(timeout=10)
        _, _, token = request.headers["Authorization"].partition(" ")
        return self.tokens[token]


class FakeGoogle(FakeProvider):
    def __init__(self, rsps: responses.RequestsMock):
        super().__init__(rsps, authorize_url=f"{GOOGLE_ISSUER}/o/oauth2/v2/auth")
        # Set by a test to tamper with the next ID tokens.
        self.id_token_claims: dict = {}
        discovery = {
            "issuer": GOOGLE_ISSUER,
            "authorization_endpoint": self.authorize_url,
            "token_endpoint": f"{GOOGLE_ISSUER}/token",
            "userinfo_endpoint": f"{GOOGLE_ISSUER}/v1/userinfo",
            "jwks_uri": f"{GOOGLE_ISSUER}/oauth2/v3/certs",
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        }
        jwk = json.loads(RSAAlgorithm.to_jwk(_signing_key.public_key()))
        jwks = {"keys": [{**jwk, "kid": KEY_ID, "alg": "RS256", "use": "sig"}]}
        rsps.get(f"{GOOGLE_ISSUER}/.well-known/openid-configuration", json=discovery)
        rsps.get(discovery["jwks_uri"], json=jwks)
        rsps.add_callback("POST", discovery["token_endpoint"], callback=self._token)
        rsps.add_callback("GET", discovery["userinfo_endpoint"], callback=self._userinfo)

    def id_token(self, identity: Identity, nonce: str | None = None, **claims) -> str:
        now = int(time.time())
        payload = {
            "iss": GOOGLE_ISSUER,
            "aud": GOOGLE_CLIENT_ID,
            "sub": identity.uid,
            "email": identity.email,
            "email_verified": identity.email_verified,
            "name": identity.name,
            "iat": now,
            "exp": now + 3600,
            **({"nonce": nonce} if nonce else {}),
            **claims,
        }
        return jwt.encode(payload, _signing_key, algorithm="RS256", headers={"kid": KEY_ID})

    def _token(self, request):
        body = parse_qs(request.body)
        if body.get("grant_type") == ["refresh_token"]:
            return 200, {}, json.dumps({**self.token_answer, "token_type": "Bearer"})
        flow = self._flow(request)
        access_token = f"ya29.access-{body['code'][0]}"
        with self.lock:
            self.tokens[access_token] = flow["identity"]
        answer = {
            "access_token": access_token,
            "refresh_token": f"1//refresh-{body['code'][0]}",
            "expires_in": 3599,
            "scope": "openid https://www.googleapis.com/auth/userinfo.email",
            "token_type": "Bearer",
            "id_token": self.id_token(
                flow["identity"], **{"nonce": flow["nonce"], **self.id_token_claims}
            ),
            **self.token_answer,
        }
        return 200, {}, json.dumps(answer)

    def _userinfo(self, request):
        identity = self._identity(request)
        body = {
            "sub": identity.uid,
            "email": identity.email,
            "email_verified": identity.email_verified,
            "name": identity.name,
        }
        return 200, {}, json.dumps(body)


class FakeGithub(FakeProvider):
    def __init__(self, rsps: responses.RequestsMock):
        super().__init__(rsps, authorize_url=f"{GITHUB_URL}/login/oauth/authorize")
        rsps.add_callback("POST", f"{GITHUB_URL}/login/oauth/access_token", callback=self._token)
        rsps.add_callback("GET", f"{GITHUB_API_URL}/user", callback=self._user)
        rsps.add_callback("GET", f"{GITHUB_API_URL}/user/emails", callback=self._emails)

    def _token(self, request):
        flow = self._flow(request)
        access_token = f"gho_{flow['identity'].uid}{len(self.tokens)}"
        with self.lock:
            self.tokens[access_token] = flow["identity"]
        answer = {
            "access_token": access_token,
            "token_type": "bearer",
            "scope": "read:user,user:email",
        }
        return 200, {}, json.dumps({**answer, **self.token_answer})

    def _user(self, request):
        identity = self._identity(request)
        # The public profile address is deliberately another one: it must be ignored.
        body = {
            "id": int(identity.uid),
            "login": "octo",
            "name": identity.name,
            "email": "public@example.org",
        }
        return 200, {}, json.dumps(body)

    def _emails(self, request):
        _, _, token = request.headers["Authorization"].partition(" ")
        identity = self.tokens[token]
        emails = [
            {"email": "other@example.org", "primary": False, "verified": True},
            {"email": identity.email, "primary": True, "verified": identity.email_verified},
        ]
        return 200, {}, json.dumps(emails)
