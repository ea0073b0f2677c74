"""An OpenAI-compatible model server on loopback, streaming what the test tells it to."""

import json
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeLLM(ThreadingHTTPServer):
    """An OpenAI-compatible /chat/completions on loopback that streams what it is told."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _LLMHandler)
        self.requests: list[dict] = []
        self.headers_seen: list[dict] = []
        self.mode = "ok"
        self.chunks = ["The IMU senses balance [1]", " and the feet feel pressure [1]."]
        self.trickle_seconds = 0.4
        # Streams whose reader hung up before the end, counted when a write finds it gone.
        self.abandoned = 0

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
            time.sleep(4)  # past the fake_llm fixture's LLM timeout
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
        try:
            self._stream()
        except (BrokenPipeError, ConnectionResetError):
            self.server.abandoned += 1

    def _stream(self) -> None:
        for text in self.server.chunks:
            self._event({"choices": [{"index": 0, "delta": {"content": text}}]})
            if self.server.mode == "trickle":
                # Each read comes well within the timeout; the whole answer does not.
                time.sleep(self.server.trickle_seconds)
            if self.server.mode == "break":
                self._event({"error": {"message": "overloaded"}}, name="error")
                return
        self.wfile.write(b"data: [DONE]\n\n")

    def _event(self, choice: dict, name: str = "") -> None:
        data = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "m", **choice}
        prefix = f"event: {name}\n" if name else ""
        self.wfile.write(f"{prefix}data: {json.dumps(data)}\n\n".encode())
        self.wfile.flush()
