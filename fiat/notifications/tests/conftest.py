"""Fixtures for the outbox tests: a real SMTP server, users, and settings."""

import email
import email.policy
import socket
from email.message import EmailMessage as ParsedMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from fiat.core.models import Role, RoleGrant, User

TEST_TEMPLATES = Path(__file__).parent / "templates"
REJECTED_ADDRESS = "rejected@example.nl"


class CollectingHandler:
    """An aiosmtpd handler that keeps every message it accepts.

    It rejects the recipient REJECTED_ADDRESS, to provoke a refused delivery.
    """

    def __init__(self) -> None:
        self.envelopes = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address == REJECTED_ADDRESS:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[ParsedMessage]:
        return [
            email.message_from_bytes(envelope.content, policy=email.policy.default)
            for envelope in self.envelopes
        ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def smtp_settings(port: int) -> override_settings:
    return override_settings(
        FIAT_EMAIL_DELIVERY="smtp",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
        EMAIL_TIMEOUT=5,
    )


@pytest.fixture(autouse=True)
def _outbox_settings(settings, tmp_path):
    # Django's test set-up switches EMAIL_BACKEND to its in-memory backend.
    settings.EMAIL_BACKEND = "fiat.notifications.backends.OutboxBackend"
    settings.FIAT_EMAIL_DELIVERY = "none"
    settings.FIAT_BASE_URL = "https://fiat.example.nl"
    settings.DEFAULT_FROM_EMAIL = "Fiat <fiat@example.nl>"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1, with delivery set to smtp."""
    handler = CollectingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        with smtp_settings(controller.port):
            yield handler
    finally:
        controller.stop()


@pytest.fixture
def smtp_server_down():
    """Delivery set to smtp, on a port where nothing listens."""
    with smtp_settings(free_port()):
        yield


@pytest.fixture
def test_templates(settings):
    """Add this folder's mail templates to the template search path."""
    engine = {**settings.TEMPLATES[0]}
    engine["DIRS"] = [*engine["DIRS"], TEST_TEMPLATES]
    settings.TEMPLATES = [engine]


@pytest.fixture
def alice(db) -> User:
    return User.objects.create_user(
        "alice", email="alice@example.nl", first_name="Alice", last_name="de Vries"
    )


@pytest.fixture
def bob(db) -> User:
    return User.objects.create_user("bob", email="bob@example.nl")


@pytest.fixture
def administrator(db) -> User:
    user = User.objects.create_user("admin", email="admin@example.nl")
    RoleGrant.objects.create(user=user, role=Role.ADMINISTRATOR)
    return user
