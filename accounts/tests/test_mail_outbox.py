"""The outbox: no mail lost or sent twice when the mail server refuses, stalls or comes back,
and no request waits for it."""

import statistics
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connections, transaction

from accounts.email_verification import email_verification_send
from accounts.mail import mail_claim, mail_deliver_due, mail_drain
from accounts.models import OutboxMail
from accounts.tests.factories import UserFactory
from accounts.tests.helpers import TOKEN_IN_LINK
from accounts.tests.smtp_sink import Sink, use_sink

FORGOT = "/api/auth/password/forgot"


@pytest.fixture
def sink(settings):
    sink = Sink().start()
    use_sink(settings, sink)
    settings.EMAIL_TIMEOUT = 1
    settings.MAIL_RETRY_BASE_SECONDS = 0.2
    settings.MAIL_RETRY_MAX_SECONDS = 0.5
    yield sink
    sink.stop()


def until(condition, seconds: float) -> float:
    """Seconds it took `condition` to hold (fails after `seconds`)."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < seconds, "timed out"
        time.sleep(0.05)
    return time.monotonic() - started


def sent_rows() -> int:
    return OutboxMail.objects.filter(status="sent").count()


@pytest.mark.django_db
def test_the_mail_row_is_written_in_the_transaction_that_issues_the_token():
    user = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        email_verification_send(user=user)
        assert OutboxMail.objects.count() == 1
        raise RuntimeError("rolled back")
    assert OutboxMail.objects.count() == 0


@pytest.mark.django_db
def test_the_body_with_its_link_is_blanked_once_sent(outbox):
    email_verification_send(user=UserFactory())
    row = OutboxMail.objects.get()
    assert TOKEN_IN_LINK.search(row.body_text) and row.status == "queued"
    mail_drain()
    row.refresh_from_db()
    assert (row.status, row.body_text, row.body_html, row.attempts) == ("sent", "", "", 1)
    assert TOKEN_IN_LINK.search(outbox[0].body)


@pytest.mark.django_db(transaction=True)
def test_refused_mail_is_retried_and_each_delivered_once_when_the_server_returns(api, sink):
    users = [UserFactory() for _ in range(10)]
    sink.stop()  # connection refused
    for user in users:
        assert api.post(FORGOT, {"email": user.email}).status_code == 202
    mail_drain()
    assert OutboxMail.objects.filter(status="queued", attempts=1).count() == 10
    assert "ConnectionRefusedError" in OutboxMail.objects.first().last_error
    sink.start()

    def drained():
        mail_drain()
        return sent_rows() == 10

    recovered = until(drained, 10)
    print(f"refused: 10 of 10 delivered {recovered:.1f} s after the server came back")
    assert sink.recipients() == sorted(u.email for u in users)


@pytest.mark.postgres  # SQLite's in-memory test database takes one writer thread at a time
@pytest.mark.django_db(transaction=True)
def test_the_delivery_thread_delivers_without_blocking_requests_while_the_server_stalls(
    api, sink, settings
):
    """Each request's latency stays small while each mail waits out the SMTP timeout."""
    settings.MAIL_DELIVERY_THREAD, settings.MAIL_POLL_SECONDS = True, 0.2
    sink.mode, sink.stall_seconds = "stall", 1.5  # past EMAIL_TIMEOUT: the attempt fails
    users = [UserFactory() for _ in range(6)]
    latencies = []
    try:
        for user in users:
            started = time.monotonic()
            assert api.post(FORGOT, {"email": user.email}).status_code == 202
            latencies.append(time.monotonic() - started)
        assert sink.stalled.wait(5)  # the thread is stuck in a stalled delivery meanwhile
        assert statistics.median(latencies) < 0.5, latencies
        sink.mode = "accept"
        recovered = until(lambda: sent_rows() == 6, 20)
    finally:
        settings.MAIL_DELIVERY_THREAD = False  # the thread ends at its next wake-up
    print(
        f"stall: latency median {statistics.median(latencies) * 1000:.0f} ms, "
        f"all 6 delivered {recovered:.1f} s after recovery"
    )
    assert sink.recipients() == sorted(u.email for u in users)


@pytest.mark.django_db
def test_a_claimed_mail_is_not_claimed_again_while_its_lease_holds():
    email_verification_send(user=UserFactory())
    assert mail_claim(worker="a") is not None
    assert mail_claim(worker="b") is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_deliverers_send_each_mail_once(sink):
    for _ in range(20):
        email_verification_send(user=UserFactory())
    barrier = threading.Barrier(2)

    def deliver(name):
        barrier.wait()
        mail_deliver_due(worker=name)
        connections.close_all()

    threads = [threading.Thread(target=deliver, args=(f"w{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sent_rows() == 20 and len(sink.envelopes) == 20
    assert len(set(sink.recipients())) == 20


@pytest.mark.django_db(transaction=True)
def test_a_lapsed_lease_of_a_dead_deliverer_is_taken_over(sink, settings):
    settings.MAIL_LEASE_SECONDS = 0.3
    email_verification_send(user=UserFactory())
    assert mail_claim(worker="dead") is not None  # claimed, then its worker died
    mail_drain()
    assert sink.envelopes == []  # the lease still holds
    time.sleep(0.4)
    mail_drain()
    assert len(sink.envelopes) == 1
    assert OutboxMail.objects.get().attempts == 2


@pytest.mark.django_db
def test_a_mail_gives_up_after_its_last_attempt_and_the_command_retries_it(
    settings, capsys, outbox
):
    settings.MAIL_MAX_ATTEMPTS = 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", Sink().port  # nothing listens
    email_verification_send(user=UserFactory())
    mail_drain()
    assert OutboxMail.objects.get().status == "failed"
    call_command("mail_queue")
    listing = capsys.readouterr().out
    assert "failed: 1" in listing and "verify_email" in listing
    assert not TOKEN_IN_LINK.search(listing)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("mail_queue", "--retry-failed")
    mail_drain()
    assert OutboxMail.objects.get().status == "sent" and len(outbox) == 1


@pytest.mark.django_db
def test_the_admin_lists_the_queue_without_any_link(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    email_verification_send(user=UserFactory())
    row = OutboxMail.objects.get()
    for url in ("/admin/accounts/outboxmail/", f"/admin/accounts/outboxmail/{row.pk}/change/"):
        page = client.get(url)
        assert page.status_code == 200 and b"verify_email" in page.content
        assert b"token=" not in page.content
