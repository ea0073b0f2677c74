"""Gunicorn servers of this project on a database of their own, for the tests that need real
worker processes: killing one, two instances sharing one database and Redis, or a client that
must not share the server's process (an attacker's stopwatch does not wait on its GIL)."""

import os
import signal
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

from core.tests.helpers import free_port, wait_until_serving

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = (sys.executable, "-m", "gunicorn", "config.wsgi", "--log-level", "warning")


class Database:
    """A database created for one test module, migrated, and dropped after: on the suite's
    PostgreSQL server when it runs on one, else a SQLite file."""

    def __init__(self) -> None:
        self.name = f"served_{uuid.uuid4().hex[:12]}"
        server = urlsplit(os.environ.get("DATABASE_URL", ""))
        self._postgres = server.scheme.startswith("postgres")
        if self._postgres:
            self.url = urlunsplit(server._replace(path=f"/{self.name}"))
            self._admin = urlunsplit(server._replace(path="/postgres"))
        else:
            self._directory = tempfile.TemporaryDirectory()  # removed on exit
            self._file = Path(self._directory.name) / f"{self.name}.sqlite3"
            self.url = f"sqlite:///{self._file}"

    def __enter__(self) -> "Database":
        if self._postgres:
            with psycopg.connect(self._admin, autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{self.name}"')
        return self

    def __exit__(self, *exc) -> None:
        if not self._postgres:
            self._directory.cleanup()
            return
        with psycopg.connect(self._admin, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def rows(self, sql: str, *params) -> list[tuple]:
        """PostgreSQL's rows (the tests that read them run on PostgreSQL only)."""
        with psycopg.connect(self.url, autocommit=True) as conn:
            return conn.execute(sql, params).fetchall()


def environment(database: Database, **extra: str) -> dict[str, str]:
    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": database.url, "LOG_LEVEL": "WARNING"}
    env["MAIL_DELIVERY_THREAD"] = "true"  # the suite turns it off for itself, not for servers
    env.pop("TEST_DATABASE_NAME", None)
    return {**env, **extra}


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def migrate(env: dict[str, str]) -> None:
    manage(env, "migrate", "--noinput", "-v0")


_SIGN_IN = """
import sys, django
django.setup()
from accounts.models import User
from accounts.sessions import session_create
for i in range(int(sys.argv[1])):
    user = User.objects.create_user(email=f"reader{i}@example.com", password=None, name="R")
    print(session_create(user=user)[1])
"""


def session_tokens(env: dict[str, str], count: int) -> list[str]:
    """Bearer tokens of `count` new readers, made in the served database."""
    made = subprocess.run(
        [sys.executable, "-c", _SIGN_IN, str(count)],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return made.stdout.split()


class Server:
    """`gunicorn config.wsgi --workers N` on a free loopback port (or `port`, chosen before
    when the environment must name the server's own URL)."""

    def __init__(self, env: dict[str, str], workers: int = 2, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # A file, not our pipes: a stray worker must not hold the test's output open.
        self.log = tempfile.TemporaryFile()  # noqa: SIM115  closed with the server
        bind = f"127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [*GUNICORN, "--workers", str(workers), "--bind", bind, "--timeout", "60"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # so kill() reaches the master and every worker
        )
        try:
            self._wait_until_up()
        except BaseException:
            self.stop()
            raise

    def _wait_until_up(self) -> None:
        wait_until_serving(f"{self.url}/api/health", self.process)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def kill(self) -> None:
        """The whole server dies at once, as on a power cut: SIGKILL to every process."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")
