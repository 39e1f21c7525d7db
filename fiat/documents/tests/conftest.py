"""Fixtures of the documents tests: storage, tasks, handler, users, Dovecot."""

from collections.abc import Iterator

import pytest

from fiat.core.models import Role, RoleGrant, User
from fiat.documents.tests import handlers
from fiat.documents.tests.dovecot import DOVECOT, DovecotServer, run_dovecot

IMAP_USERS = {"invoices": "imap-secret", "scans": "scans-secret"}


@pytest.fixture(autouse=True)
def _documents_settings(settings, tmp_path) -> None:
    # Each test stores its originals and page images in its own folder.
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.FIAT_DROP_DIR = tmp_path / "drop"
    settings.FIAT_DOCUMENT_HANDLER = handlers.RECORD
    handlers.handled.clear()


@pytest.fixture
def immediate_tasks(settings) -> None:
    """Run enqueued tasks at once, in the enqueuing thread."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "scheduled"],
        }
    }


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (the read task) when the block ends.

    pytest-django wraps each test in a transaction that never commits, so
    without this the callbacks would never run.
    """
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def handled_documents() -> list[tuple[int, str]]:
    """Return the (document id, source) pairs the invoice handler was given."""
    return handlers.handled


@pytest.fixture
def failing_handler(settings) -> None:
    settings.FIAT_DOCUMENT_HANDLER = handlers.FAIL


def make_user(username: str, *roles: Role) -> User:
    user = User.objects.create_user(
        username, f"{username}@fiat.example", "pw-" + username, language="en"
    )
    for role in roles:
        RoleGrant.objects.create(user=user, role=role)
    return user


@pytest.fixture
def clerk(db) -> User:
    return make_user("clerk", Role.AP_CLERK)


@pytest.fixture
def employee(db) -> User:
    return make_user("employee", Role.EMPLOYEE)


@pytest.fixture
def auditor(db) -> User:
    return make_user("auditor", Role.AUDITOR)


@pytest.fixture
def dovecot() -> Iterator[DovecotServer]:
    """Run a Dovecot IMAP server with the accounts in IMAP_USERS."""
    if not DOVECOT.exists():
        pytest.skip(f"No Dovecot at {DOVECOT}: run apt-get install dovecot-imapd.")
    with run_dovecot(IMAP_USERS) as server:
        yield server
