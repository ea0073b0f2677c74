"""Two-factor through the pages: turned on at the account page with a real authenticator's
codes (computed here from the secret the page shows), then asked for at every sign-in, where
a recovery code works once."""

import re
import time
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
from playwright.sync_api import expect

from web.tests.helpers import (
    PASSWORD,
    browser_context,
    register,
    screenshot,
    serious_violations,
    sign_in,
    sign_out,
    skip_welcome,
)

pytestmark = pytest.mark.browser


def code_at(secret: str, step: int) -> str:
    """The code `step` steps from now: a step accepted once is refused after, so each use
    takes the next one (the server allows one step either side)."""
    return pyotp.TOTP(secret).at(time.time() + 30 * step)


def second_step(page, base: str, code: str) -> None:
    page.wait_for_url(re.compile(r"/login/mfa\?next="))
    page.get_by_label("Code", exact=True).fill(code)
    page.get_by_role("button", name="Continue").click()


def test_turn_on_two_factor_then_sign_in_with_a_code_or_a_recovery_code(app, browser, tmp_path):
    with browser_context(browser, bypass_csp=True, viewport={"width": 1200, "height": 900}) as ctx:
        page = ctx.new_page()
        register(page, app.url, "tess@example.com")
        skip_welcome(page, app.url)
        page.goto(f"{app.url}/account")
        section = page.get_by_role("region", name="Two-factor authentication")
        expect(section.get_by_text("Off.")).to_be_visible()
        section.get_by_label("Your password").filter(visible=True).fill(PASSWORD)
        section.get_by_role("button", name="Set up two-factor").click()
        qr = section.get_by_role("img", name="QR code for your authenticator app")
        expect(qr).to_be_visible()
        assert serious_violations(page) == []
        screenshot(page, "mfa-setup-desktop", tmp_path)
        secret = section.get_by_role("code").inner_text()
        assert re.fullmatch(r"[A-Z2-7]{32}", secret)

        wrong = "000000" if code_at(secret, 0) != "000000" else "111111"
        section.get_by_label("Code from the app").fill(wrong)
        section.get_by_role("button", name="Turn on two-factor").click()
        expect(section.get_by_label("Code from the app")).to_have_accessible_description(
            re.compile("not right")
        )
        section.get_by_label("Code from the app").fill(code_at(secret, 0))
        section.get_by_role("button", name="Turn on two-factor").click()
        codes = section.get_by_role("list", name="Your recovery codes").get_by_role("listitem")
        expect(codes).to_have_count(10)
        recovery = codes.first.inner_text()
        with page.expect_download() as download:
            section.get_by_role("button", name="Download").click()
        assert recovery in download.value.path().read_text()
        expect(section.get_by_text("On. 10 recovery codes left.")).to_be_visible()
        # Now a sensitive action elsewhere on the page asks for a code too.
        deleting = page.get_by_role("region", name="Delete your account")
        expect(deleting.get_by_label("Two-factor code")).to_be_visible()
        sign_out(page)

        sign_in(page, app.url, "tess@example.com")
        second_step(page, app.url, "123 456")
        expect(page.get_by_label("Code", exact=True)).to_have_accessible_description(
            re.compile("not right")
        )
        page.get_by_label("Code", exact=True).fill(code_at(secret, 1))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(f"{app.url}/")
        sign_out(page)

        # A sign-in by emailed code stops at the second step too; a recovery code answers it.
        page.goto(f"{app.url}/login")
        page.get_by_role("link", name="Email me a code").click()
        page.get_by_role("textbox", name="Email").fill("tess@example.com")
        page.get_by_role("button", name="Email me a code").click()
        page.get_by_label("Code from the mail").fill(mailed_code(app, "tess@example.com"))
        page.get_by_role("button", name="Sign in", exact=True).click()
        second_step(page, app.url, recovery.upper())
        page.wait_for_url(f"{app.url}/")
        sign_out(page)

        sign_in(page, app.url, "tess@example.com")
        second_step(page, app.url, recovery)
        expect(page.get_by_label("Code", exact=True)).to_have_accessible_description(
            re.compile("was used already")
        )


def mailed_code(app, to: str) -> str:
    return parse_qs(urlsplit(app.mailed_link(to, "login/code")).query)["code"][0]


def test_a_social_sign_in_waiting_for_its_second_step_goes_to_the_code_page(app, browser):
    with browser_context(browser) as context:
        page = context.new_page()
        page.goto(f"{app.url}/login?mfa=1&next=/account")
        page.wait_for_url(f"{app.url}/login/mfa?next=%2Faccount")
        expect(page.get_by_label("Code", exact=True)).to_be_focused()
        # No pending sign-in in the cookie: the page says so and sends back to the start.
        page.get_by_label("Code", exact=True).fill("123456")
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("alert")).to_have_text(re.compile("Sign in again"))
