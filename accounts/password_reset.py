"""Forgotten passwords: a reset link by mail, then a new password that signs everyone out."""

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.audit import audit_record
from accounts.limits import FORGOT_PER_EMAIL, FORGOT_PER_IP, RESET_PER_IP
from accounts.link_tokens import link_token_consume, link_token_issue, link_tokens_invalidate
from accounts.mail import RESET_PASSWORD_PAGE, mail_link, mail_send
from accounts.models import User, VerificationToken, normalize_email
from accounts.passwords import validate_new_password
from accounts.sessions import sessions_revoke_for_user
from accounts.social.links import oauth_accounts_unlink_for_claimed_email
from accounts.users import EmailTaken
from core.after_response import after_response
from core.ratelimit import ratelimit_enforce

RESET = VerificationToken.Purpose.RESET_PASSWORD
CHANGE_EMAIL = VerificationToken.Purpose.CHANGE_EMAIL
VERIFY = VerificationToken.Purpose.VERIFY_EMAIL
RECOVER = VerificationToken.Purpose.RECOVER_ACCOUNT


def password_reset_request(*, request: HttpRequest, email: str) -> None:
    """The caller answers the same either way, and as fast: the lookup, the link and its
    audit row are made after the response (an account used to cost a transaction more)."""
    email = normalize_email(email)
    ratelimit_enforce(request=request, limits=[FORGOT_PER_EMAIL, FORGOT_PER_IP], email=email)
    after_response(request, password_reset_link_send, request=request, email=email)


def password_reset_link_send(*, request: HttpRequest | None, email: str) -> None:
    """Mail a link when the account exists.

    An OAuth-only account gets one too: it is how such a user sets a first password."""
    user = User.objects.filter(email=email, is_active=True).first()
    if user is None:
        return
    with transaction.atomic():
        _, token = link_token_issue(user=user, purpose=RESET)
        mail_link(
            template="reset_password",
            to=user.email,
            user=user,
            purpose=RESET,
            token=token,
            path=RESET_PASSWORD_PAGE,
        )
        audit_record("password_reset_requested", request=request, user=user)


def password_reset_complete(*, request: HttpRequest, token: str, new_password: str) -> User:
    """Set the password, revoke every session, cancel a pending change of address, and count
    the address as verified: the link reached its owner (so providers linked while it was
    unverified are unlinked, as a vouched sign-in does). A rejected password leaves the
    token unused. The link mailed to an old address after a change of address does all that
    and also gives the account that address back."""
    ratelimit_enforce(request=request, limits=[RESET_PER_IP])
    with transaction.atomic():
        row = link_token_consume(token=token, purposes=[RESET, RECOVER])
        user = row.user
        validate_new_password(new_password, user=user)
        user.set_password(new_password)
        if row.purpose == RECOVER:
            _account_take_back(request=request, user=user, email=row.new_email)
        elif not user.email_verified:
            oauth_accounts_unlink_for_claimed_email(user=user, request=request)
            user.email_verified_at = timezone.now()
        try:
            user.save(update_fields=["email", "password", "email_verified_at", "updated_at"])
        except IntegrityError as exc:  # the old address was taken meanwhile
            raise EmailTaken() from exc
        link_tokens_invalidate(user=user, purposes=[CHANGE_EMAIL])
        revoked = sessions_revoke_for_user(
            user=user, actor="user", request=request, reason="password_reset"
        )
        audit_record("password_reset", request=request, user=user, revoked_sessions=revoked)
        mail_send(template="password_reset_notice", to=user.email, user=user)
    return user


def _account_take_back(*, request: HttpRequest, user: User, email: str) -> None:
    """Undo a hijack: the old address back (verified: its owner used the link), every other
    open link dead, and the providers unlinked (the hijacker may have linked their own)."""
    if User.objects.filter(email=email).exclude(pk=user.pk).exists():
        raise EmailTaken()
    hijacked = user.email
    user.email = email
    user.email_verified_at = timezone.now()
    link_tokens_invalidate(user=user, purposes=[RESET, CHANGE_EMAIL, VERIFY, RECOVER])
    unlinked = oauth_accounts_unlink_for_claimed_email(user=user, request=request)
    audit_record(
        "account_recovered",
        request=request,
        user=user,
        old_email=hijacked,
        new_email=email,
        unlinked_providers=unlinked,
    )
