"""Keep tokens out of the logs: request lines and messages lose their `token` values."""

import logging
import re

# token=..., access_token=..., refresh_token=... in query strings and form bodies.
_TOKEN_PARAMETER = re.compile(r"((?:^|[?&;\s\"'])[\w-]*token=)[^&;\s\"']+", re.IGNORECASE)
REDACTED = "[redacted]"


def redact_tokens(text: str) -> str:
    return _TOKEN_PARAMETER.sub(rf"\1{REDACTED}", text)


class RedactTokensFilter(logging.Filter):
    """Rewrite the record in place, so every handler after this filter sees the clean text."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact_tokens(message)
        if clean != message:
            record.msg, record.args = clean, None
        return True
