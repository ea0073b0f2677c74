"""Django's PostgreSQL backend, except that a pooled connection the server has closed is never
lent to a request.

After a restart or a failover every idle connection in the pool is dead, and the first query on
each would fail. psycopg_pool can check a connection before lending it, but Django offers that
check only as a round trip per request (CONN_HEALTH_CHECKS). Here the check is a poll of the
socket, which costs none: an idle connection with something to read has been closed."""

from __future__ import annotations

import logging

from django.db.backends.postgresql import base

from core.database import closed_by_server

logger = logging.getLogger(__name__)


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if not self.pool:
            return connection  # a new connection, just made
        # Bounded: the pool holds at most max_size, and each dead one given back is replaced
        # by a new one.
        for _ in range(self.pool.max_size):
            if not closed_by_server(connection):
                break
            logger.info("Dropping a pooled database connection the server closed")
            connection.close()
            self.pool.putconn(connection)  # the pool sees it closed and makes a new one
            connection = super().get_new_connection(conn_params)
        return connection
