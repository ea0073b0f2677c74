"""The account mails: rendered from templates/emails/, recorded in the outbox in the
transaction that promises them, delivered after it commits, retried until the server takes them.

A mail is a row (OutboxMail) written with the token or change it announces, so a commit
never loses its mail and a rollback never sends one. Delivery claims one row at a time under
a lease, sends it, and marks it sent only once the mail server accepted it; a worker that
dies mid-delivery lets the lease lapse and another process sends the mail. The body, which
carries a single-use link, is blanked as soon as the mail is sent."""

import logging
import os
import socket
import uuid
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import OutboxMail, User
from core.metrics import metrics_mail

logger = logging.getLogger(__name__)
# The frontend pages that emailed links open; each posts the link's token to the API.
VERIFY_EMAIL_PAGE = "verify-email"  # verification and change-of-address links
RESET_PASSWORD_PAGE = "reset-password"
LOGIN_CODE_PAGE = "login/code"

SUBJECTS = {
    "verify_email": "Confirm your email address",
    "change_email": "Confirm your new email address",
    "email_change_notice": "Your email address is being changed",
    "email_changed": "Your email address was changed",
    "reset_password": "Reset your password",
    "password_reset_notice": "Your password was reset",
    "registration_attempt": "Someone tried to register with your address",
    "login_code": "Your sign-in code",
}


def frontend_page(path: str, **query: str) -> str:
    return f"{settings.FRONTEND_URL}/{path}?{urlencode(query)}"


def frontend_link(path: str, token: str, **query: str) -> str:
    return frontend_page(path, token=token, **query)


def lifetime_text(purpose: str) -> str:
    minutes = int(settings.VERIFICATION_TOKEN_LIFETIMES[purpose].total_seconds() // 60)
    if minutes % 60:
        return f"{minutes} minutes"
    return "1 hour" if minutes == 60 else f"{minutes // 60} hours"


def _render(template: str, to: str, context: dict) -> OutboxMail:
    context = {**context, "frontend_url": settings.FRONTEND_URL}
    return OutboxMail(
        template=template,
        to=to,
        subject=SUBJECTS[template],
        body_text=render_to_string(f"emails/{template}.txt", context),
        body_html=render_to_string(f"emails/{template}.html", context),
    )


def mail_send(*, template: str, to: str, user: User, link: str = "", **context) -> None:
    """Record the mail in the current transaction; it is delivered once that commits."""
    _render(template, to, {"user": user, "link": link, **context}).save()
    from accounts.mail_worker import mail_worker_wake

    transaction.on_commit(lambda: metrics_mail(outcome="queued"))
    transaction.on_commit(mail_worker_wake)


def _due(now):
    lease_free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    return OutboxMail.objects.filter(lease_free, status=OutboxMail.Status.QUEUED).filter(
        next_attempt_at__lte=now
    )


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def mail_claim(*, worker: str, exclude: set[int] = frozenset()) -> OutboxMail | None:
    """Take the oldest due mail under a fresh lease, or None when nothing is due.

    PostgreSQL skips rows another delivery has locked; on SQLite, which has no row locks,
    the conditional UPDATE is the claim: of two racers, only one matches the free row."""
    for _ in range(5):
        now = timezone.now()
        with transaction.atomic():
            row = (
                _due(now)
                .exclude(pk__in=exclude)
                .order_by("next_attempt_at", "pk")
                .select_for_update(skip_locked=True)
                .first()
            )
            if row is None:
                return None
            claim = uuid.uuid4()
            won = (
                _due(now)
                .filter(pk=row.pk)
                .update(
                    claim=claim,
                    claimed_by=worker,
                    attempts=F("attempts") + 1,
                    lease_until=now + timedelta(seconds=settings.MAIL_LEASE_SECONDS),
                )
            )
        if won:
            row.refresh_from_db()
            return row
    return None


def _backoff(attempts: int) -> float:
    base, cap = settings.MAIL_RETRY_BASE_SECONDS, settings.MAIL_RETRY_MAX_SECONDS
    return min(cap, base * 2 ** (attempts - 1))


def mail_deliver(row: OutboxMail) -> bool:
    """Send one claimed mail; True when the mail server accepted it."""
    message = EmailMultiAlternatives(subject=row.subject, body=row.body_text, to=[row.to])
    message.attach_alternative(row.body_html, "text/html")
    mine = OutboxMail.objects.filter(pk=row.pk, claim=row.claim)
    try:
        message.send()
    except Exception as exc:
        metrics_mail(outcome="failed")
        final = row.attempts >= settings.MAIL_MAX_ATTEMPTS
        delay = _backoff(row.attempts)
        # Never the link: smtplib's errors carry the server's reply, not the message.
        logger.error(
            "Could not send the %s mail (attempt %d of %d); %s",
            row.template,
            row.attempts,
            settings.MAIL_MAX_ATTEMPTS,
            "giving up" if final else f"retrying in {delay:.0f} s",
            exc_info=True,
        )
        mine.update(
            status=OutboxMail.Status.FAILED if final else OutboxMail.Status.QUEUED,
            next_attempt_at=timezone.now() + timedelta(seconds=delay),
            last_error=f"{type(exc).__name__}: {exc}"[:500],
            lease_until=None,
            claim=None,
        )
        return False
    metrics_mail(outcome="sent")
    marked = mine.update(
        status=OutboxMail.Status.SENT,
        sent_at=timezone.now(),
        body_text="",
        body_html="",
        last_error="",
        lease_until=None,
        claim=None,
    )
    if not marked:  # the lease ran out mid-delivery: another worker may send it too
        logger.warning("The %s mail %d was sent after its lease ran out", row.template, row.pk)
    return True


def mail_deliver_due(*, worker: str, stop_on_failure: bool = False) -> int:
    """Attempt every mail due now, one claim at a time; returns how many were sent.

    `stop_on_failure`: a server that refuses or stalls fails the next mail the same way, so
    the background pass stops there rather than spend a timeout (and an attempt) on each."""
    sent, tried = 0, set()
    while (row := mail_claim(worker=worker, exclude=tried)) is not None:
        tried.add(row.pk)
        if mail_deliver(row):
            sent += 1
        elif stop_on_failure:
            break
    return sent


def mail_drain() -> None:
    """Attempt, in this thread, every mail due now: each is delivered, or failed and
    rescheduled (or given up after its last attempt)."""
    mail_deliver_due(worker=worker_name())


def mail_link(
    *, template: str, to: str, user: User, purpose: str, token: str, path: str, **context
) -> None:
    """A mail carrying a single-use link to the frontend page that submits the token."""
    link = frontend_link(path, token)
    valid_for = lifetime_text(purpose)
    mail_send(template=template, to=to, user=user, link=link, valid_for=valid_for, **context)


def mail_retry_failed() -> int:
    """Queue again the mails that used up their attempts (the mail server is back)."""
    failed = OutboxMail.objects.filter(status=OutboxMail.Status.FAILED)
    return failed.update(
        status=OutboxMail.Status.QUEUED, attempts=0, next_attempt_at=timezone.now()
    )


def mail_purge(*, older_than: timedelta) -> int:
    """Delete sent and failed rows older than `older_than` (a failed row still holds a link)."""
    done = OutboxMail.objects.exclude(status=OutboxMail.Status.QUEUED)
    return done.filter(created_at__lt=timezone.now() - older_than).delete()[0]
