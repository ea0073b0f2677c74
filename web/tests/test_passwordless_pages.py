"""Signing in without a password: a code mailed to the address (typed, or filled in by the
mailed link with one click), and a passkey made on the account page with Chromium's virtual
authenticator."""

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
    set_up_two_factor,
    sign_in,
    sign_out,
    skip_welcome,
    virtual_authenticator,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def context(browser):
    with browser_context(browser) as made:
        yield made


def _on_a_new_account(base: str, context, email: str, *, authenticator: bool = False):
    """A page on a new account's /account, its browser given a virtual authenticator when
    asked."""
    page = context.new_page()
    if authenticator:
        virtual_authenticator(context, page)
    register(page, base, email)
    skip_welcome(page, base)
    page.goto(f"{base}/account")
    return page


def test_email_me_a_code_then_type_it(app, context):
    page = _on_a_new_account(app.url, context, "una@example.com")
    sign_out(page)
    page.get_by_role("link", name="Email me a code").click()
    page.wait_for_url(f"{app.url}/login/code?next=%2F")
    page.get_by_role("textbox", name="Email").fill("una@example.com")
    page.get_by_role("button", name="Email me a code").click()
    expect(page.get_by_role("status")).to_have_text(re.compile("sign-in code is on its way"))
    link = app.mailed_link("una@example.com", "login/code")
    code = parse_qs(urlsplit(link).query)["code"][0]
    assert re.fullmatch(r"\d{6}", code)
    page.get_by_label("Code from the mail").fill("000000" if code != "000000" else "111111")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_label("Code from the mail")).to_have_accessible_description(
        re.compile("not right")
    )
    page.get_by_label("Code from the mail").fill(code)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(f"{app.url}/")


def test_the_mailed_link_fills_the_form_and_waits_for_a_click(app, context):
    page = _on_a_new_account(app.url, context, "vic@example.com")
    sign_out(page)
    page.goto(f"{app.url}/login/code")
    page.get_by_role("textbox", name="Email").fill("vic@example.com")
    page.get_by_role("button", name="Email me a code").click()
    link = app.mailed_link("vic@example.com", "login/code")
    # A mail scanner opens the link first: nothing is posted on load, the code stays good.
    scanner = context.browser.new_context()
    scanner.new_page().goto(link)
    scanner.close()
    page.goto(link)
    expect(page.get_by_role("textbox", name="Email")).to_have_value("vic@example.com")
    code = parse_qs(urlsplit(link).query)["code"][0]
    expect(page.get_by_label("Code from the mail")).to_have_value(code)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(re.compile(r"/$"))


def test_add_a_passkey_then_sign_in_with_it(app, context):
    base = app.passkey_url
    page = _on_a_new_account(base, context, "wes@example.com", authenticator=True)
    section = page.get_by_role("region", name="Passkeys")
    expect(section.get_by_text("You have no passkey yet.")).to_be_visible()
    section.get_by_label("Name for a new passkey").fill("Laptop")
    section.get_by_role("button", name="Add a passkey").click()
    password = section.get_by_label("Your password (to add or remove)")
    expect(password).to_have_attribute("aria-invalid", "true")
    password.fill(PASSWORD)
    section.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_role("status")).to_have_text("Laptop is added: you can sign in with it.")
    expect(section.get_by_text("last used never")).to_be_visible()

    section.get_by_role("button", name="Rename Laptop").click()
    section.get_by_label("New name for Laptop").fill("Work laptop")
    section.get_by_label("New name for Laptop").press("Enter")
    expect(section.get_by_role("button", name="Remove Work laptop")).to_be_visible()
    sign_out(page)

    page.get_by_role("button", name="Sign in with a passkey").click()
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/account")
    expect(section.get_by_text("last used never")).to_have_count(0)
    section.get_by_label("Your password (to add or remove)").fill(PASSWORD)
    section.get_by_role("button", name="Remove Work laptop").click()
    expect(section.get_by_text("You have no passkey yet.")).to_be_visible()


def test_a_passkey_answers_the_second_step(app, context):
    base = app.passkey_url
    page = _on_a_new_account(base, context, "xia@example.com", authenticator=True)
    section = page.get_by_role("region", name="Passkeys")
    section.get_by_label("Your password (to add or remove)").fill(PASSWORD)
    section.get_by_role("button", name="Add a passkey").click()
    expect(section.get_by_role("button", name="Remove Passkey")).to_be_visible()
    confirm_two_factor(page, code_at(set_up_two_factor(page), 0))
    expect(page.get_by_role("list", name="Your recovery codes")).to_be_visible()
    sign_out(page)

    sign_in(page, base, "xia@example.com")
    page.wait_for_url(re.compile(r"/login/mfa\?next="))
    page.get_by_role("button", name="Use a passkey").click()
    page.wait_for_url(f"{base}/")
