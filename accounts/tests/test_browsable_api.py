"""The browsable API as a reader meets it: a sign-in page that shows its fields, and a
signed-in page with a way out. Browsers send cookies and must pass the CSRF check."""

import json
import re
import shutil
import subprocess
from html import unescape

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from accounts.tests.helpers import PASSWORD

HTML = "text/html"


@pytest.fixture
def browser() -> Client:
    return Client(enforce_csrf_checks=True)


def raw_form_body(page: bytes) -> dict:
    """The JSON the browsable page's raw-data form starts with."""
    found = re.search(rb'<textarea[^>]*name="_content"[^>]*>(.*?)</textarea>', page, re.S)
    assert found, "the page has no raw-data form"
    return json.loads(unescape(found.group(1).decode()))


def page_csrf_token(page: bytes) -> str:
    found = re.search(rb'<script type="application/json" id="drf_csrf">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))["csrfToken"]


def fetch_post(browser: Client, path: str, **headers):
    """A browser's fetch() POST without a body: no Content-Type, nothing to parse."""
    return browser.generic("POST", path, content_type="", **headers)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ("/api/auth/login", {"email": "", "password": "", "remember": True, "transport": "cookie"}),
        ("/api/auth/register", {"email": "", "password": "", "name": "", "transport": "cookie"}),
    ],
)
def test_the_sign_in_pages_show_their_fields(browser, path, fields):
    page = browser.get(path, HTTP_ACCEPT=HTML)
    assert page["Content-Type"].startswith(HTML)
    assert raw_form_body(page.content) == fields
    assert b'data-override="content-type"' in page.content  # posted as JSON, not form-encoded


def test_a_program_still_gets_a_json_405(api):
    answer = api.get("/api/auth/login")
    assert answer.status_code == 405
    assert answer.json()["code"] == "method_not_allowed"


@pytest.mark.django_db
def test_signing_in_and_out_through_the_pages(browser, user):
    form = raw_form_body(browser.get("/api/auth/login", HTTP_ACCEPT=HTML).content)
    form.update(email=user.email, password=PASSWORD)
    signed_in = browser.post(
        "/api/auth/login", json.dumps(form), content_type="application/json", HTTP_ACCEPT=HTML
    )
    assert signed_in.status_code == 200

    page = browser.get("/api/auth/me", HTTP_ACCEPT=HTML)
    assert page.status_code == 200
    sign_out = re.search(rb'<form id="sign-out"[^>]*>', page.content).group(0)
    assert b'action="/api/auth/logout"' in sign_out
    assert b"accounts/sign_out.js" in page.content
    assert user.email.encode() in page.content

    # What sign_out.js sends: a bodiless POST with the page's CSRF token and the cookie.
    assert fetch_post(browser, "/api/auth/logout").status_code == 403  # no token: refused
    token = page_csrf_token(page.content)
    assert fetch_post(browser, "/api/auth/logout", HTTP_X_CSRFTOKEN=token).status_code == 204
    assert browser.get("/api/auth/me", HTTP_ACCEPT=HTML).status_code == 401


@pytest.mark.django_db
def test_a_signed_out_page_links_to_sign_in(browser):
    page = browser.get("/api/auth/csrf", HTTP_ACCEPT=HTML)
    assert b'<a href="/api/auth/login">Sign in</a>' in page.content
    assert b'id="sign-out"' not in page.content


HARNESS = """
const handlers = [];
const calls = [];
globalThis.document = {
  addEventListener: (type, handler) => handlers.push(handler),
  getElementById: () => ({ textContent: JSON.stringify({
    csrfHeaderName: "X-CSRFTOKEN", csrfToken: "page-token" }) }),
};
globalThis.window = { location: { assign: (url) => calls.push(["navigate", url]) } };
globalThis.fetch = (url, options) => {
  calls.push(["fetch", url, options]);
  return Promise.resolve();
};
require(process.argv[2]);
const form = { id: "sign-out", action: "/api/auth/logout", dataset: { next: "/api/auth/login" } };
let prevented = false;
handlers.forEach((h) => h({ target: form, preventDefault: () => { prevented = true; } }));
setTimeout(() => console.log(JSON.stringify({ prevented, calls })), 0);
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_the_sign_out_script_posts_the_csrf_token_then_goes_to_sign_in(tmp_path):
    """A static file, since the pages' CSP runs no inline script; run here on a stub page."""
    script = finders.find("accounts/sign_out.js")
    harness = tmp_path / "harness.js"
    harness.write_text(HARNESS)
    done = subprocess.run(
        ["node", str(harness), script], capture_output=True, text=True, timeout=30, check=True
    )
    result = json.loads(done.stdout)
    assert result["prevented"]
    fetch, navigate = result["calls"]
    assert fetch == [
        "fetch",
        "/api/auth/logout",
        {"method": "POST", "credentials": "same-origin", "headers": {"X-CSRFTOKEN": "page-token"}},
    ]
    assert navigate == ["navigate", "/api/auth/login"]
