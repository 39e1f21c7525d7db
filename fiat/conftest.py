"""Fixtures shared by the tests of every Fiat app.

Browser tests drive Debian's Chromium (``/usr/bin/chromium``) through
pytest-playwright against pytest-django's ``live_server``. Each browser test
runs twice, at a desktop and at a phone viewport.
"""

import os
from pathlib import Path

import pytest

from fiat.core.demo import DEMO_USERS, load_demo
from fiat.core.management.commands.compiletranslations import compile_translations
from fiat.core.models import User
from fiat.notifications.models import OutgoingMail

# Playwright's sync API runs an event loop in the test's thread, and Django
# refuses database queries from a thread with a running loop. The tests query
# the database between browser steps, and no Django code runs in that loop.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session", autouse=True)
def _compiled_translations() -> None:
    """Compile the .po catalogues, so Dutch pages work in a fresh clone."""
    compile_translations()


@pytest.fixture(autouse=True)
def _test_settings(settings) -> None:
    # The manifest storage of production needs ``collectstatic`` first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    # Many tests create the demo users, and PBKDF2 takes seconds for each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo_users(db) -> dict[str, User]:
    """Load the demo company and return its users by username.

    Each demo password is "demo-" followed by the username.
    """
    load_demo()
    usernames = [demo_user.username for demo_user in DEMO_USERS]
    return {user.username: user for user in User.objects.filter(username__in=usernames)}


@pytest.fixture
def outbox(settings):
    """Return the recorded mail, sent through Fiat's outbox backend.

    Django's test setup swaps EMAIL_BACKEND for its in-memory backend. This
    fixture puts the outbox backend back, with delivery off, so mail lands in
    the OutgoingMail table as it does in the embedded setup.
    """
    settings.EMAIL_BACKEND = "fiat.notifications.backends.OutboxBackend"
    settings.FIAT_EMAIL_DELIVERY = "none"
    return OutgoingMail.objects


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args) -> dict:
    if not CHROMIUM.exists():
        pytest.skip(f"No Chromium at {CHROMIUM}: run apt-get install chromium.")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {
        "viewport": {"width": 375, "height": 667},
        "is_mobile": True,
        "has_touch": True,
    },
}


@pytest.fixture(params=list(VIEWPORTS))
def viewport_name(request) -> str:
    return request.param


@pytest.fixture
def browser_context_args(browser_context_args, live_server, viewport_name) -> dict:
    """Open every page on the live server, in English, at each viewport."""
    return {
        **browser_context_args,
        **VIEWPORTS[viewport_name],
        "base_url": live_server.url,
        "locale": "en-GB",
    }
