"""GET /metrics: only for the scraper holding METRICS_TOKEN, invisible to anyone else; what it
counts about requests and rate limits."""

import pytest
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from core.ratelimit import Limit, RateLimited, ratelimit_enforce
from core.tests.metrics_scrape import TOKEN, scrape, value

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = TOKEN
    return TOKEN


def test_without_a_token_configured_the_route_does_not_exist(client, settings):
    settings.METRICS_TOKEN = ""
    for header in ("", "Bearer ", "Bearer anything"):
        assert client.get("/metrics", HTTP_AUTHORIZATION=header).status_code == 404


@pytest.mark.parametrize(
    "header",
    ["", f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", f"bearer {TOKEN}", TOKEN, "Bearer é"],
)
def test_a_wrong_token_gets_the_404_of_any_unknown_path(client, token, header):
    unknown = client.get("/no-such-page")
    response = client.get("/metrics", HTTP_AUTHORIZATION=header)
    assert response.status_code == 404
    assert response.content == unknown.content
    assert response["Content-Type"] == unknown["Content-Type"]


def test_the_scraper_gets_the_text_format_never_cached(client, token):
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert response["Cache-Control"] == "no-store"
    names = {f.name for f in text_string_to_metric_families(response.content.decode())}
    assert {"http_requests", "http_request_duration_seconds", "auth_sign_ins"} <= names
    post = client.post("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert post.status_code == 405


def test_requests_are_counted_by_route_name_and_status(client, token):
    before = scrape(client)
    for _ in range(3):
        client.get("/api/health/live")
    client.get("/api/auth/sessions/00000000-0000-0000-0000-000000000000")
    client.get("/no/such/path/12345")
    after = scrape(client)
    for labels, grew in [
        ({"method": "GET", "route": "health-live", "status": "200"}, 3),
        ({"method": "GET", "route": "auth-session-detail", "status": "401"}, 1),
        ({"method": "GET", "route": "unmatched", "status": "404"}, 1),
    ]:
        assert (
            value(after, "http_requests_total", **labels)
            - value(before, "http_requests_total", **labels)
            == grew
        ), labels
    latency = {"route": "health-live", "status": "200"}
    count = "http_request_duration_seconds_count"
    assert value(after, count, **latency) - value(before, count, **latency) == 3
    # No raw path became a label value: ids and unknown paths would be unbounded series.
    assert not any("12345" in str(key) or "0000-0000" in str(key) for key in after)


def test_an_unknown_method_is_one_label_value(client, token):
    before = scrape(client)
    client.generic("PURGE", "/api/health/live")
    client.generic("BREW", "/api/health/live")
    after = scrape(client)
    labels = {"method": "other", "route": "health-live", "status": "405"}
    assert (
        value(after, "http_requests_total", **labels)
        - value(before, "http_requests_total", **labels)
        == 2
    )


def test_rate_limit_refusals_are_counted_by_action(rf, token):
    client = Client()
    limit = Limit("metrics-test", "ip", "2/m")
    request = rf.get("/")
    before = scrape(client)
    ratelimit_enforce(request=request, limits=[limit])
    ratelimit_enforce(request=request, limits=[limit])
    for _ in range(3):
        with pytest.raises(RateLimited):
            ratelimit_enforce(request=request, limits=[limit])
    after = scrape(client)
    grew = value(after, "rate_limited_total", action="metrics-test") - value(
        before, "rate_limited_total", action="metrics-test"
    )
    assert grew == 3
