"""The outbox's delivery thread: one per web process, woken by each commit that queues a
mail and polling in between, so a mail left by a dead worker or a down mail server goes out
without anyone asking."""

import logging
import os
import threading

from django.conf import settings
from django.db import close_old_connections, connections

from accounts.mail import mail_deliver_due, worker_name

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_wake = threading.Event()
_started_in: int | None = None  # the pid that runs the thread: a forked child starts its own


def mail_worker_start(**_signal_kwargs) -> None:
    """Start this process's delivery thread unless it runs (or is turned off)."""
    global _started_in
    if not settings.MAIL_DELIVERY_THREAD or _started_in == os.getpid():
        return
    with _lock:
        if _started_in == os.getpid():
            return
        _started_in = os.getpid()
        threading.Thread(target=_run, name="mail-delivery", daemon=True).start()


def mail_worker_wake() -> None:
    """A commit queued a mail: deliver it now rather than at the next poll."""
    mail_worker_start()
    _wake.set()


def _run() -> None:
    global _started_in
    worker = f"{worker_name()}:{threading.get_ident()}"[:100]
    while settings.MAIL_DELIVERY_THREAD:
        _wake.clear()  # before the pass: a commit during it wakes the next one at once
        try:
            mail_deliver_due(worker=worker, stop_on_failure=True)
        except Exception:  # the database is down, say: try again at the next poll
            logger.exception("The mail delivery pass failed")
        # Before the wait, not after: a pooled connection goes back to the pool (requests need
        # it more than a sleeping thread), a broken one is dropped.
        close_old_connections()
        _wake.wait(settings.MAIL_POLL_SECONDS)
    connections.close_all()
    with _lock:
        _started_in = None
