"""A software authenticator: an EC P-256 key that answers WebAuthn ceremonies as a browser and
a platform authenticator would, with real attestation ("none") and assertion objects, so the
server's verification runs exactly as in production, without a browser.

authenticatorData is rpIdHash (32) | flags (1) | signCount (4, big-endian) [| AAGUID (16) |
credentialId length (2) | credentialId | COSE public key]; an assertion's signature is ES256
over authenticatorData || SHA-256(clientDataJSON), DER-encoded."""

import hashlib
import json
import secrets

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import bytes_to_base64url

from accounts.tests.helpers import FRONTEND

USER_PRESENT = 0x01
USER_VERIFIED = 0x04
BACKUP_ELIGIBLE = 0x08
BACKED_UP = 0x10
ATTESTED = 0x40
AAGUID = bytes(16)

OPTIONS_TO_REGISTER = "/api/auth/passkeys/register/options"
REGISTER = "/api/auth/passkeys/register"
OPTIONS_TO_LOGIN = "/api/auth/passkeys/login/options"
LOGIN = "/api/auth/passkeys/login"


class SoftAuthenticator:
    """One discoverable credential; `sign_count` is what the next assertion reports, minus
    one (set it back to act as a clone)."""

    def __init__(self, *, rp_id: str = "localhost", origin: str = FRONTEND, synced: bool = False):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = secrets.token_bytes(32)
        self.rp_id, self.origin, self.synced = rp_id, origin, synced
        self.sign_count = 0
        self.user_handle = ""

    @property
    def id(self) -> str:
        return bytes_to_base64url(self.credential_id)

    def _cose_key(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        # kty EC2, alg ES256, crv P-256, x, y
        return cbor2.dumps(
            {
                1: 2,
                3: -7,
                -1: 1,
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )

    def _authenticator_data(self, *, rp_id: str, flags: int, attested: bool) -> bytes:
        if self.synced:
            flags |= BACKUP_ELIGIBLE | BACKED_UP
        data = hashlib.sha256(rp_id.encode()).digest() + bytes([flags])
        data += self.sign_count.to_bytes(4, "big")
        if attested:
            data += AAGUID + len(self.credential_id).to_bytes(2, "big") + self.credential_id
            data += self._cose_key()
        return data

    def _client_data(self, *, kind: str, challenge: str, origin: str | None) -> bytes:
        return json.dumps(
            {
                "type": kind,
                "challenge": challenge,
                "origin": origin or self.origin,
                "crossOrigin": False,
            }
        ).encode()

    def create(
        self, options: dict, *, origin: str | None = None, rp_id: str | None = None, uv: bool = True
    ) -> dict:
        """navigator.credentials.create(): the registration response, as JSON."""
        self.user_handle = options["user"]["id"]
        flags = USER_PRESENT | ATTESTED | (USER_VERIFIED if uv else 0)
        auth_data = self._authenticator_data(
            rp_id=rp_id or options["rp"]["id"], flags=flags, attested=True
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        client_data = self._client_data(
            kind="webauthn.create", challenge=options["challenge"], origin=origin
        )
        return {
            "id": self.id,
            "rawId": self.id,
            "type": "public-key",
            "response": {
                "clientDataJSON": bytes_to_base64url(client_data),
                "attestationObject": bytes_to_base64url(attestation),
                "transports": ["internal", "hybrid"],
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
        }

    def get(
        self, options: dict, *, origin: str | None = None, rp_id: str | None = None, uv: bool = True
    ) -> dict:
        """navigator.credentials.get(): a signed assertion for the options' challenge."""
        self.sign_count += 1
        flags = USER_PRESENT | (USER_VERIFIED if uv else 0)
        auth_data = self._authenticator_data(
            rp_id=rp_id or options["rpId"], flags=flags, attested=False
        )
        client_data = self._client_data(
            kind="webauthn.get", challenge=options["challenge"], origin=origin
        )
        signed = auth_data + hashlib.sha256(client_data).digest()
        signature = self.key.sign(signed, ec.ECDSA(hashes.SHA256()))
        return {
            "id": self.id,
            "rawId": self.id,
            "type": "public-key",
            "response": {
                "clientDataJSON": bytes_to_base64url(client_data),
                "authenticatorData": bytes_to_base64url(auth_data),
                "signature": bytes_to_base64url(signature),
                "userHandle": self.user_handle,
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
        }


def register_passkey(client, authenticator: SoftAuthenticator, *, name: str = "Laptop", **body):
    """Registration as a browser runs it: options (with `body`, the password), the
    authenticator's answer, the registration. Returns the last response."""
    options = client.post(OPTIONS_TO_REGISTER, body, format="json")
    if options.status_code != 200:
        return options
    credential = authenticator.create(options.json())
    return client.post(REGISTER, {"credential": credential, "name": name}, format="json")


def login_options(client) -> dict:
    response = client.post(OPTIONS_TO_LOGIN, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def passkey_login(client, authenticator: SoftAuthenticator, **body):
    """A sign-in as a browser runs it: options, the authenticator's assertion, the login."""
    options = login_options(client)
    credential = authenticator.get(options)
    body = {"challenge_id": options["challenge_id"], "credential": credential, **body}
    return client.post(LOGIN, body, format="json")
