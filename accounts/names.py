"""Display names: one line, no control or format characters, bounded. A name is shown to the
people the account mails, so a multi-line one could write its own text into those mails."""

import unicodedata

from rest_framework import serializers

NAME_MAX_LENGTH = 100

# Control (Cc), format (Cf: bidi overrides, zero-width characters), line and paragraph
# separators (Zl, Zp): each can break a name out of its line or disguise what it says.
FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})


def _forbidden(character: str) -> bool:
    return unicodedata.category(character) in FORBIDDEN_CATEGORIES


def name_validate(value: str) -> None:
    if any(_forbidden(c) for c in value):
        message = "A name is one line of text, without control characters."
        raise serializers.ValidationError(message, code="invalid")


def name_clean(value: str) -> str:
    """A provider's name made acceptable rather than refused: the sign-in must not fail."""
    cleaned = "".join(" " if _forbidden(c) else c for c in value)
    return " ".join(cleaned.split())[:NAME_MAX_LENGTH]
