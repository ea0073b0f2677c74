"""A generated attack on every /api/ route: malformed bodies, headers and query strings must
answer a 4xx JSON error (or succeed), never a 5xx and never an HTML page."""

import json
import re
from urllib.parse import quote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from accounts.tests.factories import AuthSessionFactory

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
# Names the API's serializers read, so that wrong types reach them and not only unknown keys.
FIELDS = [
    "email", "password", "name", "remember", "transport", "token", "new_password",
    "current_password", "revoke_other_sessions", "new_email", "code", "mfa_token", "next",
    "link", "role", "interests", "completed_steps", "completed", "title", "content",
    "question", "conversation_id", "q", "k", "limit", "page",
]  # fmt: skip
EXAMPLES_PER_ROUTE = 12

latin1 = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=60)
json_scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
crafted_bodies = st.sampled_from(
    [
        b'{"transport": "\\ud800", "email": "a@example.com", "password": "x"}',
        b'{"\\udfff": 1}',
        b'{"email": "\xff\xfe"}',
        b"[" * 2_000 + b"]" * 2_000,
        b'{"a":' * 50 + b"1" + b"}" * 50,
        b'{"k": ' + b"9" * 5_000 + b"}",
        b'{"k": NaN}',
        b"\xef\xbb\xbf{}",
        b'--x\r\nContent-Disposition: form-data; name="role"\r\n\r\nab\r\n--x--',
        b"&".join(b"f%d=1" % i for i in range(1_200)),
        b"",
        b"null",
    ]
)
bodies = (
    json_values.map(lambda value: json.dumps(value).encode())
    | json_values.map(
        lambda value: json.dumps(value, ensure_ascii=False).encode("utf-8", "replace")
    )
    | st.binary(max_size=120)
    | crafted_bodies
)
content_types = (
    st.sampled_from(
        [
            "application/json",
            "application/json; charset=latin-1",
            "application/json; charset=bogus",
            "text/plain",
            "multipart/form-data",
            "multipart/form-data; boundary=x",
            "application/x-www-form-urlencoded",
            "",
        ]
    )
    | latin1
)
query_strings = st.one_of(
    st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), st.text(max_size=20)).map(
        lambda q: "&".join(f"{quote(k)}={quote(v)}" for k, v in q.items())
    ),
    st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=40),
    st.sampled_from(
        ["%ED%A0%80=1", "k=%FF%FE", "limit=-1", "k=99999999999999999999", "q=" + "a" * 3000]
    ),
)
headers = st.fixed_dictionaries(
    {},
    optional={
        "HTTP_AUTHORIZATION": st.sampled_from(["Bearer ", "Bearer \x00", "Basic eA=="]) | latin1,
        "HTTP_ORIGIN": st.sampled_from(["null", "http://evil.example", "http://localhost:3000"])
        | latin1,
        "HTTP_REFERER": latin1,
        "HTTP_X_FORWARDED_FOR": latin1,
        "HTTP_IDEMPOTENCY_KEY": latin1,
        "HTTP_COOKIE": latin1.map(lambda v: f"session_token={v}; csrftoken={v}"),
        "HTTP_X_CSRFTOKEN": latin1,
        "HTTP_ACCEPT": st.sampled_from(["application/json", "*/*", "application/xml"]) | latin1,
        "HTTP_USER_AGENT": latin1,
        "HTTP_RANGE": latin1,
    },
)
path_values = {
    "uuid": st.uuids().map(str),
    "str": st.sampled_from(["google", "github", "x", "%ff", "..", "a" * 300]),
}


def api_routes() -> list[str]:
    """Every URL pattern under /api/, its converters left in: api/auth/sessions/<uuid:id>."""
    found = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and route.startswith("api/"):
                found.append(route)

    walk(get_resolver().url_patterns, "")
    return sorted(found)


def concrete_paths(route: str) -> st.SearchStrategy[str]:
    parts = re.split(r"<(\w+):\w+>", route)
    strategies = [
        path_values[part] if index % 2 else st.just(part) for index, part in enumerate(parts)
    ]
    suffix = st.sampled_from(["", "", "", "/", "/x", "%00", ";a=b"])  # mostly the route itself
    return st.tuples(*strategies, suffix).map(lambda pieces: "/" + "".join(pieces))


def assert_json_error_or_success(method: str, response) -> None:
    assert response.status_code < 500, (method, response.status_code, response.content[:300])
    if response.status_code < 400:
        return
    content_type = response.get("Content-Type", "")
    assert content_type.startswith("application/json"), (response.status_code, content_type)
    if method != "HEAD":
        body = response.json()
        assert isinstance(body, dict)
        assert "code" in body


@pytest.mark.parametrize("route", api_routes())
@pytest.mark.django_db
def test_every_route_answers_malformed_requests_with_a_json_4xx(route, user):
    client = APIClient(raise_request_exception=False)

    @settings(
        max_examples=EXAMPLES_PER_ROUTE,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        path=concrete_paths(route),
        method=st.sampled_from(METHODS),
        body=bodies,
        content_type=content_types,
        query=query_strings,
        extra=headers,
        signed_in=st.booleans(),
    )
    def attack(path, method, body, content_type, query, extra, signed_in):
        if signed_in:
            token = AuthSessionFactory(user=user).token
            extra = {**extra, "HTTP_AUTHORIZATION": f"Bearer {token}"}
        target = f"{path}?{query}" if query else path
        response = client.generic(method, target, body, content_type=content_type, **extra)
        assert_json_error_or_success(method, response)

    attack()


def test_the_battery_covers_the_api():
    routes = api_routes()
    assert len(routes) >= 25
    assert {"api/auth/login", "api/onboarding", "api/docs", "api/chat"} <= set(routes)
    assert "api/auth/sessions/<uuid:session_id>" in routes
