"""Helpers for the Playwright tests of the apps' pages."""

from playwright.sync_api import Page, expect


def log_in(page: Page, username: str) -> None:
    """Log a demo user in (password ``demo-<username>``) and wait for the start page."""
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(f"demo-{username}")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def page_width_overflow(page: Page) -> int:
    """Return how many pixels the page is wider than the viewport.

    The measurement waits for the page's load event: until then a page's own
    stylesheet may still be loading, and the page is laid out without it.
    """
    page.wait_for_load_state("load")
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
