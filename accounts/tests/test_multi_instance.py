"""Two app servers (gunicorn, two workers each) on one PostgreSQL and one Redis: whatever one
instance decides, the other honours at once, and no race across them duplicates anything."""

import os
import subprocess
import sys
import threading
import time

import pytest
import requests
from django.test import RequestFactory
from django_ratelimit import core as ratelimit_core
from django_ratelimit.core import _get_window, _split_rate

from accounts.limits import LOGIN_PER_IP_EMAIL, REGISTER_PER_IP
from accounts.tests.helpers import TOKEN_IN_LINK
from accounts.tests.served import ROOT, Database, Server, environment, migrate
from accounts.tests.smtp_sink import Sink
from chatbot.tests.helpers import BOOK, write_book
from core.ratelimit import Limit, ratelimit_key

pytestmark = pytest.mark.postgres

PASSWORD = "a long enough passphrase 3"


@pytest.fixture(scope="module")
def two(tmp_path_factory):
    sink = Sink().start()
    book = write_book(tmp_path_factory.mktemp("book"), BOOK)
    with Database() as database:
        env = environment(
            database,
            EMAIL_URL=f"smtp://127.0.0.1:{sink.port}",
            MAIL_POLL_SECONDS="0.3",
            CACHE_KEY_PREFIX=f"multi-{os.getpid()}",
            TRUSTED_PROXY_COUNT="1",  # each test says which client address it is
        )
        migrate(env)
        subprocess.run(
            [sys.executable, "manage.py", "ingest_book", str(book)], cwd=ROOT, env=env, check=True
        )
        servers = []
        try:
            servers += [Server(env), Server(env)]
            yield servers, database, sink
        finally:
            for server in servers:
                server.stop()
            sink.stop()


def post(server, path, body, ip="203.0.113.1", **headers):
    return requests.post(
        f"{server.url}{path}", json=body, headers={"X-Forwarded-For": ip, **headers}, timeout=30
    )


def concurrently(calls):
    results, barrier = [None] * len(calls), threading.Barrier(len(calls))

    def run(i, call):
        barrier.wait()
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def register(server, email, ip):
    body = {"email": email, "password": PASSWORD, "transport": "token"}
    return post(server, "/api/auth/register", body, ip=ip)


def until(condition, seconds):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_a_token_from_one_works_on_the_other_and_a_revocation_holds_at_once(two):
    (a, b), _, _ = two
    token = register(a, "across@example.com", "203.0.113.10").json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert requests.get(f"{b.url}/api/auth/me", headers=bearer).status_code == 200
    assert post(b, "/api/auth/logout", None, **bearer).status_code == 204
    assert requests.get(f"{a.url}/api/auth/me", headers=bearer).status_code == 401


def clear_of_window_end(
    monkeypatch, limit: Limit, ip: str, seconds: float, email: str = ""
) -> None:
    """Wait, if the served instances' window of ``limit`` for a client at ``ip`` (and
    ``email``) ends within ``seconds``, for the next one: django-ratelimit's windows are fixed
    (each key's offset from the minute or the hour its own), and attempts on both sides of an
    end are counted in two windows."""
    key = ratelimit_key(limit, request=RequestFactory().post("/", REMOTE_ADDR=ip), email=email)
    _, period = _split_rate(limit.rate)
    with monkeypatch.context() as real:
        real.setattr(ratelimit_core, "time", time)  # the served clock, not the test's fake
        # _get_window names the window's last second: it counts until that second is over.
        left = _get_window(key, period) + 1 - time.time()
    if left < seconds:
        time.sleep(left + 0.5)


def test_the_registration_limit_is_shared(two, monkeypatch):
    (a, b), _, _ = two
    clear_of_window_end(monkeypatch, REGISTER_PER_IP, "203.0.113.20", 60)
    codes = [
        register((a, b)[i % 2], f"limit{i}@example.com", "203.0.113.20").status_code
        for i in range(6)
    ]
    assert codes == [201] * 5 + [429]


def test_the_login_limit_is_shared(two, monkeypatch):
    (a, b), _, _ = two
    register(a, "login-limit@example.com", "203.0.113.30")
    body = {"email": "login-limit@example.com", "password": "wrong", "transport": "token"}
    clear_of_window_end(
        monkeypatch, LOGIN_PER_IP_EMAIL, "203.0.113.31", 20, email="login-limit@example.com"
    )
    codes = [
        post((a, b)[i % 2], "/api/auth/login", body, ip="203.0.113.31").status_code
        for i in range(6)
    ]
    assert codes[-1] == 429 and codes[:5] == [401] * 5


def test_fifty_concurrent_registrations_of_one_address_give_one_user_session_and_mail(two):
    (a, b), database, sink = two
    email = "race@example.com"
    answers = concurrently(
        [lambda i=i: register((a, b)[i % 2], email, f"198.51.100.{i}") for i in range(50)]
    )
    codes = sorted(r.status_code for r in answers)
    assert codes == [201] + [409] * 49, codes
    ((users,),) = database.rows("SELECT count(*) FROM users WHERE email = %s", email)
    ((sessions,),) = database.rows(
        "SELECT count(*) FROM auth_sessions s JOIN users u ON u.id = s.user_id WHERE email = %s",
        email,
    )
    assert (users, sessions) == (1, 1)
    sent = """SELECT 1 FROM mail_outbox WHERE "to" = %s AND status = 'sent'"""
    until(lambda: database.rows(sent, email), 20)
    time.sleep(1)
    assert sink.recipients().count(email) == 1


def test_one_reset_token_used_ten_times_across_both_succeeds_once(two):
    (a, b), _, sink = two
    email = "reset-race@example.com"
    register(a, email, "203.0.113.40")
    forgot = post(b, "/api/auth/password/forgot", {"email": email}, ip="203.0.113.41")
    assert forgot.status_code == 202
    until(
        lambda: any(
            e.rcpt_tos == [email] and b"Reset your password" in e.content for e in sink.envelopes
        ),
        20,
    )
    (mail,) = [e for e in sink.envelopes if e.rcpt_tos == [email] and b"Reset" in e.content]
    token = TOKEN_IN_LINK.search(mail.content.decode()).group(1)
    answers = concurrently(
        [
            lambda i=i: post(
                (a, b)[i % 2],
                "/api/auth/password/reset",
                {"token": token, "new_password": f"{PASSWORD} {i}"},
                ip=f"192.0.2.{i}",
            )
            for i in range(10)
        ]
    )
    assert sorted(r.status_code for r in answers) == [200] + [400] * 9


def test_parallel_chat_posts_into_one_conversation_lose_and_duplicate_nothing(two):
    (a, b), database, _ = two
    token = register(a, "chatter@example.com", "203.0.113.50").json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    first = post(a, "/api/chat", {"question": "How does a humanoid balance?"}, **bearer)
    conversation = first.json()["conversation"]["id"]
    url = f"/api/conversations/{conversation}/messages"
    distinct = [{"content": f"Question {i} about PID control?"} for i in range(8)]
    retried = {"content": "What is a ROS 2 topic?"}
    answers = concurrently(
        [lambda i=i: post((a, b)[i % 2], url, distinct[i], **bearer) for i in range(8)]
        + [
            lambda i=i: post((a, b)[i % 2], url, retried, **bearer, **{"Idempotency-Key": "r"})
            for i in range(4)
        ]
    )
    assert [r.status_code for r in answers] == [201] * 12
    assert len({r.json()["answer"]["id"] for r in answers[8:]}) == 1
    stored = database.rows(
        "SELECT role, content FROM messages WHERE conversation_id = %s", conversation
    )
    questions = sorted(c for r, c in stored if r == "question")
    expected = ["How does a humanoid balance?", retried["content"]]
    assert questions == sorted(expected + [d["content"] for d in distinct])
    assert len(stored) == 2 * len(questions)
