"""The app served by a real gunicorn, as in production: its shipped configuration, a few
overrides, the error log kept to read back."""

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet

from core.tests.helpers import free_port, wait_until_serving

BASE_DIR = Path(__file__).resolve().parents[3]


def production_env(**overrides: str) -> dict[str, str]:
    """DEBUG off with throwaway secrets; nothing of the caller's environment but PATH."""
    return {
        "PATH": os.environ["PATH"],
        "HOME": str(BASE_DIR),
        "DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),
        "SESSION_SECRET": secrets.token_urlsafe(48),
        "OAUTH_TOKEN_KEYS": Fernet.generate_key().decode(),
        "MFA_TOTP_KEYS": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        **overrides,
    }


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, timeout=180
    )


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    def json(self) -> dict:
        return json.loads(self.body)


class Served:
    """gunicorn -c config/gunicorn.conf.py config.wsgi on a free port."""

    def __init__(self, env: dict[str, str], log: Path, *args: str) -> None:
        self.port = free_port()
        self.log = log
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py",
                "--bind", f"127.0.0.1:{self.port}", "--error-logfile", str(log),
                "--access-logfile", "/dev/null", *args, "config.wsgi",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.url = f"http://127.0.0.1:{self.port}"
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        wait_until_serving(f"{self.url}/api/health/live", self.process, log=self.log.read_text)

    def request(
        self, method: str, path: str, body: dict | None = None, timeout: float = 30, **headers
    ) -> Reply:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json", **headers} if data else headers
        request = urllib.request.Request(self.url + path, data=data, method=method)
        for name, value in headers.items():
            request.add_header(name.replace("_", "-"), value)
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status, head, content = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, head, content = error.code, error.headers, error.read()
        return Reply(status, dict(head), content, time.monotonic() - started)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
