"""Taking over the replaced service's database with `migrate --fake-initial`.

The legacy schema is created with plain SQL, as its SQLAlchemy models had it (naive UTC
timestamps; native uuid on PostgreSQL, CHAR(32) hex on SQLite), in an empty database of the
engine the suite runs on. The project then runs against it in fresh processes."""

import hashlib
import hmac
import json
import os
import sqlite3
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
SECRET = "the-replaced-services-session-secret-0123456789"
PASSWORD = "legacy password 123"
TOKEN = "legacy-cookie-token-abcdefghijklmnopqrstuvwxyz"

DDL = """
CREATE TABLE users (
    id {uuid} NOT NULL PRIMARY KEY,
    email VARCHAR(255) NOT NULL,
    name VARCHAR(255) NOT NULL,
    password_hash VARCHAR(255),
    email_verified_at {ts},
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);
CREATE UNIQUE INDEX ix_users_email ON users (email);
CREATE TABLE auth_sessions (
    id {uuid} NOT NULL PRIMARY KEY,
    user_id {uuid} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash VARCHAR(64) NOT NULL,
    last_used_at {ts} NOT NULL,
    expires_at {ts} NOT NULL,
    revoked BOOLEAN NOT NULL,
    ip_address VARCHAR(45),
    user_agent VARCHAR(512),
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);
CREATE UNIQUE INDEX ix_auth_sessions_token_hash ON auth_sessions (token_hash);
CREATE TABLE oauth_accounts (
    id {uuid} NOT NULL PRIMARY KEY,
    user_id {uuid} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider VARCHAR(50) NOT NULL,
    provider_account_id VARCHAR(255) NOT NULL,
    access_token TEXT,
    refresh_token TEXT,
    expires_at {ts},
    scope TEXT,
    token_type VARCHAR(50),
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    CONSTRAINT uq_provider_account UNIQUE (provider, provider_account_id)
)
"""

PROBE = """
import json
import django
django.setup()
from django.test import Client
client = Client()
client.cookies["session_token"] = {token!r}
me = client.get("/api/auth/me")
login = Client().post(
    "/api/auth/login",
    {{"email": "legacy@example.com", "password": {password!r}}},
    content_type="application/json",
)
print(json.dumps({{"me": [me.status_code, me.json()], "login": [login.status_code, login.json()]}}))
"""


def legacy_rows(user_id: uuid.UUID) -> tuple[tuple, tuple]:
    now = datetime.now(UTC).replace(tzinfo=None)  # the seed wrote datetime.utcnow()
    digest = hmac.new(SECRET.encode(), TOKEN.encode(), hashlib.sha256).hexdigest()
    session_id = uuid.uuid4()
    pw = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4).hash(PASSWORD)
    user = (user_id, "legacy@example.com", "Legacy", pw, None, now, now)
    session = (session_id, user_id, digest, now, now + timedelta(days=30), False, None, None)
    return user, (*session, now, now)


INSERT_USER = "INSERT INTO users VALUES ({})".format(", ".join(["{p}"] * 7))
INSERT_SESSION = "INSERT INTO auth_sessions VALUES ({})".format(", ".join(["{p}"] * 10))


@pytest.fixture
def legacy_database(tmp_path):
    """An empty database holding only the legacy schema and one user with a session."""
    user_id = uuid.uuid4()
    user, session = legacy_rows(user_id)
    if connection.vendor == "sqlite":
        path = tmp_path / "legacy.sqlite3"
        db = sqlite3.connect(path)
        db.executescript(DDL.format(uuid="CHAR(32)", ts="DATETIME"))

        def sqlite_value(v):
            if isinstance(v, uuid.UUID):
                return v.hex
            return v.isoformat(sep=" ") if isinstance(v, datetime) else v

        db.execute(INSERT_USER.format(p="?"), [sqlite_value(v) for v in user])
        db.execute(INSERT_SESSION.format(p="?"), [sqlite_value(v) for v in session])
        db.commit()
        db.close()
        yield f"sqlite:///{path}", user_id
        return
    import psycopg

    params = connection.settings_dict
    server = {
        "host": params["HOST"] or "127.0.0.1",
        "port": params["PORT"] or 5432,
        "user": params["USER"],
        "dbname": "postgres",
        "autocommit": True,
    }
    name = f"legacy_takeover_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(**server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        with psycopg.connect(**(server | {"dbname": name})) as db:
            for statement in DDL.format(uuid="UUID", ts="TIMESTAMP WITHOUT TIME ZONE").split(";"):
                db.execute(statement)
            db.execute(INSERT_USER.format(p="%s"), user)
            db.execute(INSERT_SESSION.format(p="%s"), session)
        url = f"postgres://{params['USER']}@{server['host']}:{server['port']}/{name}"
        yield url, user_id
    finally:
        with psycopg.connect(**server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(args: list[str], database_url: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "TEST_DATABASE_NAME"}
    env |= {
        "DEBUG": "true",
        "DATABASE_URL": database_url,
        "SESSION_SECRET": SECRET,
        "ALLOWED_HOSTS": "testserver",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def stored_password_hash(database_url: str) -> str:
    query = "SELECT password_hash FROM users WHERE email = 'legacy@example.com'"
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as db:
            return db.execute(query).fetchone()[0]
    import psycopg

    with psycopg.connect(database_url.replace("postgres://", "postgresql://")) as db:
        return db.execute(query).fetchone()[0]


def test_fake_initial_takes_over_legacy_users_and_sessions(legacy_database):
    database_url, user_id = legacy_database

    migrated = run(["manage.py", "migrate", "--fake-initial", "--noinput"], database_url)
    assert "accounts.0001_initial... FAKED" in migrated

    probe = PROBE.format(token=TOKEN, password=PASSWORD)
    results = json.loads(run(["-c", probe], database_url).strip().splitlines()[-1])

    me_status, me_body = results["me"]
    assert me_status == 200, me_body
    assert me_body["user"]["id"] == str(user_id)
    assert me_body["user"]["has_password"] is True
    login_status, login_body = results["login"]
    assert login_status == 200, login_body
    assert login_body["user"]["email"] == "legacy@example.com"
    assert stored_password_hash(database_url).startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
