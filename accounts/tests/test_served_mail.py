"""Served by gunicorn on PostgreSQL: a worker killed in the middle of delivering a mail
leaves it to another worker, which delivers it exactly once."""

import os
import signal
import time

import pytest
import requests

from accounts.tests.served import Database, Server, environment, migrate
from accounts.tests.smtp_sink import Sink

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def served():
    sink = Sink().start()
    with Database() as database:
        env = environment(
            database,
            EMAIL_URL=f"smtp://127.0.0.1:{sink.port}",
            EMAIL_TIMEOUT="5",
            MAIL_DELIVERY_THREAD="true",
            MAIL_POLL_SECONDS="0.3",
            MAIL_RETRY_BASE_SECONDS="0.3",
            MAIL_RETRY_MAX_SECONDS="1",
            MAIL_LEASE_SECONDS="6",
            CACHE_KEY_PREFIX=f"served-mail-{os.getpid()}",
        )
        migrate(env)
        server = Server(env)
        try:
            yield server, database, sink, env
        finally:
            server.stop()
            sink.stop()


def until(condition, seconds: float) -> float:
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < seconds, "timed out"
        time.sleep(0.1)
    return time.monotonic() - started


def test_a_worker_killed_mid_delivery_leaves_the_mail_to_another_exactly_once(served):
    server, database, sink, _ = served
    sink.mode, sink.stall_seconds = "stall", 20
    address = "killed-mid-delivery@example.com"
    body = {"email": address, "password": "a long enough passphrase 1", "transport": "token"}
    assert requests.post(f"{server.url}/api/auth/register", json=body).status_code == 201
    assert sink.stalled.wait(10)  # a worker's delivery thread is inside the SMTP exchange
    ((claimed_by,),) = database.rows('SELECT claimed_by FROM mail_outbox WHERE "to" = %s', address)
    pid = int(claimed_by.split(":")[1])
    os.kill(pid, signal.SIGKILL)
    sink.mode = "accept"
    taken_over = until(lambda: database.rows("SELECT 1 FROM mail_outbox WHERE status = 'sent'"), 30)
    time.sleep(1)  # nothing else arrives late
    assert sink.recipients() == [address]
    ((status, attempts, claimed, text),) = database.rows(
        "SELECT status, attempts, claimed_by, body_text FROM mail_outbox"
    )
    assert (status, attempts, text) == ("sent", 2, "")
    assert int(claimed.split(":")[1]) != pid
    print(f"killed worker {pid}; its mail was delivered {taken_over:.1f} s later by {claimed}")


def test_mail_committed_before_the_whole_server_died_goes_out_at_the_next_start(served):
    server, database, sink, env = served
    sink.stop()  # refused: the mail stays queued
    address = "killed-after-commit@example.com"
    body = {"email": address, "password": "a long enough passphrase 2", "transport": "token"}
    assert requests.post(f"{server.url}/api/auth/register", json=body).status_code == 201
    sent = 'SELECT count(*) FROM mail_outbox WHERE "to" = %s AND status = %s'
    until(
        lambda: database.rows(
            'SELECT 1 FROM mail_outbox WHERE attempts > 0 AND "to" = %s', address
        ),
        10,
    )
    server.kill()
    sink.start()
    started = time.monotonic()
    restarted = Server(env)
    try:
        until(lambda: database.rows(sent, address, "sent")[0][0] == 1, 30)
        print(f"next start delivered it {time.monotonic() - started:.1f} s after the restart began")
    finally:
        restarted.stop()
    assert sink.recipients().count(address) == 1
