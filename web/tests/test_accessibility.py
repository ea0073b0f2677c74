"""Every page passes axe-core with no serious or critical finding, signed in and at a phone's
width too; the README's screenshots are taken here (UPDATE_SCREENSHOTS=1 writes them)."""

import pytest
from playwright.sync_api import expect

from web.tests.helpers import (
    browser_context,
    register,
    screenshot,
    serious_violations,
)

pytestmark = pytest.mark.browser

PAGES = {
    "login": "/login",
    "login-mfa": "/login/mfa",
    "login-code": "/login/code?email=ann%40example.com&code=123456",
    "register": "/register",
    "forgot-password": "/forgot-password",
    "reset-password": "/reset-password?token=from-the-mail",
    "verify-email": "/verify-email?token=from-the-mail",
    "onboarding": "/onboarding",
    "chat-empty": "/",
    "account": "/account",
}
WIDTHS = {"desktop": {"width": 1200, "height": 800}, "phone": {"width": 360, "height": 740}}


@pytest.fixture(scope="module", params=WIDTHS)
def signed_in_page(request, app, browser):
    # axe is injected as a script of the test's own: only the test's context waives the CSP.
    with browser_context(browser, bypass_csp=True, viewport=WIDTHS[request.param]) as context:
        page = context.new_page()
        register(page, app.url, f"axe-{request.param}@example.com")
        page.get_by_role("button", name="Skip").click()
        page.wait_for_url(f"{app.url}/")
        page.get_by_label("Your question").fill("How does a humanoid keep its balance?")
        page.get_by_role("button", name="Ask").click()
        expect(page.get_by_text("Quoted from the book")).to_be_visible()
        page.width = request.param
        yield page


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violations(app, signed_in_page, name, tmp_path):
    page = signed_in_page
    page.goto(app.url + PAGES[name])
    page.locator("main").first.wait_for()
    page.wait_for_load_state("networkidle")
    assert serious_violations(page) == []
    screenshot(page, f"{name}-{page.width}", tmp_path)


def test_the_cited_passage_is_accessible_too(app, signed_in_page, tmp_path):
    page = signed_in_page
    page.goto(app.url + "/")
    page.get_by_role("button", name="How does a humanoid keep its balance?", exact=True).click()
    expect(page.get_by_text("Quoted from the book")).to_be_visible()
    screenshot(page, f"chat-{page.width}", tmp_path)
    page.get_by_role("button", name="Source 1: Balance, Sensing for balance").first.click()
    expect(page.get_by_role("dialog")).to_be_visible()
    assert serious_violations(page) == []
    screenshot(page, f"source-{page.width}", tmp_path)
