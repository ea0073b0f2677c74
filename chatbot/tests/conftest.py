"""Fixtures of the chatbot tests: a tiny ingested corpus, a second reader, a fake LLM server."""

from pathlib import Path

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from accounts.tests.helpers import client_of
from chatbot import search
from chatbot.embeddings import Embedder
from chatbot.tests.fake_model import FakeModel
from chatbot.tests.helpers import BOOK, write_book


@pytest.fixture(autouse=True)
def _fresh_index(settings, monkeypatch):
    """Each test's database starts over, so no index may survive from another test."""
    settings.CHAT_CORPUS_CHECK_SECONDS = 0
    monkeypatch.setattr(search, "_holder", search._Holder())


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    """The real packaged model, loaded once per module: it takes a second."""
    return Embedder()


@pytest.fixture
def book_dir(tmp_path) -> Path:
    return write_book(tmp_path / "book", BOOK)


@pytest.fixture
def book(db, book_dir) -> Path:
    """The fixture corpus, ingested with the real command and the real embedder."""
    call_command("ingest_book", str(book_dir))
    return book_dir


@pytest.fixture
def other(db) -> APIClient:
    """A second signed-in reader, whose conversations the first must never reach."""
    return client_of(UserFactory())


@pytest.fixture
def fake_llm(settings):
    server = FakeModel().start()
    settings.LLM_API_KEY = "test-key"
    settings.LLM_BASE_URL = server.url
    settings.LLM_MODEL = "book-model"
    # Room for an answer on a loaded machine; "slow" (SLOW_SECONDS) and a trickle over a few
    # seconds still pass it by far.
    settings.LLM_TIMEOUT_SECONDS = 1.5
    yield server
    server.stop()
