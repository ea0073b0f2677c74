"""Proving an address: the verification mail, asking for another one, and using its link
to confirm the account or, for an account its owner never created, to delete it."""

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.audit import audit_record
from accounts.email_change import email_change_apply
from accounts.limits import RESEND_PER_EMAIL, RESEND_PER_IP, VERIFY_PER_IP
from accounts.link_tokens import LinkInvalid, Purpose, link_token_consume, link_token_issue
from accounts.mail import VERIFY_EMAIL_PAGE, frontend_link, lifetime_text, mail_send
from accounts.models import User
from core.ratelimit import RateLimited, ratelimit_enforce


def verification_mandatory() -> bool:
    """EMAIL_VERIFICATION=mandatory: no session until the address is proved."""
    return settings.EMAIL_VERIFICATION == "mandatory"


def email_verification_send(*, user: User) -> None:
    """The mail says which account it confirms, and carries the same token a second time for
    "this wasn't me": anyone may register someone else's address, and only its owner gets
    this mail."""
    _, token = link_token_issue(user=user, purpose=Purpose.VERIFY_EMAIL)
    mail_send(
        template="verify_email",
        to=user.email,
        user=user,
        link=frontend_link(VERIFY_EMAIL_PAGE, token),
        disown_link=frontend_link(VERIFY_EMAIL_PAGE, token, disown="1"),
        created_at=user.created_at,
        valid_for=lifetime_text(Purpose.VERIFY_EMAIL),
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


def email_disown(*, request: HttpRequest, token: str) -> None:
    """The address owner did not create this account: delete it with its sessions, links and
    password, before whoever did can have it confirmed and keep a way in to it.

    Only while the address is unverified: once it is verified (with this mail's other link, a
    provider that vouched for it, an emailed code) the account is its owner's, and the link is
    refused like a used one. Verifying and disowning share one token and one guessing budget.
    """
    ratelimit_enforce(request=request, limits=[VERIFY_PER_IP])
    with transaction.atomic():
        row = link_token_consume(token=token, purposes=[Purpose.VERIFY_EMAIL])
        # Locked, so a verification that is committing now is either seen here or waits.
        user = User.objects.select_for_update().get(pk=row.user_id)
        if user.email_verified:
            raise LinkInvalid()
        audit_record("account_disowned", request=request, user=user)
        user.delete()
