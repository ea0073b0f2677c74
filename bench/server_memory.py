"""A served bench's memory: the sum of the resident sets of a server's master and workers,
sampled twice a second, and its peak."""

import contextlib
import threading
from pathlib import Path


def _rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def tree_rss(master: int) -> int:
    """The master's resident set and its children's (gunicorn's workers)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    total = 0
    for pid in [master, *map(int, children)]:
        with contextlib.suppress(OSError):  # a worker that just exited
            total += _rss_bytes(pid)
    return total


class MemorySampler(threading.Thread):
    def __init__(self, master: int) -> None:
        super().__init__(daemon=True)
        self.master, self.peak = master, 0
        self.stopped = threading.Event()

    def start(self) -> "MemorySampler":
        super().start()
        return self

    def run(self) -> None:
        while not self.stopped.wait(0.5):
            self.peak = max(self.peak, tree_rss(self.master))

    def stop(self) -> int:
        self.stopped.set()
        self.join()
        return self.peak
