"""Status changes of a document, each checked against DOCUMENT_TRANSITIONS.

Every change locks the document row, checks that the move is allowed from
the status it finds, writes the new status and an audit event in one
transaction. A change that is not allowed raises ``InvalidTransitionError``,
except ``start_reading``, which returns None so that a read task delivered
twice does the work once.
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from fiat.audit.services import record_event
from fiat.core.models import User
from fiat.documents.extraction.result import ExtractionResult
from fiat.documents.models import DOCUMENT_TRANSITIONS, Document, DocumentStatus

logger = logging.getLogger(__name__)

# Longest stored reason; a reader's message is cut to this many characters.
MAX_REASON_LENGTH = 2000
# A read running longer than this is taken to be interrupted. OCR takes
# seconds a page, so only a worker that stopped takes this long.
STALE_READING_AFTER = timedelta(hours=1)


class InvalidTransitionError(Exception):
    """A status change that DOCUMENT_TRANSITIONS does not allow."""

    def __init__(self, document: Document, target: str) -> None:
        super().__init__(
            f"Document {document.pk} is {document.status}, so it cannot become "
            f"{target}."
        )
        self.document = document
        self.target = target


def _locked(document_id: int) -> Document:
    return Document.objects.select_for_update().get(pk=document_id)


def _check(document: Document, target: str) -> None:
    if target not in DOCUMENT_TRANSITIONS[document.status]:
        raise InvalidTransitionError(document, target)


def start_reading(document_id: int) -> Document | None:
    """Move a received document to READING and count the attempt.

    Return None, changing nothing, when the document is not RECEIVED (another
    worker has it, or it was read already) or no longer exists.
    """
    with transaction.atomic():
        document = Document.objects.select_for_update().filter(pk=document_id).first()
        if document is None:
            logger.warning("Document %s to be read does not exist", document_id)
            return None
        if document.status != DocumentStatus.RECEIVED:
            logger.info(
                "Document %s is %s, not received, so it is not read now",
                document.pk,
                document.status,
                extra={"document_id": document.pk},
            )
            return None
        document.status = DocumentStatus.READING
        document.attempts += 1
        document.save(update_fields=["status", "attempts", "updated_at"])
    return document


def mark_read(
    document: Document,
    result: ExtractionResult | None,
    *,
    page_count: int | None,
) -> Document:
    """Store what was read and move the document to READ.

    ``result`` is None for a document that is not read for fields of its
    own: a companion PDF, or a mail whose attachments became documents.
    Call this inside the caller's transaction when more work must commit
    with it, such as creating the invoice.
    """
    with transaction.atomic():
        locked = _locked(document.pk)
        _check(locked, DocumentStatus.READ)
        locked.status = DocumentStatus.READ
        locked.extraction = result.to_json() if result is not None else None
        locked.source = result.source if result is not None else ""
        locked.page_count = page_count
        locked.error_code = ""
        locked.error_message = ""
        locked.read_at = timezone.now()
        locked.save()
        record_event(
            locked,
            "document.read",
            data={"source": locked.source, "page_count": page_count},
        )
    return locked


def quarantine(
    document: Document,
    code: str,
    message: str,
    *,
    result: ExtractionResult | None = None,
) -> Document:
    """Move the document to QUARANTINED with the reason for the clerk.

    ``result`` keeps what was read when the failure came after reading, so
    that the fields are not lost.
    """
    with transaction.atomic():
        locked = _locked(document.pk)
        _check(locked, DocumentStatus.QUARANTINED)
        locked.status = DocumentStatus.QUARANTINED
        locked.error_code = code
        locked.error_message = message[:MAX_REASON_LENGTH]
        if result is not None:
            locked.extraction = result.to_json()
            locked.source = result.source
        locked.save()
        record_event(locked, "document.quarantined", data={"error_code": code})
    logger.warning(
        "Document %s (%s) quarantined: %s: %s",
        locked.pk,
        locked.filename,
        code,
        message,
        extra={"document_id": locked.pk, "error_code": code},
    )
    return locked


def retry(
    document: Document,
    *,
    actor: User | None = None,
    now: datetime | None = None,
) -> Document:
    """Send a quarantined or stuck document back to RECEIVED to be read again.

    A document counts as stuck when it has been READING for longer than
    STALE_READING_AFTER, as after a worker was stopped in the middle. A
    document that a worker may still be reading raises
    InvalidTransitionError. The caller enqueues the read task after the
    transaction commits (see ``fiat.documents.reading.retry_document``).
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(document.pk)
        _check(locked, DocumentStatus.RECEIVED)
        if locked.status == DocumentStatus.READING and (
            now - locked.updated_at < STALE_READING_AFTER
        ):
            raise InvalidTransitionError(locked, DocumentStatus.RECEIVED)
        previous_code = locked.error_code
        locked.status = DocumentStatus.RECEIVED
        locked.save(update_fields=["status", "updated_at"])
        record_event(
            locked,
            "document.retried",
            actor=actor,
            data={"previous_error_code": previous_code},
        )
    return locked
