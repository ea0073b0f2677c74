"""The API's docs work offline: Swagger UI and ReDoc load only files this server serves, and
the schema opens in a browser instead of being saved as a file."""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ORIGIN = "http://testserver"
DOCS = ["/api/docs", "/api/redoc"]


class Links(HTMLParser):
    """Every address the page makes the browser load or follow."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href", "spec-url") and value:
                self.urls.append(value)


def links(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return parser.urls


def same_origin(url: str, base: str) -> bool:
    absolute = urljoin(base, url)
    return absolute.startswith("data:") or urlsplit(absolute)[:2] == urlsplit(ORIGIN)[:2]


def fetch(client: Client, url: str):
    response = client.get(url)
    if response.streaming:  # static files come as file responses
        response.content_bytes = b"".join(response.streaming_content)
    else:
        response.content_bytes = response.content
    return response


@pytest.mark.parametrize("page", DOCS)
def test_a_docs_page_and_what_it_loads_come_from_this_server(page):
    client = Client()
    response = client.get(page)
    assert response.status_code == 200
    urls = links(response.content.decode())
    assert any("/static/drf_spectacular_sidecar/" in url for url in urls), urls
    for url in urls:
        assert same_origin(url, ORIGIN + page), url
        loaded = fetch(client, urljoin(page, url))
        assert loaded.status_code == 200, url
        if url.split("?")[0].endswith(".css"):
            # A stylesheet's own loads (fonts, images) are only data: URLs or our own files.
            for ref in re.findall(rb"url\(\s*['\"]?([^'\")]+)", loaded.content_bytes):
                assert same_origin(ref.decode(), ORIGIN + url), ref


def test_production_serves_the_docs_files_from_the_collected_copy(settings, tmp_path):
    """No finders with DEBUG off: the files gunicorn serves are collectstatic's."""
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    settings.WHITENOISE_USE_FINDERS = False
    call_command("collectstatic", "--noinput", verbosity=0)
    client = Client()
    for page in DOCS:
        for url in links(client.get(page).content.decode()):
            if url.startswith("/static/"):
                response = fetch(client, url)
                assert response.status_code == 200, url
                assert (
                    response.content_bytes == (tmp_path / url.removeprefix("/static/")).read_bytes()
                )


def test_the_swagger_init_script_is_served_and_names_no_other_host():
    script = Client().get("/api/docs?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert not re.search(r"https?://", script.content.decode())
    assert '"validatorUrl": null' in script.content.decode()  # no badge from the validator


def test_the_schema_opens_in_a_browser_as_json():
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = Client().get("/api/schema", HTTP_ACCEPT=browser)
    assert response["Content-Type"].startswith("application/json")
    assert "/api/auth/login" in response.json()["paths"]
    assert not response.get("Content-Disposition", "").startswith("attachment")


def test_the_schema_is_still_there_as_yaml():
    response = Client().get("/api/schema?format=yaml")
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    assert response.content.startswith(b"openapi: 3")


def test_the_index_page_links_the_readable_schema_and_both_docs():
    body = Client().get("/").content.decode()
    assert 'href="/api/schema"' in body  # JSON for a browser
    assert 'href="/api/docs"' in body and 'href="/api/redoc"' in body
