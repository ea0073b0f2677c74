"""The OpenAPI schema tells the truth: schemathesis generates requests from it against a served
instance (gunicorn, the whole middleware stack, a migrated throw-away SQLite database) and
checks that every answer is one the schema promises, anonymous and with a bearer token."""

import json
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from core.tests.helpers import free_port, wait_until_serving

BASE_DIR = Path(__file__).resolve().parents[2]
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    ]
)
# Ending the run's own session mid-run would turn every later request into a 401; deleting
# the account would end it too. They are fuzzed in the anonymous run, where they answer 401.
# Revoking a listed session may pick the run's own (the stateful phase follows the list's ids).
DESTRUCTIVE = (
    r"^(DELETE /api/auth/(me|sessions/\{session_id\})|POST /api/auth/(logout|sessions/revoke-all))$"
)
# It would sign itself up through register and login: the signed-in run brings its own token,
# and the anonymous one must stay anonymous.
CONFIG = "[auth]\nauto-signup = false\n"
# Per operation: enough for every documented status to show up, small enough for CI.
MAX_EXAMPLES = os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "10")
PASSWORD = "contract-password-1234"

pytestmark = [
    pytest.mark.contract,
    # The served instance has its own SQLite database and in-process cache whatever the suite
    # runs on: once per CI run is enough.
    pytest.mark.skipif(
        bool(os.environ.get("DATABASE_URL")), reason="the served instance runs on SQLite"
    ),
]

SEED = """
import django
django.setup()
from django.utils import timezone
from accounts.models import User
User.objects.create_user("fuzz@example.com", "{password}", email_verified_at=timezone.now())
"""


def bearer_token(url: str) -> str:
    body = json.dumps({"email": "fuzz@example.com", "password": PASSWORD, "transport": "token"})
    request = urllib.request.Request(
        f"{url}/api/auth/login",
        data=body.encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["token"]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """DEBUG=true serves without Redis (one worker, so one in-process cache); rate limits
    off, or thousands of generated requests would only measure the limiter's 429."""
    workdir = tmp_path_factory.mktemp("contract")
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(workdir),
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{workdir / 'contract.sqlite3'}",
        "RATELIMIT_ENABLE": "false",
        "EMAIL_URL": "dummymail://",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONUNBUFFERED": "1",
    }
    python = [sys.executable]
    subprocess.run(
        [*python, "manage.py", "migrate", "--noinput"],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [*python, "-c", SEED.format(password=PASSWORD)],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
    )
    port = free_port()
    log = (workdir / "server.log").open("w+")
    # The production configuration (request-line bounds, gunicorn's refusals as JSON); one
    # worker, so that one in-process cache serves every request.
    env |= {"GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1"}
    server = subprocess.Popen(
        [*python, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    wait_until_serving(f"{url}/api/health", server, log=lambda: _read(log))
    try:
        yield url, bearer_token(url), workdir
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def schemathesis(url: str, workdir: Path, *args: str) -> str:
    config = workdir / "schemathesis.toml"
    config.write_text(CONFIG)
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "--config-file",
        str(config),
        "run",
        f"{url}/api/schema?format=json",
        "--checks",
        CHECKS,
        "--max-examples",
        MAX_EXAMPLES,
        "--seed",
        "1",
        "--workers",
        "2",
        "--no-color",
        "--generation-database",
        "none",
        "--suppress-health-check",
        "all",
        "--output-truncate",
        "false",
        "--report",
        "junit",
        "--report-dir",
        str(workdir),
        *args,
    ]
    result = subprocess.run(command, cwd=workdir, capture_output=True, text=True, timeout=900)
    output = result.stdout + result.stderr
    print(output[-4000:])
    assert result.returncode == 0, output[-20000:]
    return output


def count_tested(output: str) -> int:
    """Every selected operation was tried: a schema that fails to load or a filter that
    matches nothing must not pass as zero failures."""
    selected = int(re.search(r"Selected: (\d+)/", output).group(1))
    assert re.search(rf"Tested: {selected}\b", output), output[-4000:]
    return selected


def test_anonymous_requests_get_only_documented_answers(served):
    url, _, workdir = served
    assert count_tested(schemathesis(url, workdir)) >= 30


def test_signed_in_requests_get_only_documented_answers(served):
    url, token, workdir = served
    output = schemathesis(
        url,
        workdir,
        "--header",
        f"Authorization: Bearer {token}",
        "--exclude-name-regex",
        DESTRUCTIVE,
    )
    assert count_tested(output) >= 30
    # A token that died mid-run would leave only 401s: schemathesis only warns of it.
    assert "Authentication failed" not in output, output[-4000:]


def _read(log) -> str:
    log.seek(0)
    return log.read()
