"""TOTP (RFC 6238: SHA-1, 6 digits, 30 s steps): new secrets, the otpauth URI and its QR code,
and accepting a code with one step of clock drift either way, never twice for one step."""

import hmac
import io
import time

import pyotp
import segno
from django.conf import settings
from django.db.models import Q

from accounts.models import TotpDevice, User

# A phone's clock may be a little off: the steps before and after the current one count too.
DRIFT_STEPS = 1
DIGITS = 6


def totp_secret_new() -> str:
    """160 random bits in base32, the length RFC 4226 recommends for SHA-1."""
    return pyotp.random_base32(length=32)


def totp_uri(*, secret: str, user: User) -> str:
    return pyotp.TOTP(secret).provisioning_uri(
        name=user.email, issuer_name=settings.MFA_TOTP_ISSUER
    )


def totp_qr_svg(uri: str) -> str:
    """The URI as a QR code in SVG, drawn here: the secret is never sent to a QR service."""
    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="svg", xmldecl=False, scale=4, border=2)
    return out.getvalue().decode()


def code_looks_like_totp(code: str) -> bool:
    return len(code) == DIGITS and code.isascii() and code.isdigit()


def totp_matching_step(*, secret: str, code: str) -> int | None:
    """The time step (now, or one either side) whose code this is, else None.

    Every candidate is computed and compared in constant time, so timing tells nothing."""
    otp = pyotp.TOTP(secret)
    current = int(time.time()) // otp.interval
    matched = None
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(otp.generate_otp(step).encode(), code.encode()):
            matched = step
    return matched


def totp_code_accept(*, device: TotpDevice, code: str) -> bool:
    """Whether the code is right and newer than the last one accepted; it is then spent.

    One conditional UPDATE records the step, so of two requests with one code exactly one
    wins, and a code overheard (or an older one still within the drift) is refused."""
    if not code_looks_like_totp(code) or device.secret is None:
        # No secret: none of MFA_TOTP_KEYS opens it (logged); recovery codes still work.
        return False
    step = totp_matching_step(secret=device.secret, code=code)
    if step is None:
        return False
    newer = Q(last_used_step__isnull=True) | Q(last_used_step__lt=step)
    return TotpDevice.objects.filter(newer, pk=device.pk).update(last_used_step=step) == 1
