"""LOG_FORMAT=json: one JSON object per record, for a log collector. A record's extra fields
are written too (Django's `request`, with its query string), so each value is redacted, not
only the message the redaction filter cleans."""

from typing import Any

from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

from core.redaction import redact_tokens

_PLAIN = (bool, int, float, type(None))


class JsonFormatter(BaseJsonFormatter):
    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        return {
            key: value if isinstance(value, _PLAIN) else redact_tokens(str(value))
            for key, value in log_data.items()
        }
