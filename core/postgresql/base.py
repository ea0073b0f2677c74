"""Django's PostgreSQL backend, except that a pooled connection the server has closed is never
lent to a request (core/postgresql/pooled.py)."""

from __future__ import annotations

from django.db.backends.postgresql import base

from core.postgresql.pooled import borrow_live


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        if not self.pool:
            return super().get_new_connection(conn_params)  # a new connection, just made
        lend = super().get_new_connection
        return borrow_live(self.pool, lambda: lend(conn_params))
