"""One row of one statement at the least cost: the session lookup, which every authenticated
request makes.

Through Django, the statement costs more CPU than the round trip itself: the pool lends the
connection through Django's connect and takes it back through its close (settings, signals,
autocommit), its cursor wrapper runs the statement, and Django's text-format loader for
`timestamptz` parses timestamps in Python. Measured in-process on this machine (2 cores),
about 420 us of CPU per lookup through Django against 190 us here.

So, when the request holds no connection (the usual case: the lookup is its first query), the
statement runs on a connection borrowed from the pool for just this statement, and given
straight back; when it holds one (a transaction, a test, the pool off), on that one, through
Django's cursor as any query. Either way the row comes in PostgreSQL's binary format, which
psycopg parses in C; the values are the same, but Django's converters expect text rows, so this
suits only columns that have none (accounts/sessions.py checks). Kept from Django's path: its
exception classes, the check that a pooled connection is alive, the query bound. Not kept on a
borrowed connection: DEBUG's record of queries (`connection.queries`)."""

from django.db.backends.postgresql.base import DatabaseWrapper, ServerBindingCursor
from psycopg import Cursor
from psycopg.pq import Format

from core.database import query_bounded
from core.postgresql.pooled import borrow_live


def fetch_row(db: DatabaseWrapper, sql: str, params: list) -> tuple | None:
    if db.connection is not None or not db.pool:
        return _on_the_requests_connection(db, sql, params)
    with db.wrap_database_errors:
        db.pool.open()  # as Django does: a worker's first borrow opens its pool
        raw = borrow_live(db.pool, db.pool.getconn)
    try:
        with db.wrap_database_errors:
            # Django turns autocommit on when it borrows a connection, and off for a transaction;
            # a read left in one would cost a rollback when given back.
            if not raw.autocommit:
                raw.autocommit = True
        with Cursor(raw) as cursor, query_bounded(raw), db.wrap_database_errors:
            cursor.format = Format.BINARY
            cursor.execute(sql, params)
            return cursor.fetchone()
    finally:
        db.pool.putconn(raw)  # a broken connection is discarded and replaced by the pool


def _on_the_requests_connection(db: DatabaseWrapper, sql: str, params: list) -> tuple | None:
    db.ensure_connection()
    with db.wrap_database_errors:
        cursor = ServerBindingCursor(db.connection)  # binary rows need server-side binding
    cursor.format = Format.BINARY
    with db._prepare_cursor(cursor) as wrapped:  # Django's wrapper: execute_wrappers, DEBUG
        wrapped.execute(sql, params)
        return wrapped.fetchone()
