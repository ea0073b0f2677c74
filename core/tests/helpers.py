"""Test doubles of the core plumbing's outside parts: the ratelimit clock, a cache that is down,
a free port for a real server, and waiting for that server to answer."""

import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable

import pytest


class RatelimitClock:
    """A clock held still (django-ratelimit's, TOTP's): a window never rolls over mid-test."""

    def __init__(self) -> None:
        self.now = time.time()

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


# A cache that is down: nothing listens on port 1, and the client gives up within a second.
CLOSED_PORT_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


def free_port() -> int:
    """A local port nothing listens on, for a server the test starts (or for none)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(
    url: str, server: subprocess.Popen, *, log: Callable[[], str] = str, seconds: float = 60
) -> None:
    """Poll `url` until it answers 2xx; kill the server and fail with its log if it exits
    first or never does."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=10)
            return
        except OSError:  # refused, not yet listening, or an HTTP error status
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail(f"the served process did not start ({url}):\n{log()}")
            time.sleep(0.2)
