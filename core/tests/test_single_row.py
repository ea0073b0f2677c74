"""The session lookup's own path (core/single_row.py): on PostgreSQL a connection borrowed from
the pool for the one statement when the request holds none, given straight back outside a
transaction, the query bound kept; on either database, Django's exception classes."""

import logging
import time

import pytest
from django.conf import settings
from django.db import DatabaseError, ProgrammingError, connection
from psycopg.adapt import AdaptersMap

from accounts.digests import keyed_digest
from accounts.sessions import _select_session_with_user, session_create
from accounts.tests.test_session_query import field_values, orm_lookup
from core.database import QueryTimedOut, database_bound
from core.single_row import fetch_row

pytestmark = pytest.mark.django_db(transaction=True)
pooled = pytest.mark.skipif(
    connection.vendor != "postgresql" or not connection.settings_dict["OPTIONS"].get("pool"),
    reason="PostgreSQL's connection pool",
)


@pooled
def test_a_lookup_outside_a_connection_borrows_one_for_itself_and_gives_it_back(user):
    _, token = session_create(user=user)
    digests = [keyed_digest(token, settings.AUTH_SESSION_SECRET)]
    orm = orm_lookup(digests)
    connection.close()
    requests_before = connection.pool.get_stats().get("requests_num", 0)

    ours = _select_session_with_user(digests)

    assert field_values(ours) == field_values(orm)
    assert field_values(ours.user) == field_values(orm.user)
    assert connection.connection is None  # Django's connection was never opened
    stats = connection.pool.get_stats()
    assert stats["requests_num"] == requests_before + 1
    assert stats["pool_size"] - stats.get("pool_available", 0) == 0  # none still lent


@pooled
def test_a_connection_given_back_out_of_autocommit_is_read_outside_a_transaction(user, caplog):
    """Django turns autocommit off for a transaction and on again when it next borrows the
    connection; a connection given back in between (a request that ended inside one) would
    leave the lookup's read open in a transaction: a rollback when given back, and a warning."""
    _, token = session_create(user=user)
    connection.close()
    pool = connection.pool
    lent = [pool.getconn() for _ in range(settings.DB_POOL_MAX_SIZE)]
    for raw in lent:
        raw.autocommit = False
        pool.putconn(raw)
    with caplog.at_level(logging.WARNING, logger="psycopg.pool"):
        for _ in range(settings.DB_POOL_MAX_SIZE):
            assert _select_session_with_user([keyed_digest(token, settings.AUTH_SESSION_SECRET)])
    assert not [r for r in caplog.records if r.name.startswith("psycopg")], caplog.text


@pooled
def test_a_statement_without_an_answer_is_cut_on_a_borrowed_connection():
    connection.close()
    started = time.monotonic()
    with pytest.raises(QueryTimedOut), database_bound(0.5):
        fetch_row(connection, "SELECT pg_sleep(5)", [])
    assert time.monotonic() - started < 2
    assert fetch_row(connection, "SELECT 1", []) == (1,)  # the cut one was replaced


@pooled
def test_errors_are_djangos_on_either_connection():
    connection.close()
    with pytest.raises(ProgrammingError):
        fetch_row(connection, "SELECT no_such_column FROM users", [])
    connection.ensure_connection()
    with pytest.raises(ProgrammingError):
        fetch_row(connection, "SELECT no_such_column FROM users", [])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="psycopg's loaders")
def test_the_lookup_run_again_on_its_connection_chooses_no_loader_again(user, monkeypatch):
    """Every authenticated request makes the lookup: a new cursor, or a new SQL string, would
    have psycopg choose a loader for each of its columns again (about a quarter of its CPU)."""
    _, token = session_create(user=user)
    digests = [keyed_digest(token, settings.AUTH_SESSION_SECRET)]
    connection.ensure_connection()  # the same connection for both lookups
    assert _select_session_with_user(digests)
    chosen = []
    get_loader = AdaptersMap.get_loader
    monkeypatch.setattr(
        AdaptersMap, "get_loader", lambda self, *key: chosen.append(key) or get_loader(self, *key)
    )

    assert _select_session_with_user(digests)

    assert chosen == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own connection")
def test_errors_on_sqlites_own_connection_are_djangos():
    # sqlite3's own exceptions are no subclass of Django's: unwrapped, the 503 handling and
    # every caller catching Django's classes would miss them.
    with pytest.raises(DatabaseError):
        fetch_row(connection, "SELECT no_such_column FROM users", [])
