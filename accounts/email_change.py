"""Changing the address: a link to the new one, a notice to the old one, and the change
applied when the link is used (through accounts.email_verification)."""

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.audit import audit_record
from accounts.limits import EMAIL_CHANGE_PER_IP, EMAIL_CHANGE_PER_USER
from accounts.link_tokens import Purpose, link_token_issue, link_tokens_invalidate
from accounts.mail import VERIFY_EMAIL_PAGE, mail_link, mail_send
from accounts.models import AuthSession, User, normalize_email
from accounts.reauth import ensure_recent_auth
from accounts.users import EmailTaken
from core.errors import ApiError
from core.ratelimit import ratelimit_enforce


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
        _, token = link_token_issue(user=user, purpose=Purpose.CHANGE_EMAIL, new_email=new_email)
        if not User.objects.filter(email=new_email).exists():
            mail_link(
                template="change_email",
                to=new_email,
                user=user,
                purpose=Purpose.CHANGE_EMAIL,
                token=token,
                path=VERIFY_EMAIL_PAGE,
            )
        mail_send(template="email_change_notice", to=user.email, user=user, new_email=new_email)
        audit_record("email_change_requested", request=request, user=user, new_email=new_email)


def email_change_apply(*, request: HttpRequest, user: User, new_email: str) -> None:
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
    link_tokens_invalidate(user=user, purposes=[Purpose.RESET_PASSWORD, Purpose.VERIFY_EMAIL])
    audit_record(
        "email_changed", request=request, user=user, old_email=old_email, new_email=new_email
    )
