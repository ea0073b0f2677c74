"""The PostgreSQL connection's own defences, in-process: the client-side query bound, the
dropped-connection check at a request's start, and the session read's one reconnect."""

import time

import psycopg
import pytest
from django.core.signals import request_started
from django.db import OperationalError, connection

from accounts.sessions import session_create, session_lookup
from core.database import QueryTimedOut, database_bound

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL connections"),
    pytest.mark.django_db(transaction=True),
]


def _terminate_backend() -> None:
    """End our connection from the server's side, as a restart or a failover does."""
    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    time.sleep(0.2)


def test_a_query_without_an_answer_is_cut_client_side():
    started = time.monotonic()
    with pytest.raises(QueryTimedOut), database_bound(0.5), connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(5)")
    assert time.monotonic() - started < 2
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def test_the_session_read_reconnects_once_on_a_dropped_connection(user):
    _, token = session_create(user=user)
    _terminate_backend()
    assert session_lookup(token).session.user == user


def test_a_dropped_connection_still_fails_other_reads_without_the_request_check(user):
    """The counterpart: only the session read retries, and only that is needed."""
    connection.ensure_connection()
    _terminate_backend()
    with pytest.raises(OperationalError), connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    connection.close()


@pytest.mark.skipif(
    bool(connection.settings_dict["OPTIONS"].get("pool")),
    reason="persistent connections only: with the pool a request holds none between requests",
)
def test_a_request_start_drops_a_connection_the_server_closed():
    connection.ensure_connection()
    kept = connection.connection
    request_started.send(sender=None)
    assert connection.connection is kept  # alive: no round trip, nothing changes
    _terminate_backend()
    request_started.send(sender=None)
    assert connection.connection is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
