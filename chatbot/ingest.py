"""Load a folder of Markdown into passages: skip what is unchanged, replace a file atomically."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.db import transaction

from chatbot.chunking import Chunk, content_hash, search_text, split_markdown
from chatbot.corpus_version import corpus_version_bump
from chatbot.embeddings import MODEL_ID
from chatbot.models import BookFile, Passage
from chatbot.retrieval.dense import TextEmbedder


@dataclass
class IngestReport:
    """What an ingest did, file by relative path."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    passages: int = 0


def book_files(root: Path) -> list[Path]:
    """The Markdown files under ``root``, in book order (by path)."""
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*.md") if p.is_file())


def _up_to_date(record: BookFile | None, digest: str, embedder: TextEmbedder | None) -> bool:
    """Same text, and vectors of the current model wherever a model is there to make them."""
    if record is None or record.content_hash != digest:
        return False
    if embedder is None:
        return True
    return not record.passages.exclude(embedding_model=MODEL_ID).exists()


def _embed(chunks: list[Chunk], embedder: TextEmbedder | None) -> list[bytes | None]:
    """Vectors of what the index searches (headings + text), or None without a model."""
    if embedder is None or not chunks:
        return [None] * len(chunks)
    vectors = embedder.embed([search_text(c.heading_path, c.text) for c in chunks])
    return [np.asarray(v, dtype="<f4").tobytes() for v in vectors]


@transaction.atomic
def book_file_replace(
    *, name: str, digest: str, chunks: list[Chunk], vectors: list[bytes | None]
) -> BookFile:
    """Swap a file's passages in one commit, so searches see all the old ones or all the new."""
    record, _ = BookFile.objects.update_or_create(path=name, defaults={"content_hash": digest})
    record.passages.all().delete()
    model = MODEL_ID if vectors and vectors[0] is not None else ""
    Passage.objects.bulk_create(
        Passage(
            file=record,
            ordinal=chunk.ordinal,
            heading_path=list(chunk.heading_path),
            anchor=chunk.anchor,
            text=chunk.text,
            file_hash=digest,
            embedding=vector,
            embedding_model=model,
        )
        for chunk, vector in zip(chunks, vectors, strict=True)
    )
    corpus_version_bump()
    return record


@transaction.atomic
def book_files_prune(*, keep: Iterable[str]) -> list[str]:
    """Delete the passages of files that are no longer in the book."""
    gone = BookFile.objects.exclude(path__in=list(keep))
    names = sorted(gone.values_list("path", flat=True))
    if names:
        gone.delete()
        corpus_version_bump()
    return names


def book_ingest(
    *,
    root: Path,
    embedder: TextEmbedder | None,
    prune: bool = False,
    progress: Callable[[list[Path]], Iterable[Path]] = iter,
) -> IngestReport:
    """Ingest every Markdown file under ``root``; embedding happens outside the transactions."""
    report = IngestReport()
    files = book_files(root)
    names = {
        path: path.name if root.is_file() else path.relative_to(root).as_posix() for path in files
    }
    records = {r.path: r for r in BookFile.objects.filter(path__in=names.values())}
    for path in progress(files):
        name = names[path]
        text = path.read_text(encoding="utf-8")
        digest = content_hash(text)
        record = records.get(name)
        if _up_to_date(record, digest, embedder):
            report.unchanged.append(name)
            continue
        chunks = split_markdown(text, file=name)
        book_file_replace(name=name, digest=digest, chunks=chunks, vectors=_embed(chunks, embedder))
        (report.added if record is None else report.replaced).append(name)
        report.passages += len(chunks)
    if prune:
        report.removed = book_files_prune(keep=names.values())
    return report
