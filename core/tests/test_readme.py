"""The README's quick start, run as a newcomer would: its commands, as written and in the
order written, in a fresh clone of this working tree, each of which must succeed.

Installing is not the point and takes minutes, so the clone's `.venv` is a symlink to the
virtualenv running this suite, with requirements.txt dated before that virtualenv's install
stamp: make then sees nothing to install (a virtualenv without make's stamp skips the test).
Two things differ from a newcomer's terminal, both through the environment and not the
commands: `PORT` is a free one, and `make test` runs one small test file (`PYTEST_ARGS`), not
the whole suite, which would include this test."""

import http.client
import os
import pty
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from core.tests.helpers import free_port

BASE_DIR = Path(__file__).resolve().parents[2]
VENV = Path(sys.prefix)
STAMP = VENV / ".installed"
ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "a long admin passphrase 42"
INNER_TESTS = "-p no:cacheprovider core/tests/test_quiet_checks.py"

pytestmark = pytest.mark.slow


def quick_start_commands() -> list[str]:
    """Every line of the shell blocks under "Quick start", without its comment."""
    section = (BASE_DIR / "README.md").read_text().split("## Quick start\n", 1)[1]
    section = section.split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    lines = (line.split("#", 1)[0].strip() for block in blocks for line in block.splitlines())
    return [line for line in lines if line]


def git(*args: str, cwd: Path = BASE_DIR) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True).stdout.decode()


def fresh_clone(target: Path) -> Path:
    """A clone of HEAD with the working tree's uncommitted changes laid over it."""
    git("clone", "--quiet", "--no-hardlinks", str(BASE_DIR), str(target))
    for name in git("ls-files", "-z", "--modified", "--others", "--exclude-standard").split("\0"):
        if name and (BASE_DIR / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(BASE_DIR / name, target / name)
    for name in git("ls-files", "-z", "--deleted").split("\0"):
        if name:
            (target / name).unlink(missing_ok=True)
    (target / ".venv").symlink_to(VENV)
    stamp_time = STAMP.stat().st_mtime - 60
    os.utime(target / "requirements.txt", (stamp_time, stamp_time))
    return target


def request(port: int, path: str, method: str = "GET", body: str | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json"} if body else {}
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    return response.status, response.getheaders(), response.read()


def wait_for_health(server: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if request(port, "/api/health")[0] == 200:
                return
        except OSError:
            time.sleep(1)
    pytest.fail(f"make run never answered /api/health:\n{log.read_text()}")


def run_in_terminal(command: str, cwd: Path, env: dict, answers: list[tuple[str, str]]):
    """Run an interactive command on a pseudo-terminal, answering each prompt as it appears."""
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.chdir(cwd)
        os.execvpe("sh", ["sh", "-c", command], env)
    output, pending = b"", [(p.encode(), a.encode() + b"\n") for p, a in answers]
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if select.select([fd], [], [], 1)[0]:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child is gone
                break
            if not chunk:
                break
            output += chunk
            if pending and pending[0][0] in output.rsplit(b"\n", 1)[-1]:
                os.write(fd, pending.pop(0)[1])
    else:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), output.decode(errors="replace")


def test_the_quick_start_has_the_commands_this_test_knows():
    commands = quick_start_commands()
    assert commands[0] == "make run"
    assert {"make superuser", "make test"} <= set(commands)


@pytest.mark.skipif(not STAMP.exists(), reason="needs a virtualenv made by `make`")
@pytest.mark.skipif(shutil.which("git") is None or shutil.which("make") is None, reason="git, make")
def test_the_quick_start_runs_as_written_in_a_fresh_clone(tmp_path):
    clone = fresh_clone(tmp_path / "clone")
    port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "PORT": str(port),
        "PYTHONUNBUFFERED": "1",
        "PYTEST_ARGS": INNER_TESTS,
        # Only so that the OAuth redirect shows which BACKEND_URL the server uses.
        "GITHUB_CLIENT_ID": "readme-test",
        "GITHUB_CLIENT_SECRET": "readme-test",
    }
    server, log = None, tmp_path / "make-run.log"
    try:
        for command in quick_start_commands():
            if command == "make run":
                server = subprocess.Popen(
                    command, shell=True, cwd=clone, env=env, start_new_session=True,
                    stdout=log.open("w"), stderr=subprocess.STDOUT,
                )  # fmt: skip
                wait_for_health(server, port, log)
                check_the_served_development_server(port, log)
            elif command == "make superuser":
                answers = [("Email", ADMIN_EMAIL), ("Password:", ADMIN_PASSWORD)]
                answers.append(("(again)", ADMIN_PASSWORD))
                code, output = run_in_terminal(command, clone, env, answers)
                assert code == 0, output
                assert "Superuser created successfully." in output
            else:
                done = subprocess.run(command, shell=True, cwd=clone, env=env, capture_output=True)
                output = (done.stdout + done.stderr).decode()
                assert done.returncode == 0, f"{command}:\n{output}"
                assert "WARNING" not in output, f"{command}:\n{output}"
        assert server is not None and server.poll() is None, log.read_text()
        body = f'{{"email": "{ADMIN_EMAIL}", "password": "{ADMIN_PASSWORD}"}}'
        assert request(port, "/api/auth/login", "POST", body)[0] == 200
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    assert "DEBUG=true" in (clone / ".env").read_text()


def check_the_served_development_server(port: int, log: Path) -> None:
    """BACKEND_URL follows PORT, each log event is one line, no check warning is printed, and
    `/` is the chat page with its module."""
    status, _, page = request(port, "/")
    assert status == 200 and b'src="/static/web/js/chat.js"' in page
    assert request(port, "/static/web/js/chat.js")[0] == 200
    status, headers, _ = request(port, "/api/auth/oauth/github")
    assert status == 302
    query = parse_qs(urlsplit(dict(headers)["Location"]).query)
    assert query["redirect_uri"] == [f"http://127.0.0.1:{port}/api/auth/oauth/github/callback"]
    assert request(port, "/api/readme-missing")[0] == 404
    time.sleep(1)
    logged = log.read_text()
    assert logged.count("Not Found: /api/readme-missing") == 1, logged
    assert "W001" not in logged and "WARNINGS" not in logged, logged


def test_make_run_stops_at_once_when_the_port_is_taken(tmp_path):
    """Before creating a virtualenv, installing, migrating or ingesting anything."""
    venv = tmp_path / "never-created"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        done = subprocess.run(
            ["make", "--no-print-directory", "run", f"VENV={venv}", f"PORT={port}"],
            cwd=BASE_DIR, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    assert done.returncode != 0
    assert f"127.0.0.1:{port} is not free" in done.stderr
    assert f"make run PORT={port + 1}" in done.stderr
    assert not venv.exists()
    assert time.monotonic() - started < 10
