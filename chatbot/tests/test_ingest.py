"""manage.py ingest_book: passages, idempotency, replacement, --prune, one commit per file."""

from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection

from chatbot.corpus_version import corpus_version_get
from chatbot.embeddings import DIMENSION, MODEL_ID
from chatbot.models import BookFile, Passage

pytestmark = pytest.mark.django_db


def ingest(*args) -> str:
    out = StringIO()
    call_command("ingest_book", *map(str, args), stdout=out, stderr=StringIO())
    return out.getvalue()


def passage_ids(name: str) -> list[int]:
    return list(Passage.objects.filter(file__path=name).values_list("id", flat=True))


def test_ingest_stores_passages_with_location_and_embeddings(book_dir):
    before = corpus_version_get()
    assert "3 added, 0 replaced, 0 unchanged, 0 removed" in ingest(book_dir)
    assert sorted(BookFile.objects.values_list("path", flat=True)) == [
        "01-balance.md",
        "02-control.md",
        "03-ros.md",
    ]
    passage = Passage.objects.get(file__path="01-balance.md", anchor="sensing-for-balance")
    assert passage.heading_path == ["Balance", "Sensing for balance"]
    assert "inertial measurement unit" in passage.text
    assert passage.file_hash == passage.file.content_hash
    assert passage.embedding_model == MODEL_ID
    vector = np.frombuffer(bytes(passage.embedding), dtype="<f4")
    assert vector.shape == (DIMENSION,)
    assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-4)
    assert corpus_version_get() > before


def test_reingest_of_an_unchanged_book_changes_nothing(book):
    ids = sorted(Passage.objects.values_list("id", flat=True))
    version = corpus_version_get()
    assert "0 added, 0 replaced, 3 unchanged" in ingest(book)
    assert sorted(Passage.objects.values_list("id", flat=True)) == ids
    assert corpus_version_get() == version


def test_a_changed_file_is_replaced_and_the_others_kept(book):
    kept = passage_ids("02-control.md")
    version = corpus_version_get()
    (book / "03-ros.md").write_text("# ROS 2\n\n## Services\n\nA service answers one request.\n")
    assert "0 added, 1 replaced, 2 unchanged" in ingest(book)
    assert passage_ids("02-control.md") == kept
    texts = list(Passage.objects.filter(file__path="03-ros.md").values_list("text", flat=True))
    assert texts == ["# ROS 2\n\n## Services\n\nA service answers one request."]
    assert corpus_version_get() == version + 1


def test_prune_removes_passages_of_deleted_files_only_when_asked(book):
    (book / "03-ros.md").unlink()
    assert "0 removed" in ingest(book)
    assert passage_ids("03-ros.md")
    version = corpus_version_get()
    assert "2 unchanged, 1 removed" in ingest(book, "--prune")
    assert not passage_ids("03-ros.md")
    assert not BookFile.objects.filter(path="03-ros.md").exists()
    assert corpus_version_get() == version + 1


def test_prune_with_a_single_file_is_refused_and_removes_nothing(book):
    """Every other file is "gone" from a one-file PATH; pruning would empty the book."""
    version = corpus_version_get()
    with pytest.raises(CommandError, match="--prune"):
        ingest(book / "01-balance.md", "--prune")
    assert BookFile.objects.count() == 3
    assert corpus_version_get() == version


def test_a_failure_inside_a_file_leaves_its_old_passages_whole(book):
    """One transaction per file: the file that failed keeps its passages, earlier files commit."""
    old = {p.id: p.text for p in Passage.objects.filter(file__path="02-control.md")}
    old_hash = BookFile.objects.get(path="02-control.md").content_hash
    (book / "01-balance.md").write_text("# Balance\n\nBalance is a matter of sensing.\n")
    (book / "02-control.md").write_text("# Control\n\nNew text about control loops.\n")
    version = corpus_version_get()
    inserts = []

    def fail_on_second_file(execute, sql, params, many, context):
        if sql.startswith('INSERT INTO "book_passages"'):
            inserts.append(sql)
            if len(inserts) == 2:
                raise DatabaseError("disk full")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail_on_second_file), pytest.raises(DatabaseError):
        ingest(book)
    assert {p.id: p.text for p in Passage.objects.filter(file__path="02-control.md")} == old
    assert BookFile.objects.get(path="02-control.md").content_hash == old_hash
    first = Passage.objects.filter(file__path="01-balance.md").values_list("text", flat=True)
    assert list(first) == ["# Balance\n\nBalance is a matter of sensing."]
    assert corpus_version_get() == version + 1
    assert "1 replaced, 2 unchanged" in ingest(book)


def test_without_the_model_passages_are_stored_unembedded_then_filled_in(book_dir, settings):
    settings.EMBEDDING_MODEL_PATH = str(book_dir / "01-balance.md")  # not the model: rejected
    ingest(book_dir)
    assert not Passage.objects.exclude(embedding=None).exists()
    assert set(Passage.objects.values_list("embedding_model", flat=True)) == {""}
    assert "3 unchanged" in ingest(book_dir)
    settings.EMBEDDING_MODEL_PATH = ""
    assert "3 replaced" in ingest(book_dir)
    assert set(Passage.objects.values_list("embedding_model", flat=True)) == {MODEL_ID}


def test_a_missing_path_is_a_command_error(tmp_path, db):
    with pytest.raises(CommandError, match="does not exist"):
        ingest(tmp_path / "nowhere")


def test_the_default_path_is_the_sample_book(settings, book_dir):
    settings.BOOK_DIR = book_dir
    assert "3 added" in ingest()
