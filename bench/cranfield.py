"""The Cranfield collection: 1,400 aerodynamics abstracts, 225 queries and graded qrels."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

# Beside the repository, where the shared data sets live.
DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "cranfield"


@dataclass(frozen=True)
class Collection:
    """Documents to index and queries with their relevant document positions and grades."""

    texts: list[str]
    queries: list[str]
    qrels: list[dict[int, int]]


def _field(doc: str, tag: str) -> str:
    """One element's text, whitespace collapsed (the XML files have no root element)."""
    match = re.search(rf"<{tag}>(.*?)</{tag}>", doc, re.S)
    return " ".join(html.unescape(match.group(1)).split()) if match else ""


def cranfield_docs(folder: Path) -> list[tuple[str, str, str]]:
    """(docno, title, text) of each abstract."""
    raw = (folder / "cran.all.1400.xml").read_text(encoding="utf-8")
    return [
        (_field(d, "docno"), _field(d, "title"), _field(d, "text"))
        for d in re.findall(r"<doc>(.*?)</doc>", raw, re.S)
    ]


def load_cranfield(folder: Path) -> Collection:
    """Cranfield with qrels keyed by query position (1-225), as its README says."""
    docs = cranfield_docs(folder)
    position = {docno: i for i, (docno, _, _) in enumerate(docs)}
    # Title + text, as the collection's README says: <text> already opens with the title, so
    # title words count twice, the usual field boost; both retrievers see the same string.
    texts = [f"{title} {text}".strip() for _, title, text in docs]
    raw_queries = (folder / "cran.qry.xml").read_text(encoding="utf-8")
    queries = [_field(q, "title") for q in re.findall(r"<top>(.*?)</top>", raw_queries, re.S)]
    qrels: list[dict[int, int]] = [{} for _ in queries]
    for line in (folder / "cranqrel.trec.txt").read_text(encoding="utf-8").splitlines():
        qid, _, docno, rel = line.split()
        if int(rel) > 0:
            qrels[int(qid) - 1][position[docno]] = int(rel)
    return Collection(texts, queries, qrels)
