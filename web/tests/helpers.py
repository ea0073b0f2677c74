"""The browser suite's toolkit: Chromium (Debian's, never a download), the served app it
drives, axe-core's verdict on a page, links read from the mails the app sends, and a virtual
authenticator standing for a phone's or laptop's passkey store."""

import email
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from email import policy
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyotp
import pytest

from accounts.tests.served import ROOT, Database, Server, environment, migrate
from accounts.tests.smtp_sink import Sink
from chatbot.tests.helpers import BOOK, write_book
from core.tests.helpers import free_port

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / ".browser-deps" / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "a long enough passphrase 7"
SCREENSHOTS = ROOT / "docs" / "screenshots"
# The ones the README shows.
README_SCREENSHOTS = {
    "login-desktop",
    "chat-desktop",
    "source-phone",
    "account-desktop",
    "mfa-setup-desktop",
}


def browser_parts_or_skip() -> None:
    """Absent parts skip the suite locally; `.ci/run` sets BROWSER_TESTS=required, where
    absence is a failure (scripts/browser_deps.sh installs them)."""
    missing = [str(p) for p in (CHROMIUM, AXE) if not p.exists()]
    if not missing:
        return
    reason = f"missing {', '.join(missing)}: run scripts/browser_deps.sh"
    if os.environ.get("BROWSER_TESTS") == "required":
        pytest.fail(reason)
    pytest.skip(reason)


class App:
    """The project under gunicorn on a database of its own, its mail caught by a sink. Its URL
    is known before it starts, so its mail links and trusted origins name it; `other_origin`
    is the origin of a frontend on another port, trusted by CORS."""

    def __init__(self, book_dir: Path) -> None:
        self.port, self.other_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.other_origin = f"http://localhost:{self.other_port}"
        # WebAuthn wants a domain for its relying party, and `localhost` is one a browser
        # trusts over plain http: the passkey tests browse the same server by that name.
        self.passkey_url = f"http://localhost:{self.port}"
        self._stack = ExitStack()
        self.sink = Sink().start()
        self._stack.callback(self.sink.stop)
        self.database = self._stack.enter_context(Database())
        env = environment(
            self.database,
            **self.sink.environment(),
            FRONTEND_URL=self.url,
            BACKEND_URL=self.url,
            CORS_ORIGINS=f"{self.other_origin},{self.passkey_url}",
            WEBAUTHN_RP_ID="localhost",
            WEBAUTHN_ORIGINS=self.passkey_url,
            MAIL_POLL_SECONDS="0.2",
            CACHE_KEY_PREFIX=f"web-{os.getpid()}",
            # Each browser context says which address it is: one IP's sign-up budget is small.
            TRUSTED_PROXY_COUNT="1",
        )
        migrate(env)
        book = write_book(book_dir, BOOK)
        subprocess.run(
            [sys.executable, "manage.py", "ingest_book", str(book)], cwd=ROOT, env=env, check=True
        )
        # One worker: without REDIS_URL the rate-limit counters live in a worker's memory,
        # and the chat limit must be one count, as under `make run`.
        self.server = Server(env, workers=1, port=self.port)
        self._stack.callback(self.server.stop)

    def close(self) -> None:
        self._stack.close()

    def mailed_link(self, to: str, page: str, seconds: float = 15) -> str:
        """The newest link to `page` in a mail to `to`, waiting for the mail to arrive."""
        pattern = re.compile(rf"https?://[^\s\"<>]+/{page}\?[^\s\"<>]+")
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for envelope in reversed(self.sink.envelopes):
                if to not in envelope.rcpt_tos:
                    continue
                message = email.message_from_bytes(envelope.content, policy=policy.default)
                found = pattern.search(message.get_body(("plain",)).get_content())
                if found:
                    return found.group(0)
            time.sleep(0.1)
        raise AssertionError(f"no mail to {to} with a /{page} link")


_addresses = iter(range(1, 1 << 16))


def client_address() -> str:
    """A fresh private address per browser context."""
    n = next(_addresses)
    return f"10.0.{n >> 8}.{n & 255}"


@contextmanager
def browser_context(browser, **options) -> Iterator:
    context = browser.new_context(
        extra_http_headers={"X-Forwarded-For": client_address()}, **options
    )
    try:
        yield context
    finally:
        context.close()


def virtual_authenticator(context, page) -> None:
    """Chromium's DevTools authenticator on `page`: it makes and answers passkeys with the
    user verified, as a fingerprint would."""
    session = context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
    }
    session.send("WebAuthn.addVirtualAuthenticator", {"options": options})


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def register(page, base: str, email_address: str, name: str = "Ann Lee") -> None:
    """Through the sign-up form, as a person does; ends on the welcome page."""
    page.goto(f"{base}/register")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Email").fill(email_address)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(f"{base}/onboarding")


def skip_welcome(page, base: str) -> None:
    page.get_by_role("button", name="Skip").click()
    page.wait_for_url(f"{base}/")


def sign_in(page, base: str, email_address: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email_address)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out", exact=True).click()
    page.wait_for_url(re.compile(r"/login\?signed_out=1$"))


def code_at(secret: str, step: int) -> str:
    """The authenticator's code `step` steps from now: a step accepted once is refused after,
    so each use takes the next one (the server allows one step either side)."""
    return pyotp.TOTP(secret).at(time.time() + 30 * step)


def two_factor_section(page):
    return page.get_by_role("region", name="Two-factor authentication")


def set_up_two_factor(page) -> str:
    """On the account page: the password, then the secret the page shows, as an app reads it."""
    section = two_factor_section(page)
    section.get_by_label("Your password").filter(visible=True).fill(PASSWORD)
    section.get_by_role("button", name="Set up two-factor").click()
    return section.get_by_role("code").inner_text()


def confirm_two_factor(page, code: str) -> None:
    section = two_factor_section(page)
    section.get_by_label("Code from the app").fill(code)
    section.get_by_role("button", name="Turn on two-factor").click()


def screenshot(page, name: str, folder: Path) -> None:
    """The README's into docs/screenshots with UPDATE_SCREENSHOTS=1, any other into `folder`:
    taking them is part of the test, committing them a choice."""
    readme = name in README_SCREENSHOTS and os.environ.get("UPDATE_SCREENSHOTS") == "1"
    target = SCREENSHOTS if readme else folder
    target.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target / f"{name}.png"), full_page=True)


class QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        """The test's output is for its failures."""


@contextmanager
def static_site(port: int, folder: Path) -> Iterator[None]:
    """A frontend of another origin: plain files from `folder`, served on `port`."""
    handler = partial(QuietFiles, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
