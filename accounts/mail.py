"""The account mails: rendered from templates/emails/, sent after the transaction commits."""

import logging
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string

from accounts.models import User
from core.metrics import metrics_mail

logger = logging.getLogger(__name__)

# One sender thread per process: no request waits for the mail server, so the time a forgot
# or change-of-address request takes does not tell whether an address has an account.
_sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mail")

# The frontend pages that emailed links open; each posts the link's token to the API.
VERIFY_EMAIL_PAGE = "verify-email"  # verification and change-of-address links
RESET_PASSWORD_PAGE = "reset-password"

SUBJECTS = {
    "verify_email": "Confirm your email address",
    "change_email": "Confirm your new email address",
    "email_change_notice": "Your email address is being changed",
    "email_changed": "Your email address was changed",
    "reset_password": "Reset your password",
    "password_reset_notice": "Your password was reset",
    "registration_attempt": "Someone tried to register with your address",
}


def frontend_link(path: str, token: str, **query: str) -> str:
    return f"{settings.FRONTEND_URL}/{path}?{urlencode({'token': token, **query})}"


def lifetime_text(purpose: str) -> str:
    minutes = int(settings.VERIFICATION_TOKEN_LIFETIMES[purpose].total_seconds() // 60)
    if minutes % 60:
        return f"{minutes} minutes"
    return "1 hour" if minutes == 60 else f"{minutes // 60} hours"


def _send(template: str, to: str, context: dict) -> None:
    """A mail that cannot be sent is logged (never with its link) and the request goes on."""
    context = {**context, "frontend_url": settings.FRONTEND_URL}
    message = EmailMultiAlternatives(
        subject=SUBJECTS[template],
        body=render_to_string(f"emails/{template}.txt", context),
        to=[to],
    )
    message.attach_alternative(render_to_string(f"emails/{template}.html", context), "text/html")
    try:
        message.send()
    except Exception:
        metrics_mail(outcome="failed")
        logger.exception("Could not send the %s mail", template)
    else:
        metrics_mail(outcome="sent")


def mail_send(*, template: str, to: str, user: User, link: str = "", **context) -> None:
    """Queue a mail for when the current transaction commits (at once outside one)."""
    context = {"user": user, "link": link, **context}
    transaction.on_commit(lambda: _queue(template, to, context))


def _queue(template: str, to: str, context: dict) -> None:
    metrics_mail(outcome="queued")
    _sender.submit(_send, template, to, context)


def mail_drain() -> None:
    """Wait until every queued mail has been handed to the mail server."""
    _sender.submit(lambda: None).result()


def mail_link(
    *, template: str, to: str, user: User, purpose: str, token: str, path: str, **context
) -> None:
    """A mail carrying a single-use link to the frontend page that submits the token."""
    link = frontend_link(path, token)
    valid_for = lifetime_text(purpose)
    mail_send(template=template, to=to, user=user, link=link, valid_for=valid_for, **context)
