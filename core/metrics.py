"""The service's Prometheus metrics, owned here so the apps record through small functions
(and never import prometheus_client). With PROMETHEUS_MULTIPROC_DIR set, each worker writes
its values to files there and a scrape answered by any worker adds them all up."""

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

# Requests: label values are bounded (route names, not paths), so no client can add series.
_requests = Counter(
    "http_requests", "Requests answered, by method, route name and status.",
    ["method", "route", "status"],
)  # fmt: skip
_request_seconds = Histogram(
    "http_request_duration_seconds", "Time to produce a response, by route name and status.",
    ["route", "status"],
)  # fmt: skip
_sign_ins = Counter(
    "auth_sign_ins", "Sign-in attempts, by method and outcome (signed_in, sign_in_failed).",
    ["method", "outcome"],
)  # fmt: skip
_rate_limited = Counter(
    "rate_limited", "Requests refused by a rate limit, by the limit's action.", ["action"]
)
_mail = Counter("mail_messages", "Account mails, by outcome (queued, sent, failed).", ["outcome"])
_retrieval_seconds = Histogram(
    "retrieval_duration_seconds", "Time to rank the passages for one query or question.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)  # fmt: skip
# Every worker builds the same index: the largest live one is the index size.
_index_passages = Gauge(
    "search_index_passages", "Passages in the search index of the newest build.",
    multiprocess_mode="livemax",
)  # fmt: skip

SIGN_IN_OUTCOMES = ("signed_in", "sign_in_failed")
MAIL_OUTCOMES = ("queued", "sent", "failed")


def metrics_request(*, method: str, route: str, status: int, seconds: float) -> None:
    _requests.labels(method, route, str(status)).inc()
    _request_seconds.labels(route, str(status)).observe(seconds)


def metrics_sign_in(*, method: str, outcome: str) -> None:
    if outcome in SIGN_IN_OUTCOMES:
        _sign_ins.labels(method or "unknown", outcome).inc()


def metrics_rate_limited(*, action: str) -> None:
    _rate_limited.labels(action).inc()


def metrics_mail(*, outcome: str) -> None:
    _mail.labels(outcome).inc()


def metrics_retrieval(*, seconds: float) -> None:
    _retrieval_seconds.observe(seconds)


def metrics_index_size(*, passages: int) -> None:
    _index_passages.set(passages)


def metrics_exposition() -> tuple[bytes, str]:
    """The text format and its content type, summed over every worker in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return generate_latest(registry), CONTENT_TYPE_LATEST
