"""An OpenAI-compatible model on loopback, for the tests and the benches: every chat completion
streams `chunks` evenly over `seconds` (0: at once), like a model that talks at its own pace.
What it streams, its pace and its `mode` can be changed while it serves; it records each
request, and counts the streams started, finished and abandoned by their reader.

Modes: "ok"; "slow" (sleeps past the test settings' LLM timeout before answering); "error"
(HTTP 500); "break" (an error event after the first chunk)."""

import json
import threading
import time
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ANSWER = ("The IMU senses balance [1]", " and the feet feel pressure [1].")
SLOW_SECONDS = 4


def numbered_tokens(count: int) -> list[str]:
    """Tokens whose whole text is known, so that a stream's text can be checked intact."""
    return [f"w{i} " for i in range(count)]


class FakeModel(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # a hundred streams open at once

    def __init__(self, chunks: Sequence[str] = ANSWER, seconds: float = 0.0) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.chunks, self.seconds = list(chunks), seconds
        self.mode = "ok"
        self.requests: list[dict] = []
        self.headers_seen: list[dict] = []
        self.started = self.finished = self.abandoned = 0
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"

    def count(self, name: str) -> None:
        with self.lock:
            setattr(self, name, getattr(self, name) + 1)

    def start(self) -> "FakeModel":
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: FakeModel
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        model = self.server
        with model.lock:
            model.requests.append(body)
            model.headers_seen.append({k.lower(): v for k, v in self.headers.items()})
        self.close_connection = True
        if model.mode == "slow":
            time.sleep(SLOW_SECONDS)
        if model.mode == "error":
            error = json.dumps({"error": {"message": "boom", "type": "server_error"}}).encode()
            self._head(500, "application/json", len(error))
            self.wfile.write(error)
            return
        model.count("started")
        self._head(200, "text/event-stream")
        try:
            self._stream(list(model.chunks), model.seconds, model.mode)
            model.count("finished")
        except (BrokenPipeError, ConnectionResetError):
            model.count("abandoned")

    def _head(self, status: int, content_type: str, length: int | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.send_header("Connection", "close")
        self.end_headers()

    def _stream(self, chunks: list[str], seconds: float, mode: str) -> None:
        start = time.monotonic()
        for i, text in enumerate(chunks):
            # On schedule, not after a fixed sleep: a late chunk does not delay the rest.
            time.sleep(max(0.0, start + seconds * i / len(chunks) - time.monotonic()))
            self._event({"choices": [{"index": 0, "delta": {"content": text}}]})
            if mode == "break":
                self._event({"error": {"message": "overloaded"}}, name="error")
                return
        time.sleep(max(0.0, start + seconds - time.monotonic()))
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()

    def _event(self, fields: dict, name: str = "") -> None:
        data = {"id": "fake", "object": "chat.completion.chunk", "created": 0, "model": "fake"}
        prefix = f"event: {name}\n" if name else ""
        self.wfile.write(f"{prefix}data: {json.dumps({**data, **fields})}\n\n".encode())
        self.wfile.flush()
