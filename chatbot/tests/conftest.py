"""Fixtures of the chatbot tests: a tiny ingested corpus, a second reader, a fake LLM server."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from accounts.sessions import session_create
from accounts.tests.factories import UserFactory
from chatbot import search

BOOK = {
    "01-balance.md": """# Balance

## Sensing for balance

A humanoid keeps its balance by fusing several sensors. The inertial measurement unit in the
torso measures angular velocity and linear acceleration, so the robot knows which way is up.
Force sensors in the soles of the feet measure the centre of pressure under each foot. Joint
encoders report the angle of every joint, which gives the position of the centre of mass.

## Walking

Walking is a controlled fall: the robot shifts its weight over one foot and swings the other
forward. The zero-moment point must stay inside the support polygon of the feet.
""",
    "02-control.md": """# Control

## PID control

A PID controller adds a proportional, an integral and a derivative term of the error. The
proportional gain reacts to the present error, the integral gain removes a steady offset, and
the derivative gain damps oscillation. Tuning these gains is the first task on a new joint.
""",
    "03-ros.md": """# ROS 2

## Topics and nodes

In ROS 2 every program is a node. Nodes publish messages on named topics and subscribe to the
topics they need, so a camera driver and a planner never call each other directly.
""",
}


@pytest.fixture(autouse=True)
def _fresh_index(settings, monkeypatch):
    """Each test's database starts over, so no index may survive from another test."""
    settings.CHAT_CORPUS_CHECK_SECONDS = 0
    monkeypatch.setattr(search, "_holder", search._Holder())


def write_book(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def book_dir(tmp_path) -> Path:
    return write_book(tmp_path / "book", BOOK)


@pytest.fixture
def book(db, book_dir) -> Path:
    """The fixture corpus, ingested with the real command and the real embedder."""
    call_command("ingest_book", str(book_dir))
    return book_dir


def client_of(user) -> APIClient:
    client = APIClient()
    _, token = session_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    client.user = user
    return client


@pytest.fixture
def other(db) -> APIClient:
    """A second signed-in reader, whose conversations the first must never reach."""
    return client_of(UserFactory())


def sse_events(response) -> list[tuple[str, dict]]:
    """Parse a text/event-stream body into (event, data) pairs."""
    body = b"".join(response.streaming_content).decode()
    events = []
    for block in body.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((lines["event"], json.loads(lines["data"])))
    return events


class FakeLLM(ThreadingHTTPServer):
    """An OpenAI-compatible /chat/completions on loopback that streams what it is told."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _LLMHandler)
        self.requests: list[dict] = []
        self.headers_seen: list[dict] = []
        self.mode = "ok"
        self.chunks = ["The IMU senses balance [1]", " and the feet feel pressure [1]."]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


class _LLMHandler(BaseHTTPRequestHandler):
    server: FakeLLM

    def log_message(self, *args) -> None:
        pass

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        self.server.requests.append(json.loads(self.rfile.read(length)))
        self.server.headers_seen.append({k.lower(): v for k, v in self.headers.items()})
        if self.server.mode == "slow":
            time.sleep(4)  # past the timeout below
        if self.server.mode == "error":
            body = json.dumps({"error": {"message": "boom", "type": "server_error"}}).encode()
            self.send_response(500)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for text in self.server.chunks:
            self._event({"choices": [{"index": 0, "delta": {"content": text}}]})
            if self.server.mode == "trickle":
                # Each read comes well within the timeout; the whole answer does not.
                time.sleep(0.4)
            if self.server.mode == "break":
                self._event({"error": {"message": "overloaded"}}, name="error")
                return
        self.wfile.write(b"data: [DONE]\n\n")

    def _event(self, choice: dict, name: str = "") -> None:
        data = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "m", **choice}
        prefix = f"event: {name}\n" if name else ""
        self.wfile.write(f"{prefix}data: {json.dumps(data)}\n\n".encode())
        self.wfile.flush()


@pytest.fixture
def fake_llm(settings):
    server = FakeLLM()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.LLM_API_KEY = "test-key"
    settings.LLM_BASE_URL = server.url
    settings.LLM_MODEL = "book-model"
    # Room for an answer on a loaded machine; "slow" and "trickle" still pass it by far.
    settings.LLM_TIMEOUT_SECONDS = 1.5
    yield server
    server.shutdown()
    server.server_close()
