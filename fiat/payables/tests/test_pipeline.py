"""From a received file to an invoice in review, through the read task.

The documents app reads a document and hands the result to
``create_invoice_from_document``. These tests run that task on a small UBL
invoice (``samples/INV-00123.xml``), alone and with its PDF in one mail.
"""

from decimal import Decimal
from email.message import EmailMessage
from pathlib import Path

import pytest
import weasyprint

from fiat.documents.intake import receive_file, receive_mail
from fiat.documents.models import Channel, DocumentStatus
from fiat.documents.reading import read_document
from fiat.payables.models import InvoiceStatus, PurchaseInvoice, ReadSource
from fiat.payables.review_context import page_urls
from fiat.payables.tests.factories import blocking_codes

pytestmark = pytest.mark.django_db

UBL = (Path(__file__).parent / "samples" / "INV-00123.xml").read_bytes()


def mail_with(*attachments: tuple[str, bytes, str]) -> bytes:
    message = EmailMessage()
    message["From"] = "facturen@drukkerij.example"
    message["To"] = "inkoop@vos.example"
    message["Subject"] = "Factuur INV-00123"
    message["Message-ID"] = "<inv-00123@drukkerij.example>"
    message.set_content("Bijgaand onze factuur.")
    for filename, content, content_type in attachments:
        maintype, subtype = content_type.split("/")
        message.add_attachment(
            content, maintype=maintype, subtype=subtype, filename=filename
        )
    return message.as_bytes()


def test_read_task_creates_invoice_in_review(supplier):
    document = receive_file(UBL, "INV-00123.xml", channel=Channel.UPLOAD)

    read_document.call(document.pk)

    invoice = PurchaseInvoice.objects.get(document=document)
    assert invoice.status == InvoiceStatus.IN_REVIEW
    assert invoice.source == ReadSource.UBL
    assert invoice.supplier == supplier
    assert invoice.total_gross_amount == Decimal("121.00")
    assert invoice.po_reference == "PO-2026-0042"
    assert blocking_codes(invoice) == []
    document.refresh_from_db()
    assert document.status == DocumentStatus.READ


def test_task_delivered_twice_creates_one_invoice(supplier):
    document = receive_file(UBL, "INV-00123.xml", channel=Channel.UPLOAD)

    read_document.call(document.pk)
    read_document.call(document.pk)

    assert PurchaseInvoice.objects.count() == 1


def test_einvoice_with_pdf_is_one_invoice_with_pages(supplier):
    pdf = weasyprint.HTML(string="<h1>Factuur INV-00123</h1>").write_pdf()
    intake = receive_mail(
        mail_with(
            ("INV-00123.xml", UBL, "application/xml"),
            ("INV-00123.pdf", pdf, "application/pdf"),
        ),
        channel=Channel.FOLDER,
    )
    xml_document = next(
        item.document for item in intake.received if item.document.companion_id
    )

    read_document.call(xml_document.pk)

    invoice = PurchaseInvoice.objects.get()
    assert invoice.document == xml_document
    assert invoice.companion == xml_document.companion
    assert page_urls(invoice) == [f"/documents/{xml_document.pk}/pages/1.png"]
