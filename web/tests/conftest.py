"""One served app and one Chromium for the whole browser suite: starting the app (migrate,
ingest, gunicorn) is most of its time."""

import pytest

from web.tests.helpers import CHROMIUM, App, browser_parts_or_skip


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    browser_parts_or_skip()
    served = App(tmp_path_factory.mktemp("book"))
    yield served
    served.close()


@pytest.fixture(scope="session")
def browser(app):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield launched
        launched.close()
