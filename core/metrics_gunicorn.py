"""Gunicorn server hooks for multiprocess metrics; a gunicorn config file imports them:

    from core.metrics_gunicorn import child_exit, on_starting  # noqa: F401

Only with PROMETHEUS_MULTIPROC_DIR set (to a directory of its own, writable by the workers);
without it they do nothing. No module of the project is imported here: the master process
must not load Django."""

import os
from pathlib import Path


def on_starting(server) -> None:
    """Start from zero: the files of a previous run's workers would be added to this run's."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not directory:
        return
    Path(directory).mkdir(parents=True, exist_ok=True)
    for stale in Path(directory).glob("*.db"):  # only the client's files, whatever else is there
        stale.unlink()


def child_exit(server, worker) -> None:
    """A dead worker's live gauges stop counting; its counters stay in the sums."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
