"""Taking in files and mail from every channel: store first, then read.

Each way in (mailbox, drop folder, upload, command line, API) ends here.
The original is stored before anything reads it. Taking in the same bytes
again returns the document made the first time, and a mail is taken in once
per Message-ID and mailbox. Reading happens in a background task that
is enqueued when the transaction commits.

A mail becomes one document per usable attachment. An XML e-invoice with a
PDF beside it becomes one document pair: the XML is read and the PDF is its
companion, shown to people. A mail with nothing usable is kept whole as an
.eml document in quarantine, with the reason.
"""

import logging
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings
from django.db import IntegrityError, transaction

from fiat.audit.services import record_event
from fiat.core.models import User
from fiat.documents.extraction.einvoice import read_einvoice
from fiat.documents.extraction.result import ExtractionError
from fiat.documents.filetypes import MAIL, PDF, SNIFF_LENGTH, XML, sniff_content_type
from fiat.documents.mail import Attachment, ParsedMail, parse_mail, safe_filename
from fiat.documents.models import (
    Channel,
    Document,
    DocumentStatus,
    InboundMessage,
    Mailbox,
    StoredFile,
)
from fiat.documents.reading import enqueue_read
from fiat.documents.storage import store_file

logger = logging.getLogger(__name__)

NO_ATTACHMENT_CODE = "no_attachment"
# The largest file taken in by upload and API, unless FIAT_MAX_DOCUMENT_BYTES
# sets another limit. Mail servers limit mail size themselves.
DEFAULT_MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
_MAIL_SUFFIX = ".eml"


@dataclass(frozen=True)
class Received:
    document: Document
    # False when the same file had been taken in before.
    created: bool


@dataclass
class MailIntake:
    message: InboundMessage
    # False when the mail had been taken in before, and nothing was changed.
    created: bool
    received: list[Received] = field(default_factory=list)

    @property
    def quarantined(self) -> bool:
        """Whether the mail had nothing usable and was kept in quarantine."""
        return any(item.document.is_mail for item in self.received)


def max_document_bytes() -> int:
    return getattr(settings, "FIAT_MAX_DOCUMENT_BYTES", DEFAULT_MAX_DOCUMENT_BYTES)


def receive_file(
    content: bytes,
    filename: str,
    *,
    channel: Channel,
    message: InboundMessage | None = None,
    received_by: User | None = None,
) -> Document:
    """Store ``content`` and return its document, enqueuing the read if new.

    The same bytes taken in again return the first document unchanged.
    """
    stored, _ = store_file(content)
    return _create_document(
        stored,
        safe_filename(filename) or "document",
        channel=channel,
        message=message,
        received_by=received_by,
    ).document


def receive_any(
    content: bytes,
    filename: str,
    *,
    channel: Channel,
    received_by: User | None = None,
) -> list[Received]:
    """Take in a file, or a saved mail (.eml) as its attachments."""
    content_type = sniff_content_type(content[:SNIFF_LENGTH])
    if content_type == MAIL or PurePath(filename).suffix.lower() == _MAIL_SUFFIX:
        return receive_mail(
            content, None, channel=channel, received_by=received_by
        ).received
    stored, _ = store_file(content)
    received = _create_document(
        stored,
        safe_filename(filename) or "document",
        channel=channel,
        received_by=received_by,
    )
    return [received]


def receive_mail(
    raw: bytes,
    mailbox: Mailbox | None = None,
    *,
    channel: Channel = Channel.IMAP,
    received_by: User | None = None,
) -> MailIntake:
    """Take in one mail: store it whole, then each usable attachment.

    A mail already taken in from ``mailbox`` (the same Message-ID) changes
    nothing and returns its earlier documents with ``created`` False.
    """
    parsed = parse_mail(raw)
    existing = _find_message(mailbox, parsed.message_id)
    if existing is not None:
        return _known_mail(existing)
    raw_file, _ = store_file(raw)
    stored = [store_file(attachment.content)[0] for attachment in parsed.attachments]
    try:
        with transaction.atomic():
            message = InboundMessage.objects.create(
                channel=channel,
                mailbox=mailbox,
                message_id=parsed.message_id,
                sender=parsed.sender,
                subject=parsed.subject,
                sent_at=parsed.sent_at,
                raw_file=raw_file,
            )
            received = _create_mail_documents(message, parsed, stored, received_by)
    except IntegrityError:
        logger.info(
            "Mail %s was taken in by another process at the same time",
            parsed.message_id,
        )
        return _known_mail(_find_message(mailbox, parsed.message_id))
    _log_mail(message, received)
    return MailIntake(message=message, created=True, received=received)


def receive_mail_attachments(
    message: InboundMessage, raw_file: StoredFile
) -> list[Received]:
    """Take in the usable attachments of a kept mail, on a retry.

    Return an empty list, creating nothing, when the mail still has no
    usable attachment.
    """
    parsed = parse_mail(raw_file.read_bytes())
    if not parsed.attachments:
        return []
    stored = [store_file(attachment.content)[0] for attachment in parsed.attachments]
    with transaction.atomic():
        return _receive_attachments(message, parsed.attachments, stored)


def _find_message(mailbox: Mailbox | None, message_id: str) -> InboundMessage | None:
    return InboundMessage.objects.filter(mailbox=mailbox, message_id=message_id).first()


def _known_mail(message: InboundMessage) -> MailIntake:
    logger.info(
        "Mail %s was taken in before as message %s, so it is skipped",
        message.message_id,
        message.pk,
        extra={"inbound_message_id": message.pk},
    )
    received = [
        Received(document, created=False) for document in message.documents.all()
    ]
    return MailIntake(message=message, created=False, received=received)


def _create_mail_documents(
    message: InboundMessage,
    parsed: ParsedMail,
    stored: list[StoredFile],
    received_by: User | None,
) -> list[Received]:
    if stored:
        return _receive_attachments(message, parsed.attachments, stored, received_by)
    reason = "The mail has no PDF, image or e-invoice attached."
    if parsed.skipped:
        reason += " Attached: " + ", ".join(parsed.skipped) + "."
    whole_mail = _create_document(
        message.raw_file,
        _mail_filename(parsed.subject),
        channel=message.channel,
        message=message,
        received_by=received_by,
        error=(NO_ATTACHMENT_CODE, reason),
    )
    return [whole_mail]


def _receive_attachments(
    message: InboundMessage,
    attachments: list[Attachment],
    stored: list[StoredFile],
    received_by: User | None = None,
) -> list[Received]:
    """Create the documents of a mail's attachments and pair XML with PDF."""
    received = [
        _create_document(
            stored_file,
            attachment.filename,
            channel=message.channel,
            message=message,
            received_by=received_by,
            enqueue=False,
        )
        for attachment, stored_file in zip(attachments, stored, strict=True)
    ]
    companion_positions = set()
    for xml_position, pdf_position in find_companions(attachments).items():
        if _link_companion(received[xml_position], received[pdf_position]):
            companion_positions.add(pdf_position)
    for position, item in enumerate(received):
        # A companion waits for its e-invoice (see reading._finish_companion).
        if item.created and position not in companion_positions:
            enqueue_read(item.document.pk)
    return received


def _link_companion(xml: Received, pdf: Received) -> bool:
    """Make ``pdf`` the companion of ``xml`` when both are new documents."""
    if not (xml.created and pdf.created):
        return False
    xml.document.companion = pdf.document
    xml.document.save(update_fields=["companion", "updated_at"])
    return True


def find_companions(attachments: list[Attachment]) -> dict[int, int]:
    """Pair each XML e-invoice of a mail with the PDF that shows it.

    Return XML position to PDF position. A PDF with the same name stem is
    paired first ("F2024-17.xml" with "F2024-17.pdf"). Then, if exactly one
    e-invoice and one PDF are left, those two are paired.
    """
    einvoices = [
        position
        for position, attachment in enumerate(attachments)
        if attachment.content_type == XML and _is_einvoice(attachment)
    ]
    pdfs = [
        position
        for position, attachment in enumerate(attachments)
        if attachment.content_type == PDF
    ]
    pdf_by_stem = {_stem(attachments[position]): position for position in pdfs}
    pairs = {}
    for position in einvoices:
        pdf_position = pdf_by_stem.get(_stem(attachments[position]))
        if pdf_position is not None and pdf_position not in pairs.values():
            pairs[position] = pdf_position
    unpaired_einvoices = [position for position in einvoices if position not in pairs]
    unpaired_pdfs = [position for position in pdfs if position not in pairs.values()]
    if len(unpaired_einvoices) == 1 and len(unpaired_pdfs) == 1:
        pairs[unpaired_einvoices[0]] = unpaired_pdfs[0]
    return pairs


def _stem(attachment: Attachment) -> str:
    return PurePath(attachment.filename).stem.casefold()


def _is_einvoice(attachment: Attachment) -> bool:
    try:
        return read_einvoice(attachment.content, attachment.filename) is not None
    except ExtractionError:
        return False


def _create_document(
    stored: StoredFile,
    filename: str,
    *,
    channel: Channel,
    message: InboundMessage | None = None,
    received_by: User | None = None,
    enqueue: bool = True,
    error: tuple[str, str] | None = None,
) -> Received:
    """Create the document of ``stored``, or return the one it has.

    With ``error`` (code, reason) the document starts in quarantine instead
    of being read.
    """
    existing = Document.objects.filter(stored_file=stored).first()
    if existing is not None:
        return Received(existing, created=False)
    try:
        with transaction.atomic():
            document = _insert_document(
                stored, filename, channel, message, received_by, error
            )
            if enqueue and error is None:
                enqueue_read(document.pk)
    except IntegrityError:
        logger.info(
            "Stored file %s became a document in another process at the same time",
            stored.sha256,
        )
        return Received(Document.objects.get(stored_file=stored), created=False)
    logger.info(
        "Document %s received by %s: %s",
        document.pk,
        channel,
        filename,
        extra={"document_id": document.pk, "sha256": stored.sha256},
    )
    return Received(document, created=True)


def _insert_document(
    stored: StoredFile,
    filename: str,
    channel: Channel,
    message: InboundMessage | None,
    received_by: User | None,
    error: tuple[str, str] | None,
) -> Document:
    error_code, error_message = error or ("", "")
    document = Document.objects.create(
        stored_file=stored,
        channel=channel,
        filename=filename,
        message=message,
        received_by=received_by,
        status=DocumentStatus.QUARANTINED if error else DocumentStatus.RECEIVED,
        error_code=error_code,
        error_message=error_message,
    )
    record_event(
        document,
        "document.received",
        actor=received_by,
        data={
            "channel": str(channel),
            "filename": filename,
            "sha256": stored.sha256,
            "size": stored.size,
            "content_type": stored.content_type,
            "message_id": message.message_id if message else None,
            "error_code": error_code or None,
        },
    )
    return document


def _mail_filename(subject: str) -> str:
    stem = safe_filename(subject)[:100].strip(" .") or "mail"
    return stem + _MAIL_SUFFIX


def _log_mail(message: InboundMessage, received: list[Received]) -> None:
    logger.info(
        "Mail %s from %s taken in as message %s with %d documents",
        message.message_id,
        message.sender,
        message.pk,
        len(received),
        extra={"inbound_message_id": message.pk},
    )
