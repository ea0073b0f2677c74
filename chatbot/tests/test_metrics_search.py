"""Retrieval latency and the index's size, as the scraper reads them from /metrics."""

import pytest
from django.test import Client

from chatbot.models import Passage
from chatbot.search import corpus_current
from core.tests.metrics_scrape import TOKEN, scrape, value


@pytest.fixture(autouse=True)
def _token(settings):
    settings.METRICS_TOKEN = TOKEN


def test_each_search_is_timed_and_the_index_size_is_reported(signed_in, book):
    before = scrape(Client())
    for query in ("PID gains", "walking robots"):
        assert signed_in.get("/api/search", {"q": query}).status_code == 200
    after = scrape(Client())
    count = "retrieval_duration_seconds_count"
    assert value(after, count) - value(before, count) == 2
    assert value(after, "retrieval_duration_seconds_sum") > value(
        before, "retrieval_duration_seconds_sum"
    )
    passages = Passage.objects.count()
    assert passages > 0 and len(corpus_current().passages) == passages
    assert value(after, "search_index_passages") == passages
