"""Changing the address: a link to the new one, a notice to the old one, and the change
applied when the link is used (through accounts.email_verification) or by an operator; the old
address is then told, with a link that takes the account back."""

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.audit import audit_record
from accounts.limits import EMAIL_CHANGE_PER_IP, EMAIL_CHANGE_PER_USER
from accounts.link_tokens import Purpose, link_token_issue, link_tokens_invalidate
from accounts.mail import RESET_PASSWORD_PAGE, VERIFY_EMAIL_PAGE, mail_link, mail_send
from accounts.models import AuthSession, User, normalize_email
from accounts.reauth import ensure_recent_auth
from accounts.sessions import Actor
from accounts.users import EmailTaken
from core.after_response import after_response
from core.errors import ApiError
from core.ratelimit import ratelimit_enforce


def email_change_request(
    *,
    request: HttpRequest,
    user: User,
    session: AuthSession,
    new_email: str,
    password: str | None,
    code: str | None = None,
    passkey: dict | None = None,
) -> None:
    """Check the owner and the limits now; the rest happens after the response, so neither
    the answer nor its timing tells whether the new address belongs to another account."""
    ensure_recent_auth(
        user=user, session=session, password=password, code=code, passkey=passkey, request=request
    )
    limits = [EMAIL_CHANGE_PER_USER, EMAIL_CHANGE_PER_IP]
    ratelimit_enforce(request=request, limits=limits, user=user)
    new_email = normalize_email(new_email)
    if new_email == user.email:
        raise ApiError("This is already your email address.", "same_email")
    after_response(request, email_change_link_send, request=request, user=user, new_email=new_email)


def email_change_link_send(*, request: HttpRequest | None, user: User, new_email: str) -> None:
    """Mail a link to the new address (unless another account has it) and a notice to the
    old one; nothing changes yet."""
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


def email_change_apply(
    *, request: HttpRequest | None, user: User, new_email: str, actor: Actor = "user"
) -> None:
    """The new address must still be free now, not only when the change was asked for.

    Links mailed to the old address die: whoever reads that mailbox no longer owns the
    account, except for the one link mailed now, which lets the owner undo a hijack. A change
    made by the user proves the new address; one typed by an operator does not."""
    new_email = normalize_email(new_email)
    if User.objects.filter(email=new_email).exclude(pk=user.pk).exists():
        raise EmailTaken()
    old_email = user.email
    user.email = new_email
    fields = ["email", "updated_at"]
    if actor == "user":
        user.email_verified_at = timezone.now()
        fields.append("email_verified_at")
    try:
        with transaction.atomic():
            user.save(update_fields=fields)
    except IntegrityError as exc:
        raise EmailTaken() from exc
    stale = [Purpose.RESET_PASSWORD, Purpose.VERIFY_EMAIL, Purpose.CHANGE_EMAIL]
    link_tokens_invalidate(user=user, purposes=stale)
    # Kept beside earlier ones: a hijacker changing the address twice must not replace the
    # owner's link with one to an address of their own.
    _, token = link_token_issue(
        user=user, purpose=Purpose.RECOVER_ACCOUNT, new_email=old_email, replace=False
    )
    mail_link(
        template="email_changed",
        to=old_email,
        user=user,
        purpose=Purpose.RECOVER_ACCOUNT,
        token=token,
        path=RESET_PASSWORD_PAGE,
        new_email=new_email,
    )
    audit_record(
        "email_changed",
        request=request,
        user=user,
        old_email=old_email,
        new_email=new_email,
        by=actor,
    )
