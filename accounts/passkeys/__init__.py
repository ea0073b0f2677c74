"""Passkeys (WebAuthn, with py_webauthn): registration, sign-in with a discoverable
credential, and the user's management of their passkeys."""
