"""Bounded, self-healing PostgreSQL connections: a query that gets no answer is cut
client-side, a connection the server has closed is dropped before a request uses it, and a
read that meets a dropped connection is retried once on a fresh one.

PostgreSQL's statement_timeout is enforced by the server, so it cannot end a wait for a server
that no longer answers; nor can TCP timeouts when something in between still acknowledges
(a proxy, a load balancer). Hence a watchdog thread per process."""

import logging
import os
import select
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.db.backends.base.base import BaseDatabaseWrapper

logger = logging.getLogger(__name__)

T = TypeVar("T")
# Beyond statement_timeout: time for the server's own cancellation to arrive.
GRACE_SECONDS = 0.5
WATCH_INTERVAL_SECONDS = 0.25


class QueryTimedOut(OperationalError):
    """The database sent no answer in time; the connection was cut."""


class _Watchdog:
    """Cuts the socket of any query still waiting past its deadline."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.inflight: dict[object, tuple[float, object]] = {}  # entry -> (deadline, pgconn)
        self.cut: set[object] = set()
        self.running = False

    def start_if_needed(self) -> None:
        if not self.running:
            with self.lock:
                if not self.running:
                    self.running = True
                    threading.Thread(target=self._run, name="db-watchdog", daemon=True).start()

    def forget_after_fork(self) -> None:
        """A thread started before gunicorn forks does not exist in the worker."""
        self.lock = threading.Lock()
        self.inflight.clear()
        self.cut.clear()
        self.running = False

    def _run(self) -> None:
        while True:
            time.sleep(WATCH_INTERVAL_SECONDS)
            now = time.monotonic()
            with self.lock:
                late = [(key, conn) for key, (end, conn) in self.inflight.items() if end < now]
                for key, conn in late:
                    del self.inflight[key]
                    self.cut.add(key)
                    _shutdown(conn)


def _shutdown(pgconn) -> None:
    """Shut the socket down (not close: the fd still belongs to libpq) so the wait ends."""
    try:
        with socket.socket(fileno=os.dup(pgconn.socket)) as sock:
            sock.shutdown(socket.SHUT_RDWR)
        logger.error("Database query got no answer in time; connection cut")
    except Exception:
        logger.exception("Could not cut a database connection")


_watchdog = _Watchdog()
os.register_at_fork(after_in_child=_watchdog.forget_after_fork)
_bound = threading.local()


@contextmanager
def database_bound(seconds: float) -> Iterator[None]:
    """Wait at most `seconds` for each query inside (a health check must answer quickly)."""
    previous = getattr(_bound, "seconds", None)
    _bound.seconds = seconds
    try:
        yield
    finally:
        _bound.seconds = previous


@contextmanager
def query_bounded(raw) -> Iterator[None]:
    """While inside, a query on the psycopg connection `raw` that gets no answer in time has its
    socket cut, and fails with QueryTimedOut: the bound of every query, through Django's
    cursors (an execute wrapper) or on a raw connection (core/single_row.py)."""
    seconds = getattr(_bound, "seconds", None)
    if seconds is None:
        statement_timeout = settings.DB_STATEMENT_TIMEOUT_SECONDS
        seconds = statement_timeout + GRACE_SECONDS if statement_timeout else 0
    if not seconds:
        yield
        return
    key = object()  # this wait's own entry
    _watchdog.start_if_needed()
    with _watchdog.lock:
        _watchdog.inflight[key] = (time.monotonic() + seconds, raw.pgconn)
    try:
        yield
    except OperationalError as exc:
        with _watchdog.lock:
            was_cut = key in _watchdog.cut
            _watchdog.cut.discard(key)
        if was_cut:
            raise QueryTimedOut(f"no answer within {seconds:g} s") from exc
        raise
    finally:
        with _watchdog.lock:
            _watchdog.inflight.pop(key, None)
            _watchdog.cut.discard(key)


def _bounded_execute(execute, sql, params, many, context):
    with query_bounded(context["connection"].connection):
        return execute(sql, params, many, context)


def database_connection_created(sender, connection: BaseDatabaseWrapper, **kwargs) -> None:
    """Bound every query of every new PostgreSQL connection."""
    if connection.vendor == "postgresql" and _bounded_execute not in connection.execute_wrappers:
        connection.execute_wrappers.append(_bounded_execute)


def closed_by_server(raw) -> bool:
    """An idle connection with something to read was closed by the server (restart,
    failover, idle kill). Polling the socket costs no round trip."""
    try:
        readable, _, _ = select.select([raw.pgconn.socket], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


def database_drop_closed_connections(**kwargs) -> None:
    """At a request's start, drop a kept-open connection the server closed (a pooled one is
    checked when the pool lends it: core/postgresql)."""
    for conn in connections.all(initialized_only=True):
        raw = conn.connection
        if conn.vendor != "postgresql" or raw is None or conn.in_atomic_block:
            continue
        if closed_by_server(raw):
            logger.info("Dropping a database connection the server closed")
            conn.close()


def database_read(read: Callable[[], T], db: BaseDatabaseWrapper | None = None) -> T:
    """Run a read on `db` (the default database's connection); if a kept-open connection turns
    out dropped, reconnect and read once more.

    Only outside a transaction (nothing else of it could be lost) and never after a timeout
    (a database that does not answer will not answer a second time either)."""
    db = db or connections[DEFAULT_DB_ALIAS]
    reused = db.connection is not None and not db.in_atomic_block
    try:
        return read()
    except QueryTimedOut:
        raise
    except OperationalError:
        if not reused or db.in_atomic_block:
            raise
        logger.info("Database connection dropped; reading again on a fresh one")
        db.close()
        return read()
