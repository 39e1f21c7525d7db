"""Mail as received (RFC 5322 with MIME parts): headers and attachments.

Every leaf part that is a file is a candidate: a part with a file name, or
with a type other than text. The text and HTML bodies are not documents,
nor are images embedded in the HTML body (a logo referenced by Content-ID),
which would otherwise be read as invoices. Forwarded mail attached as
message/rfc822 is searched too, because a colleague often forwards a
supplier's mail instead of redirecting it. Nothing here imports Django.
"""

import email
import email.policy
import hashlib
import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from email.utils import parsedate_to_datetime
from pathlib import PurePath

from fiat.documents.filetypes import (
    EXTENSIONS,
    SNIFF_LENGTH,
    is_readable,
    sniff_content_type,
)

logger = logging.getLogger(__name__)

# The longest Message-ID kept as it is; longer ones are replaced by a digest.
MAX_MESSAGE_ID_LENGTH = 255
MAX_FILENAME_LENGTH = 255
_UNSAFE_FILENAME_CHARACTERS = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    # Sniffed from the bytes, because the declared type is not trusted.
    content_type: str


@dataclass
class ParsedMail:
    message_id: str
    sender: str
    subject: str
    sent_at: datetime | None
    # Files the reading pipeline takes, in the order of the mail.
    attachments: list[Attachment] = field(default_factory=list)
    # Names of the files that were left out, for the quarantine reason.
    skipped: list[str] = field(default_factory=list)


def parse_mail(raw: bytes) -> ParsedMail:
    """Return the headers and the usable attachments of the mail ``raw``."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    parsed = ParsedMail(
        message_id=message_key(_header(message, "Message-ID"), raw),
        sender=_header(message, "From")[:500],
        subject=_header(message, "Subject"),
        sent_at=_sent_at(_header(message, "Date")),
    )
    for position, part in enumerate(_file_parts(message), start=1):
        attachment = _attachment(part, position)
        if attachment is None:
            continue
        if is_readable(attachment.content_type, attachment.filename):
            parsed.attachments.append(attachment)
        else:
            parsed.skipped.append(attachment.filename)
    return parsed


def message_key(message_id: str, raw: bytes) -> str:
    """Return the key that makes a mail unique: its Message-ID, or a digest.

    A mail without Message-ID, or with one too long to index, is known by
    the SHA-256 of its bytes, so the same bytes are still taken in once.
    """
    message_id = message_id.strip()
    if message_id and len(message_id) <= MAX_MESSAGE_ID_LENGTH:
        return message_id
    source = message_id.encode() if message_id else raw
    return "sha256:" + hashlib.sha256(source).hexdigest()


def _header(message: Message, name: str) -> str:
    try:
        value = message.get(name)
    except (ValueError, TypeError, IndexError) as error:
        # The header parser of the standard library raises on some
        # malformed headers, and such a header counts as missing.
        logger.warning("Unreadable %s header: %s", name, error)
        return ""
    return " ".join(str(value).split()) if value is not None else ""


def _sent_at(value: str) -> datetime | None:
    if not value:
        return None
    try:
        sent_at = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if sent_at.tzinfo is None:
        # RFC 5322 reads "-0000" as UTC time from an unknown zone.
        sent_at = sent_at.replace(tzinfo=UTC)
    return sent_at


def _file_parts(message: Message) -> list[Message]:
    """Return the leaf parts that are files, depth first, in mail order."""
    parts = []
    for part in message.walk():
        if part.is_multipart():
            continue
        if _is_body(part) or _is_embedded_image(part):
            continue
        parts.append(part)
    return parts


def _is_body(part: Message) -> bool:
    return part.get_content_maintype() == "text" and not part.get_filename()


def _is_embedded_image(part: Message) -> bool:
    """Tell whether the part is an image shown inside the HTML body."""
    return (
        part.get_content_maintype() == "image"
        and part.get("Content-ID") is not None
        and part.get_content_disposition() != "attachment"
    )


def _attachment(part: Message, position: int) -> Attachment | None:
    content = part.get_payload(decode=True)
    if not isinstance(content, bytes):
        return None
    content_type = sniff_content_type(content[:SNIFF_LENGTH])
    filename = safe_filename(_part_filename(part)) or _default_filename(
        position, content_type
    )
    return Attachment(filename=filename, content=content, content_type=content_type)


def _part_filename(part: Message) -> str:
    try:
        return part.get_filename() or ""
    except (ValueError, TypeError, IndexError):
        return ""


def _default_filename(position: int, content_type: str) -> str:
    return f"attachment-{position}{EXTENSIONS.get(content_type, '.bin')}"


def safe_filename(name: str) -> str:
    """Return ``name`` without folders and control characters, at most 255 long.

    Senders' names can carry paths ("C:\\scans\\a.pdf", "../../a.pdf") and
    characters that break downloads. Only the last component is kept.
    """
    name = _valid_unicode(name).replace("\\", "/")
    name = PurePath(name).name if "/" in name else name
    name = _UNSAFE_FILENAME_CHARACTERS.sub("_", name).strip(" .")
    if len(name) <= MAX_FILENAME_LENGTH:
        return name
    suffix = PurePath(name).suffix[:20]
    return name[: MAX_FILENAME_LENGTH - len(suffix)] + suffix


def _valid_unicode(name: str) -> str:
    """Replace undecodable bytes of a file system name (lone surrogates)."""
    try:
        encoded = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        encoded = name.encode("utf-8", "replace")
    return encoded.decode("utf-8", "replace")
