"""Borrowing from the pool a connection the server has not closed.

After a restart or a failover every idle connection in the pool is dead, and the first query on
each would fail. psycopg_pool can check a connection before lending it, but Django offers that
check only as a round trip per request (CONN_HEALTH_CHECKS). Here the check is a poll of the
socket, which costs none: an idle connection with something to read has been closed."""

import logging
from collections.abc import Callable

from psycopg import Connection
from psycopg_pool import ConnectionPool

from core.database import closed_by_server

logger = logging.getLogger(__name__)


def borrow_live(pool: ConnectionPool, borrow: Callable[[], Connection]) -> Connection:
    """`borrow()` until it lends a live connection. Bounded: the pool holds at most max_size,
    and each dead one given back is replaced by a new one."""
    connection = borrow()
    for _ in range(pool.max_size):
        if not closed_by_server(connection):
            break
        logger.info("Dropping a pooled database connection the server closed")
        connection.close()
        pool.putconn(connection)  # the pool sees it closed and makes a new one
        connection = borrow()
    return connection
