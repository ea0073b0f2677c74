"""Streams on the shipped server (config/gunicorn.conf.py: threaded workers) with a model on
loopback that talks for seconds: a reader who hangs up frees its thread and ends the model's
request at once, and a stream waiting on the model holds no database connection (on
PostgreSQL the pool here has one, which the streams and a sign-in check must share)."""

import time

import pytest
import requests

from accounts.tests.served import Database, environment, manage, migrate, session_tokens
from chatbot.tests.fake_model import FakeModel
from chatbot.tests.helpers import BOOK, QUESTION, write_book
from core.tests.faults.served import Served

THREADS = 3
# The model's answer: 60 words over 15 s, well within its 20 s timeout.
WORDS, EVERY_SECONDS = 60, 0.25


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    model = FakeModel(["word "] * WORDS, WORDS * EVERY_SECONDS).start()
    folder = tmp_path_factory.mktemp("streams")
    with Database() as database:
        env = environment(
            database,
            LLM_API_KEY="test-key",
            LLM_BASE_URL=model.url,
            GUNICORN_WORKERS="1",
            GUNICORN_THREADS=str(THREADS),
            DB_POOL_MAX_SIZE="1",
        )
        migrate(env)
        manage(env, "ingest_book", str(write_book(folder / "book", BOOK)))
        tokens = session_tokens(env, 4)
        server = Served(env, folder / "error.log")
        try:
            yield server, model, tokens
        finally:
            server.stop()
            model.stop()


def open_stream(server, token: str) -> requests.Response:
    """POST /api/chat as an SSE client, read until the model's first words have arrived."""
    response = requests.post(
        f"{server.url}/api/chat",
        json={"question": QUESTION},
        headers={"Authorization": f"Bearer {token}", "Accept": "text/event-stream"},
        stream=True,
        timeout=30,
    )
    assert response.status_code == 200, server.log.read_text()
    lines = response.iter_lines(decode_unicode=True)
    while next(lines) != "event: delta":
        pass
    response.lines = lines
    return response


def me(server, token: str) -> tuple[int, float]:
    started = time.monotonic()
    response = requests.get(
        f"{server.url}/api/auth/me", headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    return response.status_code, time.monotonic() - started


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_a_reader_who_hangs_up_frees_the_thread_and_ends_the_models_request(served):
    server, model, tokens = served
    before = model.abandoned
    streams = [open_stream(server, token) for token in tokens[:THREADS]]
    for stream in streams:  # every thread of the worker is streaming
        stream.close()
    # Noticed at the next word written, not when the model would have finished (15 s).
    assert wait_for(lambda: model.abandoned == before + THREADS, seconds=5)
    status, seconds = me(server, tokens[-1])
    assert status == 200 and seconds < 3


def test_streams_waiting_on_the_model_hold_no_database_connection(served):
    server, _, tokens = served
    streams = [open_stream(server, token) for token in tokens[: THREADS - 1]]
    status, seconds = me(server, tokens[-1])  # the one pooled connection is free
    assert status == 200 and seconds < 2
    for stream in streams:  # each gets one back to store its answer, and ends intact
        events = [line for line in stream.lines if line.startswith("event: ")]
        assert events == ["event: delta"] * (WORDS - 1) + ["event: done"]
        stream.close()
