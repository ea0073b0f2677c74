"""Test doubles of the core plumbing's outside parts."""

import time


class RatelimitClock:
    """django-ratelimit's clock, held still: a fixed window never rolls over mid-test."""

    def __init__(self) -> None:
        self.now = time.time()

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
