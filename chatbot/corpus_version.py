"""The corpus version: one counter that tells every worker's index the passages changed."""

from django.db.models import F

from chatbot.models import CorpusVersion


def corpus_version_get() -> int:
    """One indexed single-row read: 0 before the first ingest."""
    return CorpusVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def corpus_version_bump() -> None:
    """Tell every worker, inside the caller's transaction, that passages changed."""
    # The migration creates the row; the fallback serves a database flushed since.
    if not CorpusVersion.objects.filter(pk=1).update(version=F("version") + 1):
        CorpusVersion.objects.create(pk=1, version=1)
