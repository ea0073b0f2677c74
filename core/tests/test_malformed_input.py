"""Malformed requests found by attacking the running service: each answered 500 once."""

import io
import json

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from accounts.tests.helpers import PASSWORD


@pytest.fixture
def raw() -> APIClient:
    """A client that gets the 500 response instead of the test seeing the exception."""
    return APIClient(raise_request_exception=False)


def assert_client_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert "Traceback" not in response.content.decode()
    if code is not None:
        assert body["code"] == code
    return body


def send(client: APIClient, method: str, path: str, body: bytes, **extra):
    return client.generic(method, path, body, content_type="application/json", **extra)


@pytest.mark.django_db
def test_a_json_array_body_on_oauth_begin_is_a_400(raw):
    response = send(raw, "GET", "/api/auth/oauth/github", b"[1, 2]")
    assert_client_error(response, 400, "invalid")


@pytest.mark.django_db
def test_options_on_the_docs_page_is_a_json_405(raw):
    response = raw.options("/api/docs")
    assert_client_error(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/auth/register", "/api/auth/login"])
def test_a_lone_surrogate_is_a_parse_error(raw, path):
    body = json.dumps({"email": "a@example.com", "password": PASSWORD, "transport": "\ud800"})
    assert "\\ud800" in body
    assert_client_error(send(raw, "POST", path, body.encode()), 400, "parse_error")


@pytest.mark.django_db
def test_a_lone_surrogate_in_a_key_is_a_parse_error(raw):
    body = b'{"email": "a@example.com", "\\udfff": 1}'
    assert_client_error(send(raw, "POST", "/api/auth/login", body), 400, "parse_error")


@pytest.mark.django_db
def test_a_body_over_the_upload_limit_is_a_413(raw):
    size = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024
    body = json.dumps({"email": "a@example.com", "password": "x" * size}).encode()
    assert_client_error(send(raw, "POST", "/api/auth/login", body), 413, "payload_too_large")


@pytest.mark.django_db
@pytest.mark.parametrize("depth", [40, 1_000, 100_000])
def test_deeply_nested_json_is_a_parse_error(raw, depth):
    body = b"[" * depth + b"]" * depth
    assert_client_error(send(raw, "POST", "/api/auth/login", body), 400, "parse_error")


@pytest.mark.django_db
def test_nesting_within_the_limit_is_parsed(raw):
    body = json.dumps({"email": [[["a"]]], "password": PASSWORD}).encode()
    body_of = assert_client_error(send(raw, "POST", "/api/auth/login", body), 400, "invalid")
    assert "email" in body_of


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body", [b'{"email": "\xff\xfe"}', b'{"email": "\xed\xa0\x80"}', b"\xef\xbb\xbf{}"]
)
def test_invalid_utf8_is_a_parse_error(raw, body):
    assert_client_error(send(raw, "POST", "/api/auth/login", body), 400, "parse_error")


@pytest.mark.django_db
@pytest.mark.parametrize("value", [b"NaN", b"Infinity", b"1" * 5000])
def test_non_json_numbers_are_a_parse_error(raw, value):
    body = b'{"email": ' + value + b"}"
    assert_client_error(send(raw, "POST", "/api/auth/login", body), 400, "parse_error")


@pytest.mark.django_db
def test_a_multipart_body_with_many_fields_on_onboarding_is_refused(signed_in):
    signed_in.raise_request_exception = False
    fields = {f"field{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = signed_in.put("/api/onboarding", fields, format="multipart")
    assert_client_error(response, 415, "unsupported_media_type")


@pytest.mark.django_db
def test_a_multipart_body_with_many_files_on_onboarding_is_refused(signed_in):
    signed_in.raise_request_exception = False
    files = {f"file{i}": io.BytesIO(b"x") for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)}
    response = signed_in.put("/api/onboarding", files, format="multipart")
    assert_client_error(response, 415, "unsupported_media_type")


@pytest.mark.django_db
def test_a_form_body_is_refused_where_json_is_the_contract(raw):
    response = raw.post("/api/auth/login", {"email": "a@example.com"}, format="multipart")
    assert_client_error(response, 415, "unsupported_media_type")


@pytest.mark.django_db
def test_too_many_query_parameters_are_a_400(signed_in):
    signed_in.raise_request_exception = False
    query = "&".join(f"p{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    assert_client_error(signed_in.get(f"/api/auth/events?{query}"), 400, "bad_request")


@pytest.mark.django_db
def test_json_still_works(raw, user):
    response = raw.post("/api/auth/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 200


@pytest.mark.django_db
def test_oauth_begin_takes_a_browser_form_but_not_a_flood_of_fields(raw):
    form = "application/x-www-form-urlencoded"
    response = raw.generic("POST", "/api/auth/oauth/github", "link=maybe", content_type=form)
    assert_client_error(response, 400, "invalid")
    fields = "&".join(f"f{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = raw.generic("POST", "/api/auth/oauth/github", fields, content_type=form)
    assert_client_error(response, 400, "bad_request")
