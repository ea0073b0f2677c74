"""The one request body format the API reads: strict JSON, or a 400 `parse_error`.

Anything the parser lets through reaches serializers, error messages and the database, so
what would break them later (invalid UTF-8, lone surrogates, nesting deep enough to exhaust
the stack) is refused here."""

import json

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.utils.json import strict_constant

MAX_DEPTH = 32


class StrictJSONParser(JSONParser):
    """DRF's JSON parser, made to answer every malformed body with a 400; JSON is UTF-8
    whatever charset the Content-Type names."""

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode("utf-8")
            data = json.loads(text, parse_constant=strict_constant)
        except UnicodeDecodeError as exc:
            raise ParseError("The body is not valid UTF-8.", code="parse_error") from exc
        except RecursionError as exc:
            raise ParseError("JSON nested too deeply.", code="parse_error") from exc
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}", code="parse_error") from exc
        _check(data)
        return data


def _check(data: object) -> None:
    """Walk the document without recursion: depth bounded, every string valid Unicode."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict | list) and depth > MAX_DEPTH:
            raise ParseError(f"JSON nested deeper than {MAX_DEPTH} levels.", code="parse_error")
        if isinstance(value, dict):
            for key, item in value.items():
                _check_text(key)
                pending.append((item, depth + 1))
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)
        elif isinstance(value, str):
            _check_text(value)


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ParseError("JSON string holds a lone surrogate.", code="parse_error") from exc
