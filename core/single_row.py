"""One row of one statement at the least cost: the session lookup, which every authenticated
request makes.

Through Django's cursor, the statement costs more CPU than the database's own work: its cursor
wrapper, and on PostgreSQL the pool lending the connection through Django's connect and taking
it back through its close (settings, signals, autocommit), and Django's text-format loader for
`timestamptz`, which parses timestamps in Python. Measured in-process on this machine (2
cores): on PostgreSQL about 420 us of CPU per lookup through Django against 190 us here; on
SQLite, Django's cursor 53 us against 23 us for the statement itself.

So the statement runs on the raw driver connection: the request's own when it holds one (SQLite
always; on PostgreSQL a transaction, a test, the pool off), else one borrowed from PostgreSQL's
pool for just this statement and given straight back. PostgreSQL sends the row in its binary
format, which psycopg parses in C: the values are equal and of the same types (the
connection's time zone is Django's), and the caller applies Django's converters as it would to
a text row, so only columns that need none on PostgreSQL suit it (accounts/tests/
test_session_query.py holds the lookup to the ORM's values). Kept from Django's path: its
exception classes, the check that a pooled connection is alive, the query bound. When queries
are being recorded (DEBUG, a test counting them), the statement goes through Django's cursor,
so that it is recorded like any other. The SQL is as Django's cursors take it: `%s` for each
parameter, and no other `%`; a caller passes the same str object for the same statement, which
spares psycopg adapting it again (_kept_cursor)."""

from django.db.backends.base.base import BaseDatabaseWrapper
from psycopg import Connection, Cursor
from psycopg.pq import Format

from core.database import query_bounded
from core.postgresql.pooled import borrow_live


def fetch_row(db: BaseDatabaseWrapper, sql: str, params: list) -> tuple | None:
    if db.queries_logged:
        with db.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
    if db.vendor != "postgresql":
        db.ensure_connection()
        with db.wrap_database_errors:
            return db.connection.execute(sql.replace("%s", "?"), params).fetchone()
    if db.connection is not None or not db.pool:
        db.ensure_connection()
        return _fetch_binary(db, db.connection, sql, params)
    with db.wrap_database_errors:
        db.pool.open()  # as Django does: a worker's first borrow opens its pool
        raw = borrow_live(db.pool, db.pool.getconn)
    try:
        with db.wrap_database_errors:
            # Django turns autocommit on when it borrows a connection, and off for a transaction;
            # a read left in one would cost a rollback when given back.
            if not raw.autocommit:
                raw.autocommit = True
        return _fetch_binary(db, raw, sql, params)
    finally:
        db.pool.putconn(raw)  # a broken connection is discarded and replaced by the pool


def _fetch_binary(db: BaseDatabaseWrapper, raw: Connection, sql: str, params: list) -> tuple | None:
    cursor = _kept_cursor(raw)
    with query_bounded(raw), db.wrap_database_errors:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _kept_cursor(raw: Connection) -> Cursor:
    """The connection's own cursor for these statements, made at its first: a cursor given the
    same SQL object again keeps the loaders it chose for the columns (psycopg's Transformer),
    which a new cursor looks up again for every column. Kept on the connection, it lives and
    dies with it, and is used by the one thread that holds the connection."""
    cursor = getattr(raw, "_single_row_cursor", None)
    if cursor is None or cursor.closed:
        cursor = Cursor(raw)
        cursor.format = Format.BINARY  # binary rows need server-side binding: Cursor
        raw._single_row_cursor = cursor
    return cursor
