"""What the OpenAPI document promises without running it (the served run in
test_openapi_contract.py checks the promises against real answers)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

UNSAFE = {"post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return Client().get("/api/schema", HTTP_ACCEPT="application/json").json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def body_schema(schema, path, method, status, media_type="application/json"):
    ref = schema["paths"][path][method]["responses"][status]["content"][media_type]["schema"]
    return schema["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]


def test_every_operation_documents_its_errors_in_the_error_shape(schema):
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        assert {"400", "503"} <= set(responses), (method, path)
        if {} not in operation["security"]:
            assert "401" in responses, (method, path)
        if method in UNSAFE and operation["security"] != [{}]:
            assert "403" in responses, (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        if "requestBody" in operation:
            assert {"413", "415"} <= set(responses), (method, path)
    # Logout clears whatever it is sent, and reading is never refused.
    assert "401" not in schema["paths"]["/api/auth/logout"]["post"]["responses"]
    assert "403" not in schema["paths"]["/api/auth/me"]["get"]["responses"]
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"detail", "code"}
    assert schema["components"]["schemas"]["ValidationError"]["required"] == ["code"]


def test_waits_are_announced_on_429_and_503_but_not_on_the_health_report(schema):
    login = schema["paths"]["/api/auth/login"]["post"]["responses"]
    assert "Retry-After" in login["429"]["headers"] and "Retry-After" in login["503"]["headers"]
    assert "headers" not in schema["paths"]["/api/health"]["get"]["responses"]["503"]


def test_sign_ins_answer_user_and_session_and_a_token_only_when_asked(schema):
    components = schema["components"]["schemas"]
    signed_in = components["SignedIn"]
    assert set(signed_in["properties"]) == {"user", "session", "token"}
    assert set(signed_in["required"]) == {"user", "session"}
    for path, status in [("/api/auth/register", "201"), ("/api/auth/mfa/verify", "200")]:
        assert body_schema(schema, path, "post", status) is signed_in
    # A login may instead answer that the second factor is due (no session yet).
    login = body_schema(schema, "/api/auth/login", "post", "200")["oneOf"]
    assert [ref["$ref"] for ref in login] == [
        "#/components/schemas/SignedIn",
        "#/components/schemas/MfaRequired",
    ]
    assert set(components["MfaRequired"]["required"]) == {"mfa_required", "mfa_token", "methods"}
    responses = schema["paths"]["/api/auth/register"]["post"]["responses"]
    assert {"202", "409", "429"} <= set(responses)
    assert {"401", "429"} <= set(schema["paths"]["/api/auth/login"]["post"]["responses"])


def test_lists_are_the_wrapped_objects_the_views_return(schema):
    assert set(body_schema(schema, "/api/auth/me", "get", "200")["properties"]) == {"user"}
    for path, key in [
        ("/api/auth/sessions", "sessions"),
        ("/api/auth/accounts", "accounts"),
        ("/api/auth/events", "events"),
    ]:
        assert body_schema(schema, path, "get", "200")["properties"][key]["type"] == "array"
    for path in ["/api/conversations", "/api/conversations/{conversation_id}/messages"]:
        page = body_schema(schema, path, "get", "200")
        assert {"count", "next", "previous", "results"} <= set(page["properties"])
        names = {p["name"] for p in schema["paths"][path]["get"]["parameters"]}
        assert {"page", "page_size"} <= names


def test_the_chat_stream_is_declared_as_server_sent_events(schema):
    chat = schema["paths"]["/api/chat"]["post"]["responses"]["200"]["content"]
    assert set(chat) == {"application/json", "text/event-stream"}
    asked = schema["paths"]["/api/conversations/{conversation_id}/messages"]["post"]
    assert set(asked["responses"]["200"]["content"]) == {"text/event-stream"}
    event = body_schema(schema, "/api/chat", "post", "200", "text/event-stream")
    assert set(event["properties"]) == {"event", "data"}


def test_a_session_is_a_bearer_token_or_the_cookie_with_its_csrf_header(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {**schemes["bearerAuth"], "type": "http", "scheme": "bearer"}
    assert (schemes["cookieAuth"]["in"], schemes["cookieAuth"]["name"]) == (
        "cookie",
        "session_token",
    )
    assert (schemes["csrfToken"]["in"], schemes["csrfToken"]["name"]) == ("header", "X-CSRFToken")
    me = schema["paths"]["/api/auth/me"]
    assert me["get"]["security"] == [{"bearerAuth": []}, {"cookieAuth": []}]
    assert me["patch"]["security"] == [{"bearerAuth": []}, {"cookieAuth": [], "csrfToken": []}]


def test_the_main_flows_carry_examples(schema):
    for path in ["/api/auth/register", "/api/auth/login", "/api/chat"]:
        operation = schema["paths"][path]["post"]
        assert operation["requestBody"]["content"]["application/json"]["examples"], path
    login = schema["paths"]["/api/auth/login"]["post"]["responses"]["200"]["content"]
    assert login["application/json"]["examples"]
