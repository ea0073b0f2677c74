"""Timing probes against a served process: the attacker's stopwatch, made robust to a loaded
machine by interleaving the two kinds of request and comparing medians."""

import http.client
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

Probe = Callable[[int], tuple[str, dict, dict]]  # i -> (path, body, headers)


@dataclass(frozen=True)
class Medians:
    a: float
    b: float
    paired: float  # median of the per-round differences a - b: immune to slow drifts in load

    @property
    def gap(self) -> float:
        return abs(self.paired)

    @property
    def tolerance(self) -> float:
        """Noise allowance: 1.5 ms, or a quarter of the faster path, whichever is larger."""
        return max(0.0015, 0.25 * min(self.a, self.b))

    def __str__(self) -> str:
        medians = f"a={self.a * 1000:.1f} ms, b={self.b * 1000:.1f} ms"
        return f"{medians}, paired gap={self.gap * 1000:.1f} ms"


def timed_post(base_url: str, path: str, body: dict, headers: dict) -> tuple[int, float]:
    """One request on a fresh connection (as an attacker would send it); seconds to the body."""
    url = urlsplit(base_url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    payload = json.dumps(body)
    all_headers = {"Content-Type": "application/json", "Connection": "close", **headers}
    connection.connect()
    started = time.perf_counter()
    connection.request("POST", path, body=payload, headers=all_headers)
    response = connection.getresponse()
    response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    return response.status, elapsed


def _timed_rounds(
    base_url: str, a: Probe, b: Probe, *, rounds: int, warmup: int, offset: int
) -> tuple[list[float], list[float]]:
    """Alternate a and b (which goes first alternates too); a pause lets work the server does
    after answering finish, so it does not slow the next request down."""
    times: dict[str, list[float]] = {"a": [], "b": []}
    statuses: set[tuple[str, int]] = set()
    for i in range(offset, offset + warmup + rounds):
        order = [("a", a), ("b", b)] if i % 2 else [("b", b), ("a", a)]
        for name, probe in order:
            status, elapsed = timed_post(base_url, *probe(i))
            statuses.add((name, status))
            if i >= offset + warmup:
                times[name].append(elapsed)
            time.sleep(0.04)
    assert {s for _, s in statuses} == {202}, statuses
    return times["a"], times["b"]


def _medians(a_times: list[float], b_times: list[float]) -> Medians:
    paired = statistics.median(x - y for x, y in zip(a_times, b_times, strict=True))
    return Medians(statistics.median(a_times), statistics.median(b_times), paired)


def compare(
    base_url: str, a: Probe, b: Probe, *, rounds: int = 40, warmup: int = 4, batches: int = 3
) -> Medians:
    """The medians of up to `batches` batches of rounds, pooled: a batch that tells the paths
    apart is followed by another, and the verdict is on all rounds so far. A burst of load on
    a shared machine is outvoted by more data; a real difference only grows clearer with it."""
    a_times: list[float] = []
    b_times: list[float] = []
    for batch in range(batches):
        more_a, more_b = _timed_rounds(
            base_url, a, b, rounds=rounds, warmup=warmup, offset=batch * (warmup + rounds)
        )
        a_times += more_a
        b_times += more_b
        medians = _medians(a_times, b_times)
        if medians.gap < medians.tolerance:
            break
    return medians
