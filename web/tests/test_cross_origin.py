"""A frontend on another origin calls the API from the browser: on the same site (localhost on
two ports) with cookies and the CSRF header; on another site (localhost against 127.0.0.1),
where cookies cannot work and the bearer transport does."""

from pathlib import Path

import pytest

from web.tests.helpers import PASSWORD, static_site

pytestmark = pytest.mark.browser

# The other site's own code, in frontend/client.js.
FRONTEND = Path(__file__).parent / "frontend"
COOKIE = "([api, email, password]) => cookieClient(api, email, password)"
BEARER = "([api, email, password]) => bearerClient(api, email, password)"


@pytest.fixture(scope="module")
def frontend(app):
    with static_site(app.other_port, FRONTEND):
        yield f"{app.other_origin}/index.html"


@pytest.fixture
def page(browser, frontend):
    context = browser.new_context()
    page = context.new_page()
    page.goto(frontend)
    page.wait_for_function("() => Boolean(window.cookieClient && window.bearerClient)")
    yield page
    context.close()


def test_same_site_frontend_on_another_port_works_with_cookies(app, page):
    api = f"http://localhost:{app.port}"
    outcome = page.evaluate(COOKIE, [api, "kim@example.com", PASSWORD])
    assert outcome == {
        "registered": 201,
        "me": 200,
        "email": "kim@example.com",
        "cited": outcome["cited"],
        "logout": 204,
        "after": 401,
    }
    assert outcome["cited"] > 0


def test_cross_site_cookies_fail_as_the_readme_warns(app, page):
    """localhost and 127.0.0.1 are different sites: the SameSite=Lax cookie set by the sign-up
    never comes back, so the sign-up succeeds and every later call is 401."""
    outcome = page.evaluate(COOKIE, [app.url, "lee@example.com", PASSWORD])
    assert (outcome["registered"], outcome["me"]) == (201, 401)


def test_cross_site_frontend_works_with_the_bearer_transport(app, page):
    outcome = page.evaluate(BEARER, [app.url, "max@example.com", PASSWORD])
    assert outcome == {
        "registered": 201,
        "me": 200,
        "email": "max@example.com",
        "cited": outcome["cited"],
        "logout": 204,
        "after": 401,
    }
    assert outcome["cited"] > 0
