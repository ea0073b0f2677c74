"""An OpenAI-compatible model on loopback for the serving bench: every chat completion streams
`tokens` tokens evenly over `seconds`, like a model that talks at its own pace. The pace can
be changed while it serves (the bench makes it fast for the mixed load)."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def token_text(i: int) -> str:
    """The i-th token: the whole answer is known, so a stream's text can be checked intact."""
    return f"w{i} "


class FakeModel(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # a hundred streams open at once

    def __init__(self, tokens: int, seconds: float) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.tokens, self.seconds = tokens, seconds
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


def answer_text(tokens: int) -> str:
    return "".join(token_text(i) for i in range(tokens))


class _Handler(BaseHTTPRequestHandler):
    server: FakeModel
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        tokens, seconds = self.server.tokens, self.server.seconds
        self.server.count("started")
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        start = time.monotonic()
        try:
            for i in range(tokens):
                # On schedule, not after a fixed sleep: a late token does not delay the rest.
                time.sleep(max(0.0, start + seconds * i / tokens - time.monotonic()))
                self._chunk({"content": token_text(i)})
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()
            self.server.count("finished")
        except (BrokenPipeError, ConnectionResetError):
            self.server.count("abandoned")
        self.close_connection = True

    def _chunk(self, delta: dict) -> None:
        data = {
            "id": "bench",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": "bench-model",
            "choices": [{"index": 0, "delta": delta}],
        }
        self.wfile.write(f"data: {json.dumps(data)}\n\n".encode())
        self.wfile.flush()
