"""Rotating DJANGO_SECRET_KEY: with the old key among the fallbacks, what it signed (here a
device cookie, which spares its browser the account's lockout) still verifies."""

import secrets

from django.core import signing

from accounts.devices import SALT
from accounts.tests.fresh_process import manage

CHECK = (
    "import os; from django.core import signing; from accounts.devices import SALT\n"
    "try:\n    signing.loads(os.environ['SIGNED'], salt=SALT); print('accepted')\n"
    "except signing.BadSignature:\n    print('refused')"
)


def loads_in_fresh_process(value: str, **env: str) -> bool:
    result = manage("shell", "-c", CHECK, DEBUG="true", SIGNED=value, **env)
    verdict = result.stdout.split()[-1:]
    assert verdict in (["accepted"], ["refused"]), result.stdout + result.stderr
    return verdict == ["accepted"]


def test_a_value_signed_with_the_old_key_verifies_while_it_is_a_fallback():
    old, new = secrets.token_urlsafe(48), secrets.token_urlsafe(48)
    cookie = signing.dumps({"u": "x", "d": "y"}, key=old, salt=SALT)
    assert not loads_in_fresh_process(cookie, DJANGO_SECRET_KEY=new)
    fallbacks = f"{secrets.token_urlsafe(48)},{old}"
    assert loads_in_fresh_process(
        cookie, DJANGO_SECRET_KEY=new, DJANGO_SECRET_KEY_FALLBACKS=fallbacks
    )
