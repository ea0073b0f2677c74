"""The user's email address: verification mails, verifying, and changing it."""

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.audit import audit_record
from accounts.emails import mail_send, mail_token
from accounts.errors import ApiError
from accounts.models import AuthSession, User, VerificationToken, normalize_email
from accounts.ratelimits import (
    EMAIL_CHANGE_PER_IP,
    EMAIL_CHANGE_PER_USER,
    RESEND_PER_EMAIL,
    RESEND_PER_IP,
    VERIFY_PER_IP,
    ratelimit_enforce,
)
from accounts.reauth import ensure_recent_auth
from accounts.users import EmailTaken
from accounts.verification import (
    verification_token_consume,
    verification_token_issue,
    verification_tokens_invalidate,
)

Purpose = VerificationToken.Purpose
VERIFY_PATH = "verify-email"


def email_verification_send(*, user: User) -> None:
    _, token = verification_token_issue(user=user, purpose=Purpose.VERIFY_EMAIL)
    mail_token(
        template="verify_email",
        to=user.email,
        user=user,
        purpose=Purpose.VERIFY_EMAIL,
        token=token,
        path=VERIFY_PATH,
    )


def email_verification_resend(*, request: HttpRequest, user: User) -> bool:
    """Send a fresh link; False (and no mail) when the address is verified already."""
    limits = [RESEND_PER_EMAIL, RESEND_PER_IP]
    ratelimit_enforce(request=request, limits=limits, email=user.email, user=user)
    if user.email_verified:
        return False
    email_verification_send(user=user)
    return True


def email_verify(*, request: HttpRequest, token: str) -> User:
    """Consume a verification or change-of-address token and apply what it proves."""
    ratelimit_enforce(request=request, limits=[VERIFY_PER_IP])
    with transaction.atomic():
        row = verification_token_consume(
            token=token, purposes=[Purpose.VERIFY_EMAIL, Purpose.CHANGE_EMAIL]
        )
        user = row.user
        if row.purpose == Purpose.CHANGE_EMAIL:
            _email_apply_change(request=request, user=user, new_email=row.new_email)
        else:
            user.email_verified_at = user.email_verified_at or timezone.now()
            user.save(update_fields=["email_verified_at", "updated_at"])
            audit_record("email_verified", request=request, user=user)
    return user


def _email_apply_change(*, request: HttpRequest, user: User, new_email: str) -> None:
    """The new address must still be free now, not only when the change was asked for.

    Links mailed to the old address die: whoever reads that mailbox no longer owns the account."""
    if User.objects.filter(email=new_email).exclude(pk=user.pk).exists():
        raise EmailTaken()
    old_email = user.email
    user.email = new_email
    user.email_verified_at = timezone.now()
    try:
        with transaction.atomic():
            user.save(update_fields=["email", "email_verified_at", "updated_at"])
    except IntegrityError as exc:
        raise EmailTaken() from exc
    verification_tokens_invalidate(
        user=user, purposes=[Purpose.RESET_PASSWORD, Purpose.VERIFY_EMAIL]
    )
    audit_record(
        "email_changed", request=request, user=user, old_email=old_email, new_email=new_email
    )


def email_change_request(
    *,
    request: HttpRequest,
    user: User,
    session: AuthSession,
    new_email: str,
    password: str | None,
) -> None:
    """Mail a link to the new address and a notice to the old one; nothing changes yet.

    An address that belongs to another account gets no mail, and the answer is the same,
    so this cannot be used to find out who has an account."""
    ensure_recent_auth(user=user, session=session, password=password, request=request)
    limits = [EMAIL_CHANGE_PER_USER, EMAIL_CHANGE_PER_IP]
    ratelimit_enforce(request=request, limits=limits, user=user)
    new_email = normalize_email(new_email)
    if new_email == user.email:
        raise ApiError("This is already your email address.", "same_email")
    with transaction.atomic():
        _, token = verification_token_issue(
            user=user, purpose=Purpose.CHANGE_EMAIL, new_email=new_email
        )
        if not User.objects.filter(email=new_email).exists():
            mail_token(
                template="change_email",
                to=new_email,
                user=user,
                purpose=Purpose.CHANGE_EMAIL,
                token=token,
                path=VERIFY_PATH,
            )
        mail_send(template="email_change_notice", to=user.email, user=user, new_email=new_email)
        audit_record("email_change_requested", request=request, user=user, new_email=new_email)
