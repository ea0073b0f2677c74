"""The fault suite's server: gunicorn (2 workers, DEBUG off) whose database is reached
through a TcpProxy, on a database of its own; run only when PostgreSQL is configured."""

import os
import time
import uuid

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from accounts.tests.helpers import PASSWORD
from core.tests.faults.served import Served, manage, production_env
from core.tests.faults.tcp_proxy import TcpProxy

# Small bounds keep the suite short; the defaults are larger but work the same way.
CONNECT_TIMEOUT, STATEMENT_TIMEOUT = 2, 2


def pytest_collection_modifyitems(config, items):
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="the fault suite needs PostgreSQL (DATABASE_URL)")
    for item in items:
        if "faults" in item.keywords:
            item.add_marker(skip)


def _admin_connection(db: dict) -> psycopg.Connection:
    return psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"],
        dbname="postgres",
        autocommit=True,
    )


@pytest.fixture(scope="session")
def fault_database():
    """A database of the suite's own, migrated, dropped at the end."""
    db = settings.DATABASES["default"]
    name = f"faults_{uuid.uuid4().hex[:12]}"
    with _admin_connection(db) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    auth = f"{db['USER']}:{db['PASSWORD']}@" if db["PASSWORD"] else f"{db['USER']}@"
    host, port = db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)
    try:
        yield {"name": name, "auth": auth, "host": host, "port": port}
    finally:
        with _admin_connection(db) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def faulty(fault_database, tmp_path_factory):
    """(server, proxy): the app's every database connection passes through the proxy."""
    proxy = TcpProxy((fault_database["host"], fault_database["port"]))
    base = f"postgres://{fault_database['auth']}"
    redis_url = settings.REDIS_URL or "redis://127.0.0.1:6379/0"
    env = production_env(
        DATABASE_URL=f"{base}127.0.0.1:{proxy.port}/{fault_database['name']}",
        REDIS_URL=redis_url,
        CACHE_KEY_PREFIX=f"faults-{os.getpid()}",
        DB_CONN_MAX_AGE="600",
        DB_CONN_HEALTH_CHECKS="false",
        DB_CONNECT_TIMEOUT_SECONDS=str(CONNECT_TIMEOUT),
        DB_STATEMENT_TIMEOUT_SECONDS=str(STATEMENT_TIMEOUT),
        RATELIMIT_ENABLE="false",
    )
    manage(env, "migrate", "--noinput", "-v0")
    log = tmp_path_factory.mktemp("faults") / "gunicorn.log"
    server = Served(env, log, "--workers", "2")
    try:
        yield server, proxy
    finally:
        server.stop()
        proxy.close()


@pytest.fixture(scope="session")
def account(faulty) -> dict:
    """A registered user and a bearer token, made while everything works."""
    server, _ = faulty
    email = f"fault-{time.time_ns()}@example.com"
    reply = server.request(
        "POST",
        "/api/auth/register",
        {"email": email, "password": PASSWORD, "transport": "token"},
    )
    assert reply.status == 201, reply.body
    return {"email": email, "token": reply.json()["token"]}
