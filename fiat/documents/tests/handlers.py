"""Document handlers that tests name in FIAT_DOCUMENT_HANDLER.

The real handler, in the payables app, creates a purchase invoice. These
record the call or fail, so that the documents tests do not depend on it.
"""

from fiat.documents.extraction.result import ExtractionResult
from fiat.documents.models import Document

RECORD = "fiat.documents.tests.handlers.record_document"
FAIL = "fiat.documents.tests.handlers.fail"

handled: list[tuple[int, str]] = []


def record_document(document: Document, result: ExtractionResult) -> None:
    handled.append((document.pk, str(result.source)))


def fail(document: Document, result: ExtractionResult) -> None:
    raise RuntimeError("the supplier table is locked for maintenance")
