"""Proving an address: the verification mail, asking for another one, and using its link."""

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.audit import audit_record
from accounts.email_change import email_change_apply
from accounts.limits import RESEND_PER_EMAIL, RESEND_PER_IP, VERIFY_PER_IP
from accounts.link_tokens import Purpose, link_token_consume, link_token_issue
from accounts.mail import VERIFY_EMAIL_PAGE, mail_link
from accounts.models import User
from core.ratelimit import RateLimited, ratelimit_enforce


def email_verification_send(*, user: User) -> None:
    _, token = link_token_issue(user=user, purpose=Purpose.VERIFY_EMAIL)
    mail_link(
        template="verify_email",
        to=user.email,
        user=user,
        purpose=Purpose.VERIFY_EMAIL,
        token=token,
        path=VERIFY_EMAIL_PAGE,
    )


def email_verification_resend(*, request: HttpRequest, user: User) -> bool:
    """Send a fresh link; False (and no mail) when the address is verified already."""
    limits = [RESEND_PER_EMAIL, RESEND_PER_IP]
    ratelimit_enforce(request=request, limits=limits, email=user.email, user=user)
    if user.email_verified:
        return False
    email_verification_send(user=user)
    return True


def email_verification_resend_quietly(*, request: HttpRequest, user: User) -> None:
    """The only way back in for an unverified user whose link expired, within the resend
    limit (silently, since the sign-in was right and the answer stays the same)."""
    try:
        ratelimit_enforce(request=request, limits=[RESEND_PER_EMAIL], email=user.email, user=user)
    except RateLimited:
        return
    email_verification_send(user=user)


def email_verify(*, request: HttpRequest, token: str) -> User:
    """Consume a verification or change-of-address token and apply what it proves."""
    ratelimit_enforce(request=request, limits=[VERIFY_PER_IP])
    with transaction.atomic():
        row = link_token_consume(token=token, purposes=[Purpose.VERIFY_EMAIL, Purpose.CHANGE_EMAIL])
        user = row.user
        if row.purpose == Purpose.CHANGE_EMAIL:
            email_change_apply(request=request, user=user, new_email=row.new_email)
        else:
            user.email_verified_at = user.email_verified_at or timezone.now()
            user.save(update_fields=["email_verified_at", "updated_at"])
            audit_record("email_verified", request=request, user=user)
    return user
