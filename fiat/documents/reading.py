"""The reading pipeline and the background task that reads a document.

``extract`` tries the readers from the most to the least exact: an e-invoice
(UBL or CII XML, or a PDF with one embedded), then the PDF's text layer,
then OCR. ``read_document`` runs it on a stored document in a worker, keeps
what was found and hands it to the payables app, which creates the purchase
invoice. Whatever goes wrong puts the document in quarantine with a reason.
The task itself does not fail, so the worker goes on with the next one.
"""

import logging
from collections.abc import Callable
from functools import partial
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from django_tasks import task

from fiat.core.models import Company, User
from fiat.documents import lifecycle
from fiat.documents.extraction.einvoice import read_einvoice
from fiat.documents.extraction.ocr import read_ocr
from fiat.documents.extraction.pdftext import read_pdf_text
from fiat.documents.extraction.receipts import read_receipt
from fiat.documents.extraction.result import ExtractionError, ExtractionResult
from fiat.documents.filetypes import (
    EMPTY,
    IMAGE_TYPES,
    PDF,
    SNIFF_LENGTH,
    sniff_content_type,
)
from fiat.documents.learning import apply_learned
from fiat.documents.models import Document
from fiat.documents.pages import count_pages
from fiat.documents.storage import local_copy

logger = logging.getLogger(__name__)

# The function that creates the purchase invoice from a read document. The
# FIAT_DOCUMENT_HANDLER setting replaces it with another dotted path.
DEFAULT_DOCUMENT_HANDLER = "fiat.payables.intake.create_invoice_from_document"

DocumentHandler = Callable[[Document, ExtractionResult], object]


def extract(
    path: str | Path,
    filename: str,
    *,
    as_receipt: bool = False,
    own_identifiers: frozenset[str] = frozenset(),
) -> ExtractionResult:
    """Read the invoice (or receipt) fields of the file at ``path``.

    ``filename`` is the name the file came with. It is reported as the
    result's ``file`` and in error messages instead of ``path``.
    ``own_identifiers`` are the receiving company's names and numbers, which
    are never taken as the supplier's. Raise ExtractionError when nothing
    can read the file.
    """
    path = Path(path)
    try:
        result = _read(path, filename, as_receipt=as_receipt, own=own_identifiers)
    except ExtractionError as error:
        _hide_path(error, path, filename)
        raise
    result.file = filename
    return result


def company_identifiers() -> frozenset[str]:
    """Return the company's own names and numbers, never to be read as supplier.

    The company's VAT number, KvK number and IBAN are printed in the
    addressee block of every invoice it receives.
    """
    company = Company.objects.order_by("pk").first()
    if company is None:
        return frozenset()
    values = (
        company.name,
        company.legal_name,
        company.vat_number,
        company.coc_number,
        company.iban,
    )
    return frozenset(value for value in values if value)


def _read(
    path: Path, filename: str, *, as_receipt: bool, own: frozenset[str]
) -> ExtractionResult:
    with path.open("rb") as file:
        content_type = sniff_content_type(file.read(SNIFF_LENGTH))
    if content_type == EMPTY:
        raise ExtractionError(
            "empty_file",
            "The file is empty. Ask the sender for a new copy of the document.",
        )
    if as_receipt:
        return read_receipt(path)
    result = read_einvoice(path, filename)
    if result is not None:
        return result
    if content_type == PDF:
        return read_pdf_text(path, own_identifiers=own) or read_ocr(
            path, own_identifiers=own
        )
    if content_type in IMAGE_TYPES:
        return read_ocr(path, own_identifiers=own)
    raise ExtractionError(
        "unsupported_type",
        f"Fiat cannot read files of type {content_type}. Send the invoice as "
        "a PDF, an image (PNG, JPEG, TIFF) or UBL or CII XML.",
    )


def _hide_path(error: ExtractionError, path: Path, filename: str) -> None:
    """Name the file as received in the message, not by its storage path."""
    if str(path) != filename:
        error.message = error.message.replace(str(path), filename)
        error.args = (error.message,)


@task(queue_name="default")
def read_document(document_id: int) -> str | None:
    """Read document ``document_id`` and create its invoice.

    Return the document's new status, or None when it was not waiting to be
    read (a task delivered twice, or a document read already).
    """
    document = lifecycle.start_reading(document_id)
    if document is None:
        return None
    if document.is_mail:
        return _unpack_mail(document).status
    if document.is_companion:
        return _read_companion(document).status
    return _read_and_hand_over(document).status


def enqueue_read(document_id: int) -> None:
    """Enqueue the read task of ``document_id`` once the transaction commits."""
    transaction.on_commit(partial(read_document.enqueue, document_id))


def retry_document(document: Document, *, actor: User | None = None) -> Document:
    """Send a quarantined document back to be read, and enqueue the read."""
    with transaction.atomic():
        document = lifecycle.retry(document, actor=actor)
        enqueue_read(document.pk)
    logger.info(
        "Document %s sent to be read again",
        document.pk,
        extra={"document_id": document.pk},
    )
    return document


def _read_and_hand_over(document: Document) -> Document:
    try:
        with local_copy(document.stored_file) as path:
            result = extract(
                path, document.filename, own_identifiers=company_identifiers()
            )
            apply_learned(result, path)
            page_count = count_pages(path)
    except ExtractionError as error:
        document = lifecycle.quarantine(document, error.code, error.message)
        _release_companion(document)
        return document
    except Exception as error:
        # A reader that crashes must not stop the worker. The document keeps
        # the error and can be retried once the cause is fixed.
        logger.exception(
            "Reading document %s failed",
            document.pk,
            extra={"document_id": document.pk},
        )
        document = lifecycle.quarantine(
            document, "read_failed", f"Reading the file failed: {error}"
        )
        _release_companion(document)
        return document
    return _hand_over(document, result, page_count)


def _hand_over(
    document: Document, result: ExtractionResult, page_count: int | None
) -> Document:
    """Mark the document read and create its invoice, both or neither.

    When the invoice cannot be created the document goes to quarantine with
    what was read, so a retry after the cause is fixed creates it.
    """
    handler = document_handler()
    try:
        with transaction.atomic():
            document = lifecycle.mark_read(document, result, page_count=page_count)
            if handler is not None:
                handler(document, result)
    except Exception as error:
        logger.exception(
            "Creating the invoice of document %s failed",
            document.pk,
            extra={"document_id": document.pk},
        )
        return lifecycle.quarantine(
            document,
            "invoice_failed",
            f"Could not create the invoice: {error}",
            result=result,
        )
    _finish_companion(document)
    logger.info(
        "Document %s read from %s",
        document.pk,
        result.source,
        extra={"document_id": document.pk, "source": str(result.source)},
    )
    return document


def document_handler() -> DocumentHandler | None:
    """Return the function that turns a read document into an invoice.

    Return None, with a warning, while the payables app has no such
    function, so that documents are still read and kept.
    """
    path = getattr(settings, "FIAT_DOCUMENT_HANDLER", DEFAULT_DOCUMENT_HANDLER)
    module_path = path.rpartition(".")[0]
    try:
        return import_string(path)
    except ImportError as error:
        if getattr(error, "name", None) not in (None, module_path):
            raise
        logger.warning("No document handler at %s, so invoices are not created", path)
        return None


def _read_companion(document: Document) -> Document:
    """Count the pages of the PDF beside an e-invoice, whose XML is read."""
    try:
        with local_copy(document.stored_file) as path:
            page_count = count_pages(path)
    except OSError as error:
        # The pages are only shown, so the e-invoice is still complete.
        logger.warning("Cannot count the pages of companion %s: %s", document.pk, error)
        page_count = None
    return lifecycle.mark_read(document, None, page_count=page_count)


def _finish_companion(document: Document) -> None:
    """Mark the companion PDF of a read e-invoice read as well.

    The companion is not enqueued at intake, so that it waits for its
    e-invoice instead of being read as an invoice of its own.
    """
    if document.companion_id is None:
        return
    read_document.call(document.companion_id)


def _release_companion(document: Document) -> None:
    """Let the companion PDF of an unreadable e-invoice be read on its own."""
    companion_id = document.companion_id
    if companion_id is None:
        return
    with transaction.atomic():
        Document.objects.filter(pk=document.pk).update(companion=None)
        document.companion_id = None
        enqueue_read(companion_id)
    logger.info(
        "Companion %s of unreadable e-invoice %s will be read on its own",
        companion_id,
        document.pk,
        extra={"document_id": companion_id},
    )


def _unpack_mail(document: Document) -> Document:
    """Take in the attachments of a kept mail again, on a retry."""
    # Imported here because intake enqueues this module's task.
    from fiat.documents.intake import NO_ATTACHMENT_CODE, receive_mail_attachments

    try:
        documents = receive_mail_attachments(document.message, document.stored_file)
    except Exception as error:
        logger.exception(
            "Taking in the attachments of mail document %s failed",
            document.pk,
            extra={"document_id": document.pk},
        )
        return lifecycle.quarantine(
            document, "read_failed", f"Reading the mail failed: {error}"
        )
    if not documents:
        return lifecycle.quarantine(
            document, NO_ATTACHMENT_CODE, document.error_message
        )
    return lifecycle.mark_read(document, None, page_count=None)
