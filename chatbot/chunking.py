"""Split Markdown into heading-aware passages of a size that retrieval and citation both suit."""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass

MAX_WORDS = 300
# A long section is cut into passages of about this many new words each (plus the overlap).
TARGET_WORDS = 220
OVERLAP_WORDS = 30
# A section shorter than this is widened with neighbouring text up to MIN_WORDS.
TINY_SECTION_WORDS = 40
MIN_WORDS = 100

_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
# Sentence ends (optionally inside a closing quote/bracket) or a line that starts a list item.
_UNIT_BREAK = re.compile(
    r"(?:(?<=[.!?])|(?<=[.!?][\"')\]]))([ \t\n]+)(?=[\"'(\[]?[A-Z0-9])"
    r"|(\n)(?=[ \t]*(?:[-*+]|\d+[.)])[ \t])"
)


@dataclass(frozen=True, slots=True)
class Chunk:
    """One retrievable passage and where in the book it is."""

    file: str
    heading_path: tuple[str, ...]
    anchor: str
    text: str
    ordinal: int


@dataclass(frozen=True, slots=True)
class _Unit:
    """A sentence, list item, code block or heading line, with the whitespace before it."""

    text: str
    sep: str
    words: int
    heading: bool = False


@dataclass(frozen=True, slots=True)
class _Section:
    """A heading's own body: units[start:end] of the document."""

    path: tuple[str, ...]
    anchor: str
    start: int
    end: int


def content_hash(text: str) -> str:
    """SHA-256 of a file's text, so re-ingesting an unchanged file is a no-op."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def search_text(heading_path: tuple[str, ...], text: str) -> str:
    """What to index for a passage: headings name its topic even when the body never does."""
    return "\n".join([*heading_path, text])


def slugify(heading: str) -> str:
    """GitHub-style anchor: lower-case, keep letters/digits/spaces/hyphens, spaces to hyphens."""
    kept = re.sub(r"[^\w\- ]|_", "", heading.strip().lower())
    return kept.replace(" ", "-")


def split_markdown(text: str, *, file: str) -> list[Chunk]:
    """Cut a Markdown document into passages, each cited by the anchor of the text it holds.

    A section under TINY_SECTION_WORDS still gets its own passage under its own anchor (a
    question may be about just that section), widened with the text after it, or before it at
    the end of the file; that borrowed text keeps its own passages and anchors too.
    """
    units, sections = _parse(text)
    chunks: list[Chunk] = []
    for section in sections:
        words = _words(units, section.start, section.end)
        if words == 0:
            continue
        if words < TINY_SECTION_WORDS:
            spans = [_widen(units, section.start, section.end)]
        else:
            spans = _pack(units, section.start, section.end)
        for start, end in spans:
            chunks.append(
                Chunk(file, section.path, section.anchor, _render(units[start:end]), len(chunks))
            )
    return chunks


def _parse(text: str) -> tuple[list[_Unit], list[_Section]]:
    """Turn the document into one unit list and the sections that slice it."""
    units: list[_Unit] = []
    sections: list[_Section] = []
    stack: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    path: tuple[str, ...] = ()
    anchor = ""
    start = 0
    for block, heading in _blocks(text):
        if heading is None:
            units.extend(_split_block(block))
            continue
        sections.append(_Section(path, anchor, start, len(units)))
        level, title = heading
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, title))
        path = tuple(t for _, t in stack)
        anchor = _unique(slugify(title), seen)
        units.append(_Unit(block, "\n\n", len(block.split()), heading=True))
        start = len(units)
    sections.append(_Section(path, anchor, start, len(units)))
    return units, sections


def _blocks(text: str) -> list[tuple[str, tuple[int, str] | None]]:
    """Paragraphs, whole fenced code blocks and headings (with level and plain title)."""
    blocks: list[tuple[str, tuple[int, str] | None]] = []
    lines: list[str] = []
    fence = ""

    def flush() -> None:
        if any(line.strip() for line in lines):
            blocks.append(("\n".join(lines).strip("\n"), None))
        lines.clear()

    for line in text.splitlines():
        if fence:
            lines.append(line)
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = ""
                flush()
            continue
        opening = _FENCE.match(line)
        heading = _HEADING.match(line)
        if opening:
            flush()
            fence = opening.group(1)
            lines.append(line)
        elif heading:
            flush()
            title = _LINK.sub(r"\1", heading.group(2) or "").strip()
            blocks.append((line.strip(), (len(heading.group(1)), title)))
        elif not line.strip():
            flush()
        else:
            lines.append(line)
    flush()
    return blocks


def _split_block(block: str) -> list[_Unit]:
    """Split prose into sentences/list items; code stays whole; nothing exceeds MAX_WORDS."""
    if _FENCE.match(block):
        pieces = [block]
        seps = ["\n\n"]
    else:
        parts = _UNIT_BREAK.split(block)
        # re.split interleaves the text with both capture groups, one of which is None.
        pieces = parts[0::3]
        seps = ["\n\n"] + [a or b for a, b in zip(parts[1::3], parts[2::3], strict=True)]
    units: list[_Unit] = []
    for piece, sep in zip(pieces, seps, strict=True):
        units.extend(_cap(piece, sep))
    return units


def _cap(text: str, sep: str) -> list[_Unit]:
    """Cut an over-long unit at whitespace, keeping its line breaks (code, tables)."""
    tokens = re.findall(r"\S+\s*", text)
    if len(tokens) <= MAX_WORDS:
        return [_Unit(text, sep, len(tokens))]
    pieces = ["".join(tokens[i : i + MAX_WORDS]) for i in range(0, len(tokens), MAX_WORDS)]
    return [
        _Unit(p.rstrip(), sep if i == 0 else "\n", len(p.split())) for i, p in enumerate(pieces)
    ]


def _unique(slug: str, seen: dict[str, int]) -> str:
    """GitHub's suffixing of repeated anchors in one file (foo, foo-1, foo-2)."""
    count = seen.get(slug, 0)
    seen[slug] = count + 1
    return slug if count == 0 else f"{slug}-{count}"


def _words(units: list[_Unit], start: int, end: int) -> int:
    """Word count of units[start:end]."""
    return sum(u.words for u in units[start:end])


def _pack(units: list[_Unit], start: int, end: int) -> list[tuple[int, int]]:
    """Even passages over one section, each starting with ~OVERLAP_WORDS of the previous one."""
    spans: list[tuple[int, int]] = []
    begin = fresh_from = start
    while fresh_from < end:
        remaining = _words(units, fresh_from, end)
        fits = _words(units, begin, end) <= MAX_WORDS
        goal = remaining if fits else remaining / math.ceil(remaining / TARGET_WORDS)
        stop, fresh = fresh_from, 0
        while stop < end:
            size = _words(units, begin, stop) + units[stop].words
            closer = abs(fresh + units[stop].words - goal) <= abs(fresh - goal)
            if fresh and (size > MAX_WORDS or not closer):
                break
            if size > MAX_WORDS:
                # The overlap plus one unit would be too long: drop the overlap.
                begin = stop
            fresh += units[stop].words
            stop += 1
        spans.append((begin, stop))
        begin, fresh_from = _overlap_start(units, begin, stop), stop
    return spans


def _overlap_start(units: list[_Unit], start: int, end: int) -> int:
    """First unit of the whole-unit tail of a passage carried into the next one."""
    words = 0
    cut = end
    # Whole units only, and at most twice the target, so a long code block is not repeated.
    while cut > start + 1 and words < OVERLAP_WORDS:
        if words + units[cut - 1].words > 2 * OVERLAP_WORDS:
            break
        words += units[cut - 1].words
        cut -= 1
    return cut


def _widen(units: list[_Unit], start: int, end: int) -> tuple[int, int]:
    """Give a tiny section the text after it (or else before it) as context, up to MIN_WORDS."""
    while end < len(units) and _words(units, start, end + 1) <= MAX_WORDS:
        if _words(units, start, end) >= MIN_WORDS:
            break
        end += 1
    while start > 0 and _words(units, start - 1, end) <= MAX_WORDS:
        if _words(units, start, end) >= MIN_WORDS:
            break
        start -= 1
    # A heading line at the very end would introduce nothing.
    if end - 1 > start and units[end - 1].heading:
        end -= 1
    return start, end


def _render(units: list[_Unit]) -> str:
    """Join units with their original separators; heading lines stay Markdown headings."""
    return "".join(u.sep + u.text for u in units).strip()
