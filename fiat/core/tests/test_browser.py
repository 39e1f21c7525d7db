"""Login, logout, language and password reset in Chromium, desktop and phone.

The browser requests English (``en-GB``); each demo user's own language takes
over after login. Every test runs at 1280x800 and at 375x667.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from fiat.browser_testing import page_width_overflow

pytestmark = pytest.mark.browser

# Username, the greeting on the home page in the user's language, and the
# login page heading after logout, which follows the user's language too.
DEMO_LOGINS = [
    ("admin", "Welcome, Gijs Admiraal", "Log in"),
    ("clerk", "Welkom, Anna de Klerk", "Inloggen"),
    ("approver", "Welkom, Bram Visser", "Inloggen"),
    ("budgetholder", "Welcome, Carla Bos", "Log in"),
    ("controller", "Welkom, Daan de Vries", "Inloggen"),
    ("director", "Welkom, Eva Jansen", "Inloggen"),
    ("employee", "Welcome, Femke Smit", "Log in"),
    ("auditor", "Welcome, Hanna Mulder", "Log in"),
]


def log_in(page: Page, username: str, password: str | None = None) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password or f"demo-{username}")
    page.get_by_role("button", name="Log in").click()


@pytest.mark.parametrize(("username", "greeting", "login_heading"), DEMO_LOGINS)
def test_demo_user_logs_in_and_out(page, demo_users, username, greeting, login_heading):
    log_in(page, username)
    expect(page.get_by_role("heading", level=1)).to_have_text(greeting)
    user_link = page.locator(".topbar-user")

    expect(user_link).to_be_visible()
    expect(user_link).to_have_text(str(demo_users[username]))
    assert page_width_overflow(page) == 0

    page.locator("form.logout button").click()

    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(login_heading)


def test_login_page_fits_viewport(page):
    page.goto("/login/")

    expect(page.get_by_role("button", name="Log in")).to_be_in_viewport()
    assert page_width_overflow(page) == 0


def test_wrong_password_shows_error(page, demo_users):
    log_in(page, "clerk", "not-the-password")

    expect(page.get_by_role("alert")).to_contain_text(
        "Please enter a correct username and password."
    )
    expect(page).to_have_url(re.compile(r"/login/$"))


def test_login_form_works_with_keyboard(page, demo_users):
    page.goto("/login/")
    username_field = page.get_by_label("Username")
    password_field = page.get_by_label("Password")

    expect(username_field).to_be_focused()
    page.keyboard.type("employee")
    page.keyboard.press("Tab")
    expect(password_field).to_be_focused()
    page.keyboard.type("demo-employee")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Femke Smit")


def test_keyboard_focus_is_outlined(page):
    page.goto("/login/")
    # The username field takes focus on load; Tab before that would start
    # from the top of the page instead.
    expect(page.get_by_label("Username")).to_be_focused()

    page.keyboard.press("Tab")

    expect(page.get_by_label("Password")).to_be_focused()
    expect(page.get_by_label("Password")).to_have_css("outline-style", "solid")
    expect(page.get_by_label("Password")).to_have_css("outline-width", "3px")


def test_skip_link_appears_on_first_tab(page, demo_users):
    log_in(page, "employee")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Femke Smit")

    page.keyboard.press("Tab")

    skip_link = page.get_by_role("link", name="Skip to content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()


def test_language_switch_on_login_page(page):
    page.goto("/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")

    page.get_by_role("button", name="Nederlands").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    expect(page.get_by_role("link", name="Wachtwoord vergeten?")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "nl")

    page.get_by_role("button", name="English").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")


def test_language_switch_after_login_changes_profile(page, demo_users):
    log_in(page, "clerk")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welkom, Anna de Klerk")

    page.get_by_role("button", name="English").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Anna de Klerk")
    demo_users["clerk"].refresh_from_db()
    assert demo_users["clerk"].language == "en"


def test_profile_page_changes_language(page, demo_users):
    log_in(page, "employee")
    page.get_by_role("navigation").get_by_role("link", name="Profile").click()

    page.get_by_role("radio", name="Dutch").check()
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_have_text("Uw profiel is opgeslagen.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw profiel")


@pytest.fixture
def outbox_page(outbox, settings, live_server):
    """Show recorded mail at /outbox/, with links that point at the server."""
    settings.FIAT_OUTBOX_PAGE = True
    settings.FIAT_BASE_URL = live_server.url
    return outbox


def reset_link_from_outbox(page: Page) -> str:
    """Log in as the administrator and read the reset link from the outbox."""
    log_in(page, "admin")
    page.get_by_role("navigation").get_by_role("link", name="Outbox").click()
    page.get_by_role("link", name=re.compile("Set a new password for Fiat")).click()
    return page.locator("pre.mail-text a").first.get_attribute("href")


def test_password_reset_through_outbox(page, new_context, demo_users, outbox_page):
    page.goto("/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill(demo_users["employee"].email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")

    reset_link = reset_link_from_outbox(new_context().new_page())
    page.goto(reset_link)
    page.get_by_label("New password:", exact=True).fill("Zomerregen-5820")
    page.get_by_label("New password confirmation:").fill("Zomerregen-5820")
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Password set")
    page.get_by_role("main").get_by_role("link", name="Log in").click()
    log_in(page, "employee", "Zomerregen-5820")

    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Femke Smit")
