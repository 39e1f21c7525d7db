"""Real-world invoices dropped in the folder or mailed end up checked or explained.

Each sample PDF from the corpus is dropped into the drop folder or mailed to
the mailbox. It must become a purchase invoice on the review queue with its
number and total filled, or land in quarantine with a reason the clerk can
act on. Nothing may vanish.
"""

import hashlib

import pytest
from django.conf import settings as django_settings

from fiat.documents.dropfolder import scan_drop_folder
from fiat.documents.imap import poll_mailbox
from fiat.documents.models import Document, DocumentStatus, Mailbox, MailboxSecurity
from fiat.documents.tests import samples
from fiat.documents.tests.conftest import IMAP_USERS
from fiat.payables.models import InvoiceStatus

pytestmark = pytest.mark.django_db

REAL_HANDLER = "fiat.payables.intake.create_invoice_from_document"


@pytest.fixture
def corpus_pdfs(corpus_dir):
    invoice2data = sorted(
        (corpus_dir / "invoices-pdf/invoice2data/compare").glob("*.pdf")
    )
    factur_x = sorted(
        (corpus_dir / "facturx-zugferd/ZUGFeRD-corpus/ZUGFeRDv2/correct").rglob("*.pdf")
    )
    return invoice2data, factur_x


@pytest.fixture
def real_handler(settings, immediate_tasks):
    settings.FIAT_DOCUMENT_HANDLER = REAL_HANDLER


def _assert_checked_or_explained(document: Document) -> None:
    if document.status == DocumentStatus.QUARANTINED:
        assert document.error_code, document.filename
        assert document.error_message, document.filename
        return
    assert document.status == DocumentStatus.READ, document.filename
    invoice = document.purchase_invoice
    assert invoice.status == InvoiceStatus.IN_REVIEW, document.filename
    # A field the reader could not find is left for the clerk, with a
    # blocking finding that names it, so the invoice cannot be submitted
    # without it.
    flagged = set(
        invoice.checks.filter(code="missing_field").values_list("field", flat=True)
    )
    assert invoice.invoice_number or "invoice_number" in flagged, document.filename
    assert invoice.total_gross_amount is not None or "total_gross_amount" in flagged, (
        document.filename
    )


def test_dropped_corpus_pdfs_reach_queue_or_quarantine(
    corpus_pdfs, real_handler, on_commit
):
    invoice2data, factur_x = corpus_pdfs
    folder = django_settings.FIAT_DROP_DIR
    folder.mkdir()
    distinct = {}
    for index, path in enumerate(invoice2data + factur_x):
        content = path.read_bytes()
        distinct.setdefault(hashlib.sha256(content).hexdigest(), path.name)
        (folder / f"{index:03d}-{path.name}").write_bytes(content)

    with on_commit():
        scan_drop_folder(min_age_seconds=0)

    documents = list(Document.objects.filter(companion__isnull=True))
    assert len(invoice2data) == 11
    assert len(factur_x) == 20
    assert len(documents) == len(distinct)
    for document in documents:
        _assert_checked_or_explained(document)
    factur_x_names = [
        f"{index:03d}-{path.name}"
        for index, path in enumerate(invoice2data + factur_x)
        if path in factur_x
    ]
    for document in Document.objects.filter(filename__in=factur_x_names):
        assert document.status == DocumentStatus.READ, document.filename
        assert document.source == "facturx", document.filename


def test_mailed_corpus_pdf_reaches_queue(corpus_dir, dovecot, real_handler, on_commit):
    path = corpus_dir / "invoices-pdf/invoice2data/compare/AmazonWebServices.pdf"
    mailbox = Mailbox.objects.create(
        name="invoices",
        host=dovecot.host,
        port=dovecot.port,
        security=MailboxSecurity.NONE,
        username="invoices",
        password=IMAP_USERS["invoices"],
    )
    raw = samples.mail((path.name, path.read_bytes(), "application/pdf"))
    with dovecot.connect("invoices", IMAP_USERS["invoices"]) as client:
        client.append(raw, "INBOX")

    with on_commit():
        poll_mailbox(mailbox)

    document = Document.objects.get(filename=path.name)
    assert document.status == DocumentStatus.READ
    assert document.purchase_invoice.status == InvoiceStatus.IN_REVIEW
    assert document.purchase_invoice.total_gross_amount is not None
