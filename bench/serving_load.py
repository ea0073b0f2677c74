"""The mixed load of the serving bench, run in a process of its own (its client threads must
not share the bench's GIL): `concurrency` clients in closed loops, each request drawn at
random from sign-in, `/api/auth/me`, search and a streamed chat, for `seconds`.

    python -m bench.serving_load < config.json      # prints one JSON summary

The config names the base URL, the mix, and the bearer tokens and credentials to use. Each
request comes from a random address behind the proxy (X-Forwarded-For), as many readers do,
so that the per-address sign-in limit is not what is measured."""

import http.client
import json
import random
import sys
import threading
import time
from collections import defaultdict

QUESTIONS = [
    "How does a humanoid robot keep its balance?",
    "What is a ROS 2 topic?",
    "How do I tune a PID controller?",
    "What does an inertial measurement unit measure?",
]
SEARCH = "/api/search?q=balance+sensors+of+a+humanoid"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else 0.0


class Mix:
    def __init__(self, config: dict) -> None:
        self.config = config
        self.host, port = config["base"].removeprefix("http://").split(":")
        self.port = int(port)
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[str, dict[int | str, int]] = defaultdict(lambda: defaultdict(int))
        self.lock = threading.Lock()

    def request(self, rng: random.Random, op: str) -> tuple[int | str, float]:
        user = rng.randrange(len(self.config["tokens"]))
        address = ".".join(str(rng.randrange(1, 255)) for _ in range(3))
        headers = {
            "Authorization": f"Bearer {self.config['tokens'][user]}",
            "X-Forwarded-For": f"10.{address}",
            "Content-Type": "application/json",
        }
        method, path, body = {
            "me": ("GET", "/api/auth/me", None),
            "search": ("GET", SEARCH, None),
            "chat": ("POST", "/api/chat", {"question": rng.choice(QUESTIONS), "stream": True}),
            "login": ("POST", "/api/auth/login", {
                "email": self.config["emails"][user],
                "password": self.config["password"],
                "transport": "token",
            }),
        }[op]  # fmt: skip
        if op == "login":
            del headers["Authorization"]
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        start = time.perf_counter()
        try:
            conn.request(method, path, body=json.dumps(body) if body else None, headers=headers)
            response = conn.getresponse()
            response.read()  # a stream: to its end
            return response.status, time.perf_counter() - start
        except OSError as exc:  # counted under its name: refused, reset, timed out
            return type(exc).__name__, time.perf_counter() - start
        finally:
            conn.close()

    def client(self, seed: int, stop: float) -> None:
        rng = random.Random(seed)
        ops, weights = zip(*self.config["mix"].items(), strict=True)
        while time.monotonic() < stop:
            op = rng.choices(ops, weights)[0]
            status, seconds = self.request(rng, op)
            with self.lock:
                self.statuses[op][status] += 1
                if isinstance(status, int) and 200 <= status < 300:
                    self.latencies[op].append(seconds * 1000)

    def run(self) -> dict:
        stop = time.monotonic() + self.config["seconds"]
        threads = [
            threading.Thread(target=self.client, args=(seed, stop))
            for seed in range(self.config["concurrency"])
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return {
            op: {
                "ok": len(self.latencies[op]),
                "statuses": dict(self.statuses[op]),
                "p50_ms": percentile(self.latencies[op], 50),
                "p99_ms": percentile(self.latencies[op], 99),
            }
            for op in self.config["mix"]
        }


if __name__ == "__main__":
    print(json.dumps(Mix(json.load(sys.stdin)).run()))
