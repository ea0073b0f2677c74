"""Chunking: heading paths, anchors, code fences, passage sizes, overlap, tiny sections."""

import itertools
import re

from chatbot.chunking import (
    MAX_WORDS,
    MIN_WORDS,
    OVERLAP_WORDS,
    content_hash,
    search_text,
    slugify,
    split_markdown,
)


def sentences(prefix: str, count: int, words: int = 10) -> str:
    """Numbered sentences of ``words`` words each, so passages can be traced back."""
    filler = " ".join(["word"] * (words - 2))
    return " ".join(f"{prefix.capitalize()}{i} {filler} end." for i in range(count))


def test_heading_paths_and_anchors() -> None:
    doc = (
        "# Sensors and perception\n\n"
        f"{sentences('intro', 5)}\n\n"
        "## Sensing for balance\n\n"
        f"{sentences('balance', 5)}\n\n"
        "### The IMU's role: tilt & drift!\n\n"
        f"{sentences('imu', 5)}\n\n"
        "## Cameras ##\n\n"
        f"{sentences('camera', 5)}\n"
    )
    chunks = split_markdown(doc, file="02.md")
    assert [(c.heading_path, c.anchor) for c in chunks] == [
        (("Sensors and perception",), "sensors-and-perception"),
        (("Sensors and perception", "Sensing for balance"), "sensing-for-balance"),
        (
            ("Sensors and perception", "Sensing for balance", "The IMU's role: tilt & drift!"),
            "the-imus-role-tilt--drift",
        ),
        (("Sensors and perception", "Cameras"), "cameras"),
    ]
    assert [c.ordinal for c in chunks] == [0, 1, 2, 3]
    assert all(c.file == "02.md" for c in chunks)
    assert chunks[1].text.startswith("Balance0 ")


def test_slugify_follows_github() -> None:
    assert slugify("Sensing for balance") == "sensing-for-balance"
    assert slugify("Denavit-Hartenberg parameters") == "denavit-hartenberg-parameters"
    assert slugify("PID control (part 2)") == "pid-control-part-2"
    assert slugify("snake_case and `code`") == "snakecase-and-code"


def test_repeated_headings_get_suffixed_anchors() -> None:
    doc = "\n\n".join(f"## Summary\n\n{sentences(f's{i}x', 5)}" for i in range(3))
    assert [c.anchor for c in split_markdown(doc, file="f.md")] == [
        "summary",
        "summary-1",
        "summary-2",
    ]


def test_text_before_first_heading_has_empty_path() -> None:
    chunks = split_markdown(f"{sentences('pre', 6)}\n\n# Title\n\n{sentences('b', 6)}", file="f")
    assert (chunks[0].heading_path, chunks[0].anchor) == ((), "")
    assert chunks[0].text.startswith("Pre0")


def test_hash_inside_code_fence_is_not_a_heading() -> None:
    code = "```python\n# not a heading\n\nx = 1  # keep\n```"
    tilde = "~~~\n## also not a heading\n~~~"
    doc = f"# Real\n\n{sentences('a', 3)}\n\n{code}\n\n{tilde}\n\n{sentences('b', 3)}"
    chunks = split_markdown(doc, file="f.md")
    assert len(chunks) == 1
    assert chunks[0].heading_path == ("Real",)
    # The block survives verbatim, blank line and all.
    assert code in chunks[0].text
    assert tilde in chunks[0].text


def test_unclosed_fence_swallows_the_rest() -> None:
    doc = f"# A\n\n{sentences('a', 5)}\n\n```\n# B\ncode\n"
    assert {c.anchor for c in split_markdown(doc, file="f")} == {"a"}


def test_short_section_is_one_passage_verbatim() -> None:
    body = f"{sentences('one', 10)}\n\n{sentences('two', 10)}"
    chunks = split_markdown(f"## S\n\n{body}\n", file="f")
    assert [c.text for c in chunks] == [body]


def test_long_section_passages_are_bounded_overlapping_and_complete() -> None:
    body = "\n\n".join(sentences(f"p{p}s", 8) for p in range(13))  # 1,040 words
    chunks = split_markdown(f"## Long\n\n{body}", file="f")
    assert len(chunks) >= 4
    for chunk in chunks:
        assert MIN_WORDS <= len(chunk.text.split()) <= MAX_WORDS
        assert chunk.anchor == "long"
    for before, after in itertools.pairwise(chunks):
        first = after.text.split(" end.")[0] + " end."
        # The next passage opens with whole sentences from the end of the previous one.
        shared = before.text[before.text.index(first) :]
        assert after.text.startswith(shared)
        assert OVERLAP_WORDS <= len(shared.split()) <= 2 * OVERLAP_WORDS
    seen = [m for c in chunks for m in re.findall(r"P\d+s\d+", c.text)]
    assert sorted(set(seen), key=seen.index) == re.findall(r"P\d+s\d+", body)


def test_over_long_sentence_is_cut_at_max_words() -> None:
    chunks = split_markdown("## X\n\n" + " ".join(["w"] * 700), file="f")
    assert all(len(c.text.split()) <= MAX_WORDS for c in chunks)
    assert sum(len(c.text.split()) for c in chunks) >= 700


def test_tiny_section_keeps_its_anchor_and_borrows_following_context() -> None:
    doc = (
        "# Chapter\n\nA short tiny intro sentence.\n\n"
        f"## Next\n\n{sentences('next', 20)}\n\n"
        f"## Last\n\n{sentences('last', 20)}"
    )
    chunks = split_markdown(doc, file="f")
    tiny = chunks[0]
    assert tiny.anchor == "chapter"
    assert tiny.text.startswith("A short tiny intro sentence.")
    assert "## Next" in tiny.text
    assert MIN_WORDS <= len(tiny.text.split()) <= MAX_WORDS
    # The borrowed section still has its own passage, under its own anchor.
    assert [c.anchor for c in chunks] == ["chapter", "next", "last"]
    assert chunks[1].text.startswith("Next0")


def test_tiny_last_section_borrows_preceding_context() -> None:
    doc = f"## Body\n\n{sentences('body', 20)}\n\n## Coda\n\nJust four words here."
    chunks = split_markdown(doc, file="f")
    coda = chunks[-1]
    assert coda.anchor == "coda"
    assert coda.text.endswith("## Coda\n\nJust four words here.")
    assert len(coda.text.split()) >= MIN_WORDS


def test_heading_without_text_emits_nothing() -> None:
    chunks = split_markdown(f"# Book\n\n## Part\n\n{sentences('p', 6)}", file="f")
    assert [c.anchor for c in chunks] == ["part"]
    assert chunks[0].heading_path == ("Book", "Part")


def test_search_text_prefixes_the_heading_path() -> None:
    assert search_text(("Sensors", "Balance"), "Body.") == "Sensors\nBalance\nBody."


def test_content_hash_is_sha256_of_the_text() -> None:
    digest = content_hash("passage")
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert digest == content_hash("passage") != content_hash("passage.")
