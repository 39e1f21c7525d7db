"""The document shown on the approval pages: its summary and its page images.

Each document kind renders its own summary template. Page images come from
the kind's ``page_document``. The approval pages serve them themselves,
because an approver may have no right to the documents app and a link page
has no signed-in user.
"""

from collections.abc import Callable

from django.template.loader import render_to_string

from fiat.approvals.kinds import DocumentKind, get_kind, load_subject
from fiat.approvals.models import ApprovalRequest
from fiat.documents.pages import PageNotFoundError, page_image


def page_count(kind: DocumentKind, subject) -> int:
    document = kind.page_document(subject) if subject is not None else None
    if document is None:
        return 0
    # A document with a companion (the PDF of an e-invoice) shows its pages.
    shown = document.companion or document
    return shown.page_count or 0


def render_summary(request: ApprovalRequest, page_url: Callable[[int], str]) -> str:
    """Render the kind's summary of the request's document as HTML.

    ``page_url(number)`` returns the URL of a page image (from 1) that the
    current reader may open.
    """
    kind = get_kind(request.document_kind)
    subject = load_subject(request)
    if subject is None:
        return ""
    count = page_count(kind, subject)
    context = {
        **kind.summary_context(subject),
        "subject": subject,
        "request": request,
        "page_urls": [page_url(number) for number in range(1, count + 1)],
    }
    return render_to_string(kind.summary_template, context)


def document_page(request: ApprovalRequest, number: int) -> bytes | None:
    """Return page ``number`` (from 1) of the request's document as PNG bytes,
    or None when the document has no such page."""
    kind = get_kind(request.document_kind)
    subject = request.subject
    document = kind.page_document(subject) if subject is not None else None
    if document is None or not 1 <= number <= page_count(kind, subject):
        return None
    try:
        return page_image(document, number)
    except PageNotFoundError:
        return None
