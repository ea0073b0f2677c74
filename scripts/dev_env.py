"""Write a development .env the first time, so every later command in the checkout (the
Makefile's or `.venv/bin/python manage.py ...`) runs with DEBUG on and this machine's own
secrets, instead of refusing to start or using the public development defaults.

Runs with the system Python (no virtualenv yet), so it uses the standard library only."""

import base64
import secrets
import sys
from pathlib import Path

TEMPLATE = """\
# Written by `make run` for development on this machine only; edit freely, delete to regenerate.
# Every key is in .env.example and the README's configuration table.
DEBUG=true
DJANGO_SECRET_KEY={django}
SESSION_SECRET={session}
OAUTH_TOKEN_KEYS={fernet}
MFA_TOTP_KEYS={mfa}
"""


def _fernet_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def main(path: Path) -> int:
    """Leave an existing file alone: it may hold a developer's own settings."""
    if path.exists():
        return 0
    text = TEMPLATE.format(
        django=secrets.token_urlsafe(48),
        session=secrets.token_urlsafe(48),
        fernet=_fernet_key(),
        mfa=_fernet_key(),
    )
    path.write_text(text)
    path.chmod(0o600)
    print(f"wrote {path} (DEBUG=true and freshly generated development secrets)")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else ".env")))
