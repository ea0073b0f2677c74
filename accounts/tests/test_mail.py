import asyncio
import email
import logging
import time

import pytest
from aiosmtpd.controller import Controller

from accounts.mail import mail_drain
from accounts.models import VerificationToken
from accounts.tests.factories import UserFactory
from accounts.tests.helpers import TOKEN_IN_LINK
from core.tests.helpers import free_port

FORGOT = "/api/auth/password/forgot"

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self) -> None:
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings):
    yield from serve_smtp(settings, Inbox())


@pytest.fixture
def slow_smtp_server(settings):
    yield from serve_smtp(settings, SlowInbox())


def serve_smtp(settings, inbox):
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "accounts@example.com"
    yield inbox
    controller.stop()


def test_reset_mail_goes_through_a_real_smtp_server(api, commit, user, smtp_server):
    assert commit(api.post, FORGOT, {"email": user.email}).status_code == 202
    (envelope,) = smtp_server.envelopes
    assert envelope.mail_from == "accounts@example.com"
    assert envelope.rcpt_tos == [user.email]
    message = email.message_from_bytes(envelope.content)
    assert message["Subject"] == "Reset your password"
    text, html = (
        part.get_payload(decode=True).decode() for part in message.walk() if not part.is_multipart()
    )
    assert TOKEN_IN_LINK.search(text) and TOKEN_IN_LINK.search(html)


def test_a_mail_that_fails_is_logged_and_the_request_and_token_survive(
    api, commit, user, settings, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens
    with caplog.at_level(logging.ERROR, logger="accounts.mail"):
        response = commit(api.post, FORGOT, {"email": user.email})
    assert response.status_code == 202
    assert VerificationToken.objects.filter(user=user, purpose="reset_password").exists()
    (record,) = [r for r in caplog.records if r.name == "accounts.mail"]
    assert "reset_password" in record.getMessage()
    assert "token=" not in caplog.text


class SlowInbox(Inbox):
    """A mail server that takes its time, as a distant relay does."""

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(SLOW_SMTP_SECONDS)
        return await super().handle_DATA(server, session, envelope)


SLOW_SMTP_SECONDS = 1.0


@pytest.mark.django_db(transaction=True)
def test_requests_do_not_wait_for_the_mail_server(api, slow_smtp_server):
    """Otherwise a forgot request for an existing account is slower by one mail: enumeration."""
    user = UserFactory()
    timings = {}
    for email_address in (user.email, "nobody@example.com"):
        started = time.monotonic()
        assert api.post(FORGOT, {"email": email_address}).status_code == 202
        timings[email_address] = time.monotonic() - started
    assert max(timings.values()) < SLOW_SMTP_SECONDS / 2, timings
    mail_drain()
    assert [e.rcpt_tos for e in slow_smtp_server.envelopes] == [[user.email]]
