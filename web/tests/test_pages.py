"""A person's way through the pages, in Chromium against the served app: sign up, confirm the
address from the mail, sign in, chat, manage sessions and the account. Elements are found by
their role and label, as a person reads them."""

import re

import pytest
import requests
from playwright.sync_api import expect

from web.tests.helpers import (
    PASSWORD,
    browser_context,
    client_address,
    register,
    sign_in,
    sign_out,
    skip_welcome,
)

pytestmark = pytest.mark.browser

NEW_PASSWORD = "another long passphrase 8"


@pytest.fixture
def page(browser):
    with browser_context(browser) as context:
        yield context.new_page()


def test_sign_up_then_confirm_the_address_from_the_mail(app, page):
    register(page, app.url, "ann@example.com")
    page.get_by_label("What describes you best?").select_option("engineer")
    page.get_by_label("Control").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{app.url}/")
    expect(page.get_by_role("heading", name="Ask the book").last).to_be_visible()

    page.goto(app.mailed_link("ann@example.com", "verify-email"))
    page.get_by_role("button", name="Confirm my address").click()
    expect(page.get_by_role("status")).to_have_text(re.compile("ann@example.com is confirmed"))
    page.goto(f"{app.url}/account")
    expect(page.get_by_text("Confirmed", exact=True)).to_be_visible()


def test_errors_are_said_in_words_beside_their_field(app, page):
    taken = {"email": "taken@example.com", "password": PASSWORD}
    headers = {"X-Forwarded-For": client_address()}
    assert requests.post(f"{app.url}/api/auth/register", json=taken, headers=headers).ok
    page.goto(f"{app.url}/register")
    page.get_by_label("Email").fill("bob@example.com")
    page.get_by_label("Password").fill("12345678")
    page.get_by_role("button", name="Create account").click()
    password = page.get_by_label("Password")
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_have_accessible_description(re.compile("entirely numeric"))

    page.get_by_label("Email").fill("taken@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_label("Email")).to_have_accessible_description(
        re.compile("An account already uses this address")
    )

    sign_in(page, app.url, "nobody@example.com", "wrong password")
    expect(page.get_by_role("alert")).to_have_text(re.compile("do not match an account"))


def test_an_oauth_failure_code_is_said_in_words(app, page):
    page.goto(f"{app.url}/login?error=access_denied")
    expect(page.get_by_role("alert")).to_have_text("Sign-in was cancelled at the provider.")


def test_a_page_that_needs_a_session_sends_to_sign_in_and_back(app, page):
    register(page, app.url, "cleo@example.com")
    skip_welcome(page, app.url)
    sign_out(page)
    page.goto(f"{app.url}/account")
    page.wait_for_url(re.compile(r"/login\?next=%2Faccount$"))
    page.get_by_label("Email").fill("cleo@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(f"{app.url}/account")


def test_chat_streams_a_cited_answer_and_opens_the_passage(app, page):
    register(page, app.url, "dan@example.com")
    skip_welcome(page, app.url)
    page.get_by_label("Your question").fill("How does a humanoid keep its balance?")
    with page.expect_response("**/api/chat") as answered:
        page.get_by_role("button", name="Ask").click()
    assert answered.value.headers["content-type"].startswith("text/event-stream")
    answer = page.locator("article.answer")
    expect(answer.get_by_text("Quoted from the book")).to_be_visible()
    expect(answer).to_contain_text("inertial measurement unit")

    answer.get_by_role("button", name="Source 1: Balance, Sensing for balance").first.click()
    passage = page.get_by_role("dialog")
    expect(passage.get_by_role("heading")).to_have_text(
        "[1] Balance \N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK} Sensing for balance"
    )
    expect(passage).to_contain_text("fusing several sensors")
    passage.get_by_role("button", name="Close").click()
    expect(passage).to_be_hidden()

    # The conversation is listed, can be renamed, followed up and deleted.
    conversations = page.get_by_role("complementary")
    conversations.get_by_role("button", name=re.compile("^Rename")).click()
    conversations.get_by_label("New title").fill("Balance notes")
    conversations.get_by_label("New title").press("Enter")
    expect(conversations.get_by_role("button", name="Balance notes", exact=True)).to_be_visible()
    page.get_by_label("Your question").fill("What does a PID controller add?")
    page.get_by_role("button", name="Ask").click()
    expect(page.locator("article.answer")).to_have_count(2)
    expect(page.locator("article.answer").last).to_contain_text("proportional")
    page.reload()
    expect(page.locator("article.answer")).to_have_count(2)
    page.once("dialog", lambda question: question.accept())
    conversations.get_by_role("button", name="Delete “Balance notes”").click()
    expect(conversations.get_by_text("Nothing yet")).to_be_visible()


def test_the_chat_limit_is_a_message_not_a_broken_page(app, page):
    register(page, app.url, "eve@example.com")
    skip_welcome(page, app.url)
    spent = page.evaluate(
        """async () => {
            const token = (await (await fetch('/api/auth/csrf')).json()).csrfToken;
            let status = 0;
            for (let i = 0; i < 30; i++) {
                status = (await fetch('/api/chat', {
                    method: 'POST',
                    body: JSON.stringify({question: 'What is PID control?'}),
                    headers: {'Content-Type': 'application/json', 'X-CSRFToken': token},
                })).status;
            }
            return status;
        }"""
    )
    assert spent == 200
    page.get_by_label("Your question").fill("What is a topic?")
    page.get_by_role("button", name="Ask").click()
    expect(page.get_by_role("alert")).to_have_text(re.compile("30 questions in a minute"))
    expect(page.locator("article.answer")).to_have_count(0)


def test_revoking_another_session_signs_that_browser_out(app, browser, page):
    register(page, app.url, "fay@example.com")
    with browser_context(browser) as other_context:
        other = other_context.new_page()
        sign_in(other, app.url, "fay@example.com")
        other.wait_for_url(f"{app.url}/")

        page.goto(f"{app.url}/account")
        sessions = page.get_by_role("region", name="Where you are signed in")
        expect(sessions.get_by_text("This device")).to_have_count(1)
        sessions.get_by_role("button", name=re.compile(r"^Sign out .* last used")).click()
        expect(page.get_by_role("status")).to_have_text(re.compile("is signed out"))
        expect(sessions.get_by_role("listitem")).to_have_count(1)

        other.goto(f"{app.url}/account")
        other.wait_for_url(re.compile("/login"))


def test_change_password_then_sign_in_with_it(app, page):
    register(page, app.url, "gus@example.com")
    page.goto(f"{app.url}/account")
    section = page.get_by_role("region", name="Password")
    section.get_by_label("Current password").fill("not it")
    section.get_by_label("New password").fill(NEW_PASSWORD)
    section.get_by_role("button", name="Change password").click()
    expect(section.get_by_label("Current password")).to_have_accessible_description(
        "That password is not right."
    )
    section.get_by_label("Current password").fill(PASSWORD)
    section.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("status")).to_have_text(re.compile("Your password is changed"))

    sign_out(page)
    sign_in(page, app.url, "gus@example.com", NEW_PASSWORD)
    page.wait_for_url(f"{app.url}/")


def test_forgot_then_reset_from_the_mail(app, page):
    register(page, app.url, "hal@example.com")
    skip_welcome(page, app.url)
    sign_out(page)
    page.goto(f"{app.url}/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("hal@example.com")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("status")).to_have_text(re.compile("Check your inbox"))

    page.goto(app.mailed_link("hal@example.com", "reset-password"))
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set the new password").click()
    page.wait_for_url(re.compile(r"/login\?reset=1$"))
    expect(page.get_by_role("status")).to_have_text(re.compile("Sign in with the new one"))
    sign_in(page, app.url, "hal@example.com", NEW_PASSWORD)
    page.wait_for_url(f"{app.url}/")


def test_delete_the_account(app, page):
    register(page, app.url, "ida@example.com")
    page.goto(f"{app.url}/account")
    section = page.get_by_role("region", name="Delete your account")
    section.get_by_label("Your password").fill(PASSWORD)
    section.get_by_role("button", name="Delete my account").click()
    expect(
        section.get_by_label("I understand this cannot be undone")
    ).to_have_accessible_description("Tick this box to delete your account.")
    section.get_by_label("I understand this cannot be undone").check()
    section.get_by_role("button", name="Delete my account").click()
    page.wait_for_url(re.compile(r"/login\?deleted=1$"))
    sign_in(page, app.url, "ida@example.com")
    expect(page.get_by_role("alert")).to_have_text(re.compile("do not match an account"))
