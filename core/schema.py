"""The errors every operation can answer, in the OpenAPI document: a view declares the ones its
service raises (409, 429, ...); the hook adds those that come from the plumbing around it."""

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

UNSAFE = {"post", "put", "patch", "delete"}


class ErrorSerializer(serializers.Serializer):
    """Every error but a validation failure: a sentence for people, a code for programs."""

    detail = serializers.CharField()
    code = serializers.CharField()


class DetailSerializer(serializers.Serializer):
    """A success that only has something to say."""

    detail = serializers.CharField()


DESCRIPTIONS = {
    400: "Malformed or invalid body or query: a ValidationError (the fields' messages and"
    ' code "invalid") or an Error (code "bad_request", "parse_error", ...).',
    401: 'No valid session (code "not_authenticated", "session_expired", ...).',
    403: 'Refused: a cookie session without its CSRF token (code "csrf_failed"), a browser'
    ' post from an untrusted origin (code "origin_not_trusted"), or an action this account may'
    " not take.",
    404: "No such object, or not yours.",
    409: "Conflicts with the account's state (e.g. the address is taken).",
    413: 'Body too large (code "payload_too_large").',
    415: 'Only application/json bodies are read (code "unsupported_media_type").',
    429: 'Too many attempts (code "rate_limited"); Retry-After says when to try again.',
    503: 'The database or the cache could not be reached in time (code "unavailable"); a'
    " rate-limited route refuses rather than allow unlimited attempts. Retry-After says when"
    " to try again.",
}
RETRY_AFTER = {
    "Retry-After": {
        "schema": {"type": "integer"},
        "description": "Seconds to wait before trying again.",
    }
}
HEADERS = {
    "401": {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "Bearer."}},
    "429": RETRY_AFTER,
    "503": RETRY_AFTER,
}


# Sensitive actions confirm the password, or a recent sign-in where the account has none.
REAUTH = (
    'Wrong password (code "invalid_password"), or a session too old to act without one'
    ' (code "session_not_fresh"); or a cookie session without its CSRF token.'
)
# The same, and with two-factor on, the code it also takes.
STEP_UP = (
    f'{REAUTH} With two-factor on: no code (code "mfa_required"), or a wrong or used one'
    ' (code "invalid_code").'
)


def errors(*statuses: int, **descriptions: str) -> dict[int, OpenApiResponse]:
    """The Error answers a view declares; `s409="..."` overrides a description."""
    return {
        status: OpenApiResponse(
            ErrorSerializer, description=descriptions.get(f"s{status}", DESCRIPTIONS[status])
        )
        for status in statuses
    }


# Its field messages sit under the field names, beside "code"; a list of them, or an object
# for nested fields (a list's items by index).
VALIDATION_ERROR = {
    "type": "object",
    "description": 'Field name to its messages, and "code": "invalid"; "non_field_errors" or'
    ' "detail" holds the messages about the whole body.',
    "properties": {"code": {"type": "string", "enum": ["invalid"]}},
    "required": ["code"],
    "additionalProperties": {"oneOf": [{"type": "array", "items": {}}, {"type": "object"}]},
}
ERROR_REF = {"$ref": "#/components/schemas/Error"}
ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
    "required": ["detail", "code"],
}


def _error(status: int, schema: dict) -> dict:
    return {
        "description": DESCRIPTIONS[status],
        "content": {"application/json": {"schema": schema}},
    }


def _statuses(path: str, method: str, operation: dict) -> list[int]:
    """What the plumbing can answer on this operation, whatever its view does."""
    security = operation.get("security", [])
    protected = bool(security) and {} not in security
    found = [400, 503]  # 503: any route needs the database
    if protected:
        found.append(401)
    # A cookie session's CSRF check, or the origin check of the public routes that take a body
    # (sign-in and the emailed links); reading is never refused.
    if method in UNSAFE and (security != [{}] or "requestBody" in operation):
        found.append(403)
    parameters = {parameter.get("name") for parameter in operation.get("parameters", [])}
    if "{" in path or "page" in parameters:
        found.append(404)  # no such object, or a page past the last one
    if "requestBody" in operation:
        found += [413, 415]
    return found


def error_responses(result: dict, generator, request, public: bool) -> dict:
    """Postprocessing hook: the plumbing's error answers on every /api/ operation."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["ValidationError"] = VALIDATION_ERROR
    schemas.setdefault("Error", ERROR_SCHEMA)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status in _statuses(path, method, operation):
                if status == 400:
                    schema = {
                        "anyOf": [{"$ref": "#/components/schemas/ValidationError"}, ERROR_REF]
                    }
                    responses.setdefault("400", _error(400, schema))
                else:
                    responses.setdefault(str(status), _error(status, ERROR_REF))
            for status, headers in HEADERS.items():
                if _is_error(responses.get(status)):
                    responses[status].setdefault("headers", headers)
    return result


def _is_error(response: dict | None) -> bool:
    """An Error answer (the health check's 503 is its own report, without Retry-After)."""
    content = (response or {}).get("content", {}).get("application/json", {})
    return content.get("schema") == ERROR_REF
