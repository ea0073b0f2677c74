"""Two-factor through the pages: turned on at the account page with a real authenticator's
codes (computed here from the secret the page shows), then asked for at every sign-in, where
a recovery code works once."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from web.tests.helpers import (
    PASSWORD,
    browser_context,
    code_at,
    confirm_two_factor,
    register,
    screenshot,
    serious_violations,
    set_up_two_factor,
    sign_in,
    sign_out,
    skip_welcome,
    two_factor_section,
)

pytestmark = pytest.mark.browser


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
        section = two_factor_section(page)
        expect(section.get_by_text("Off.")).to_be_visible()
        secret = set_up_two_factor(page)
        qr = section.get_by_role("img", name="QR code for your authenticator app")
        expect(qr).to_be_visible()
        assert serious_violations(page) == []
        screenshot(page, "mfa-setup-desktop", tmp_path)
        assert re.fullmatch(r"[A-Z2-7]{32}", secret)

        wrong = "000000" if code_at(secret, 0) != "000000" else "111111"
        confirm_two_factor(page, wrong)
        expect(section.get_by_label("Code from the app")).to_have_accessible_description(
            re.compile("not right")
        )
        confirm_two_factor(page, code_at(secret, 0))
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
        # No pending sign-in in the cookie: the page says to sign in again.
        page.get_by_label("Code", exact=True).fill("123456")
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("alert")).to_have_text(re.compile("Sign in again"))


def test_new_recovery_codes_then_turn_two_factor_off(app, browser):
    with browser_context(browser) as context:
        page = context.new_page()
        register(page, app.url, "uma@example.com")
        skip_welcome(page, app.url)
        page.goto(f"{app.url}/account")
        section = two_factor_section(page)
        confirm_two_factor(page, code_at(set_up_two_factor(page), 0))
        listed = section.get_by_role("list", name="Your recovery codes").get_by_role("listitem")
        expect(listed).to_have_count(10)
        first = listed.all_inner_texts()
        section.get_by_role("button", name="I have saved them").click()
        expect(listed).to_have_count(0)

        renewing = section.get_by_role("button", name="Make new recovery codes")
        section.get_by_label("Your password").filter(visible=True).first.fill(PASSWORD)
        renewing.click()
        code_field = section.get_by_label("Two-factor code").filter(visible=True).first
        expect(code_field).to_have_accessible_description(re.compile("Enter a code"))
        code_field.fill(first[0])
        renewing.click()
        expect(listed).to_have_count(10)
        second = listed.all_inner_texts()
        assert set(first).isdisjoint(second)

        section.get_by_label("Your password").filter(visible=True).last.fill(PASSWORD)
        section.get_by_label("Two-factor code").filter(visible=True).last.fill(first[1])
        section.get_by_role("button", name="Turn off two-factor").click()
        expect(section.get_by_label("Two-factor code").last).to_have_accessible_description(
            re.compile("not right")
        )
        section.get_by_label("Two-factor code").last.fill(second[0])
        section.get_by_role("button", name="Turn off two-factor").click()
        expect(section.get_by_text("Off.")).to_be_visible()
        deleting = page.get_by_role("region", name="Delete your account")
        expect(deleting.get_by_label("Two-factor code")).to_be_hidden()
