"""Polling IMAP mailboxes for supplier invoices, with imap-tools.

Each poll takes every mail in the mailbox's folder, hands it to
``intake.receive_mail`` and then moves it to the processed folder, or to
the quarantine folder when it had nothing usable. A mail is moved only
after its documents are committed, so a crash in between leaves it in the
folder and the next poll takes it again, which the Message-ID makes
harmless. A mailbox that fails (wrong password, server down) records the
error in ``last_error``, and the next mailbox is polled as usual.
"""

import imaplib
import logging
from dataclasses import dataclass

from django.utils import timezone
from imap_tools import BaseMailBox, MailBox, MailBoxStartTls, MailBoxUnencrypted
from imap_tools.errors import ImapToolsError, MailboxLoginError
from imap_tools.message import MailMessage

from fiat.documents.intake import MailIntake, receive_mail
from fiat.documents.models import Channel, Mailbox, MailboxSecurity

logger = logging.getLogger(__name__)

# Mails taken from one mailbox per poll. The rest wait for the next poll.
FETCH_LIMIT = 100
TIMEOUT_SECONDS = 60


class RawMailMessage(MailMessage):
    """A fetched mail that keeps its bytes exactly as the server sent them."""

    def __init__(self, fetch_data: list) -> None:
        super().__init__(fetch_data)
        self.raw_bytes: bytes = self._get_message_data_parts(fetch_data)[0]


@dataclass
class PollResult:
    taken_in: int = 0
    duplicates: int = 0
    quarantined: int = 0
    failed: int = 0


class MailboxPollError(Exception):
    """A mailbox could not be polled. The message is stored as last_error."""


def poll_mailboxes() -> dict[int, PollResult | None]:
    """Poll every enabled mailbox and return the result by id, None if failed."""
    results: dict[int, PollResult | None] = {}
    for mailbox in Mailbox.objects.filter(enabled=True):
        try:
            results[mailbox.pk] = poll_mailbox(mailbox)
        except MailboxPollError:
            results[mailbox.pk] = None
    return results


def poll_mailbox(mailbox: Mailbox) -> PollResult:
    """Take in the mail of one mailbox and record how the poll went.

    Raise MailboxPollError, after storing it in ``last_error``, when the
    server cannot be reached, rejects the login or fails a command.
    """
    try:
        result = _poll(mailbox)
    except MailboxLoginError as error:
        raise _record_error(
            mailbox,
            f"Login failed for user {mailbox.username} on {mailbox.host}:"
            f"{mailbox.port}: {_server_message(error)}. Check the user name and "
            "password.",
        ) from error
    except (OSError, imaplib.IMAP4.error, ImapToolsError) as error:
        raise _record_error(
            mailbox,
            f"Polling {mailbox.host}:{mailbox.port} failed: {error}. Check the "
            "server, port and connection security.",
        ) from error
    error_text = ""
    if result.failed:
        error_text = (
            f"{result.failed} mails could not be taken in and stay in "
            f"{mailbox.folder}; the log has the errors."
        )
    _record_poll(mailbox, error_text)
    logger.info(
        "Polled mailbox %s: %d taken in, %d seen before, %d quarantined, %d failed",
        mailbox.pk,
        result.taken_in,
        result.duplicates,
        result.quarantined,
        result.failed,
        extra={"mailbox_id": mailbox.pk},
    )
    return result


def connect(mailbox: Mailbox) -> BaseMailBox:
    """Open and log in to ``mailbox``, without selecting a folder."""
    if mailbox.security == MailboxSecurity.SSL:
        client = MailBox(mailbox.host, mailbox.port, timeout=TIMEOUT_SECONDS)
    elif mailbox.security == MailboxSecurity.STARTTLS:
        client = MailBoxStartTls(mailbox.host, mailbox.port, timeout=TIMEOUT_SECONDS)
    else:
        client = MailBoxUnencrypted(mailbox.host, mailbox.port, timeout=TIMEOUT_SECONDS)
    client.email_message_class = RawMailMessage
    try:
        return client.login(mailbox.username, mailbox.password, initial_folder=None)
    except BaseException:
        client.client.shutdown()
        raise


def _poll(mailbox: Mailbox) -> PollResult:
    result = PollResult()
    with connect(mailbox) as client:
        for folder in (mailbox.processed_folder, mailbox.quarantine_folder):
            if not client.folder.exists(folder):
                client.folder.create(folder)
        client.folder.set(mailbox.folder)
        for message in client.fetch("ALL", mark_seen=False, limit=FETCH_LIMIT):
            intake = _take_in(mailbox, message)
            if intake is None:
                result.failed += 1
                continue
            _count(result, intake)
            destination = (
                mailbox.quarantine_folder
                if intake.quarantined
                else mailbox.processed_folder
            )
            client.move(message.uid, destination)
    return result


def _take_in(mailbox: Mailbox, message: RawMailMessage) -> MailIntake | None:
    try:
        return receive_mail(message.raw_bytes, mailbox, channel=Channel.IMAP)
    except Exception:
        # The mail stays in the folder and is tried again at the next poll.
        logger.exception(
            "Taking in mail UID %s of mailbox %s failed",
            message.uid,
            mailbox.pk,
            extra={"mailbox_id": mailbox.pk},
        )
        return None


def _count(result: PollResult, intake: MailIntake) -> None:
    if not intake.created:
        result.duplicates += 1
    elif intake.quarantined:
        result.quarantined += 1
    else:
        result.taken_in += 1


def _record_poll(mailbox: Mailbox, error_text: str) -> None:
    mailbox.last_polled_at = timezone.now()
    mailbox.last_error = error_text
    mailbox.save(update_fields=["last_polled_at", "last_error"])


def _record_error(mailbox: Mailbox, error_text: str) -> MailboxPollError:
    logger.warning(
        "Mailbox %s: %s", mailbox.pk, error_text, extra={"mailbox_id": mailbox.pk}
    )
    _record_poll(mailbox, error_text)
    return MailboxPollError(error_text)


def _server_message(error: MailboxLoginError) -> str:
    """Return the server's text from a failed login, such as its reason."""
    data = getattr(error, "command_result", None)
    if data and len(data) > 1 and data[1]:
        first = data[1][0]
        if isinstance(first, bytes):
            return first.decode(errors="replace")
        return str(first)
    return str(error)
