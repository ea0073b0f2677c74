"""One log line per request under its id, the id on every response and on every line the
request causes, a proxy's id believed only behind trusted proxies; JSON lines redacted."""

import io
import json
import logging
import re

import pytest
from django.test import Client

from core.log_format import JsonFormatter
from core.request_id import RequestIdFilter

pytestmark = pytest.mark.django_db

GENERATED = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def console():
    """What the project's own root handler writes (its formatter and filters), as text."""
    (handler,) = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def request_lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "core.request_log"]


def test_every_response_carries_a_new_request_id(client):
    answers = [
        client.get("/api/health/live"),
        client.get("/api/auth/me"),
        client.get("/no-such-page"),
        client.get("/metrics"),
    ]
    ids = [answer["X-Request-ID"] for answer in answers]
    assert all(GENERATED.fullmatch(i) for i in ids)
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("given", ["abc-123", "edge.proxy_1", "a" * 100, "F00-BA4"])
def test_a_trusted_proxy_s_id_is_kept(client, settings, given):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client.get("/api/health/live", HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given


@pytest.mark.parametrize(
    "given", ["", "a" * 101, "abc def", "abc\r\nX-Injected: 1", "é", "a/b", "<script>"]
)
def test_an_id_that_is_not_a_sane_id_is_replaced(client, settings, given):
    settings.TRUSTED_PROXY_COUNT = 1
    assert GENERATED.fullmatch(
        client.get("/api/health/live", HTTP_X_REQUEST_ID=given)["X-Request-ID"]
    )


def test_without_trusted_proxies_a_client_cannot_choose_its_id(client):
    answer = client.get("/api/health/live", HTTP_X_REQUEST_ID="chosen-by-the-client")
    assert GENERATED.fullmatch(answer["X-Request-ID"])


def test_one_line_per_request_with_route_name_status_duration_and_user(signed_in, user, caplog):
    path = f"/api/auth/sessions/{'1' * 8}-1111-1111-1111-{'1' * 12}"
    with caplog.at_level(logging.INFO, logger="core.request_log"):
        answer = signed_in.delete(path)
        anonymous = Client().get("/api/health/live")
    assert answer.status_code == 404
    first, second = request_lines(caplog)
    assert (first.method, first.route, first.status) == ("DELETE", "auth-session-detail", 404)
    assert first.user_id == str(user.pk) and first.duration_ms >= 0
    assert first.request_id == answer["X-Request-ID"]
    assert "1111" not in first.getMessage()  # the route's name, never the path with its ids
    assert (second.route, second.status, second.user_id) == ("health-live", 200, None)
    assert second.request_id == anonymous["X-Request-ID"]


def test_the_request_id_is_on_the_audit_and_error_lines_of_that_request(api, user, console):
    answer = api.post("/api/auth/login", {"email": user.email, "password": "wrong"})
    missing = api.get("/api/no-such-route")
    request_id, other_id = answer["X-Request-ID"], missing["X-Request-ID"]
    lines = console.getvalue().splitlines()
    audit = [line for line in lines if " accounts.audit " in line]
    assert len(audit) == 1 and f"[{request_id}]" in audit[0] and "sign_in_failed" in audit[0]
    (logged,) = [line for line in lines if " core.request_log " in line and request_id in line]
    assert "POST auth-login 401" in logged
    (warning,) = [line for line in lines if " django.request " in line and "Not Found" in line]
    assert f"[{other_id}]" in warning
    # Outside a request (after it), lines say so rather than reuse the last id.
    logging.getLogger("core.tests").warning("between requests")
    assert "[-] between requests" in console.getvalue()


def test_tokens_stay_out_of_the_request_log(client, console):
    client.get("/api/auth/oauth/google/callback?code=c&state=s&access_token=SECRET123")
    client.get("/verify-email?token=SECRET456")
    assert "SECRET" not in console.getvalue()


def test_json_lines_redact_every_field_not_only_the_message():
    """Django's request warning carries the request, query string included, as an extra."""
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found: %s",
                               ("/x?token=SECRET1",), None)  # fmt: skip
    record.request = "<WSGIRequest: GET '/x?token=SECRET2&a=1'>"
    record.status_code = 404
    RequestIdFilter().filter(record)
    formatter = JsonFormatter("{asctime}{levelname}{name}{request_id}{message}", style="{")
    line = formatter.format(record)
    body = json.loads(line)
    assert "SECRET" not in line
    assert body["request"] == "<WSGIRequest: GET '/x?token=[redacted]&a=1'>"
    assert (body["status_code"], body["request_id"]) == (404, "-")
