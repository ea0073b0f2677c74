"""Forgotten passwords: a reset link by mail, then a new password that signs everyone out."""

from django.db import transaction
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
from core.ratelimit import ratelimit_enforce

RESET = VerificationToken.Purpose.RESET_PASSWORD
CHANGE_EMAIL = VerificationToken.Purpose.CHANGE_EMAIL


def password_reset_request(*, request: HttpRequest, email: str) -> None:
    """Mail a link when the account exists; the caller answers the same either way.

    An OAuth-only account gets one too: it is how such a user sets a first password."""
    email = normalize_email(email)
    ratelimit_enforce(request=request, limits=[FORGOT_PER_EMAIL, FORGOT_PER_IP], email=email)
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
    token unused."""
    ratelimit_enforce(request=request, limits=[RESET_PER_IP])
    with transaction.atomic():
        user = link_token_consume(token=token, purposes=[RESET]).user
        validate_new_password(new_password, user=user)
        user.set_password(new_password)
        if not user.email_verified:
            oauth_accounts_unlink_for_claimed_email(user=user, request=request)
            user.email_verified_at = timezone.now()
        user.save(update_fields=["password", "email_verified_at", "updated_at"])
        link_tokens_invalidate(user=user, purposes=[CHANGE_EMAIL])
        revoked = sessions_revoke_for_user(
            user=user, actor="user", request=request, reason="password_reset"
        )
        audit_record("password_reset", request=request, user=user, revoked_sessions=revoked)
        mail_send(template="password_reset_notice", to=user.email, user=user)
    return user
