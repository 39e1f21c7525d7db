"""Duplicate invoices: blocked by number, warned by amount and date."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from fiat.documents.extraction.result import Source
from fiat.payables.check_messages import describe
from fiat.payables.models import InvoiceStatus
from fiat.payables.tests.factories import blocking_codes, check_codes, make_invoice
from fiat.payables.workflow import cancel_invoice

pytestmark = pytest.mark.django_db


def test_same_number_written_differently_blocks(supplier):
    first = make_invoice(invoice_number="INV-00123")

    second = make_invoice(invoice_number="inv 123")

    check = second.checks.get(code="duplicate_number")
    assert check.severity == "blocking"
    assert check.field == "invoice_number"
    assert check.source == f"invoice {first.pk}"
    assert check.expected == "INV-00123"
    assert check.found == "inv 123"
    assert check.params["other_status"] == InvoiceStatus.IN_REVIEW


def test_first_of_two_duplicates_not_blocked(supplier):
    first = make_invoice(invoice_number="INV-00123")
    make_invoice(invoice_number="inv 123")

    first.refresh_from_db()

    assert blocking_codes(first) == []


def test_same_number_of_other_supplier_not_duplicate(supplier):
    make_invoice(invoice_number="INV-00123")

    other = make_invoice(
        invoice_number="INV-00123",
        supplier={"name": "Kantoorhuis", "vat_number": None, "iban": None,
                  "coc_number": None},
    )  # fmt: skip

    assert "duplicate_number" not in check_codes(other)


def test_cancelled_invoice_not_a_duplicate(supplier, clerk):
    first = make_invoice(invoice_number="INV-00123")
    cancel_invoice(first, clerk, "sent twice")

    second = make_invoice(invoice_number="INV-00123", total_gross=Decimal("121.00"))

    assert "duplicate_number" not in check_codes(second)
    assert "possible_duplicate" not in check_codes(second)


def test_same_amount_and_date_warns(supplier):
    first = make_invoice(invoice_number="INV-1")

    second = make_invoice(invoice_number="INV-2")

    check = second.checks.get(code="possible_duplicate")
    assert check.severity == "warning"
    assert check.source == f"invoice {first.pk}"
    assert check.found == "121.00"
    assert check.params["date"] == "2026-03-02"
    assert blocking_codes(second) == []


def test_same_amount_other_date_not_warned(supplier):
    make_invoice(invoice_number="INV-1")

    second = make_invoice(invoice_number="INV-2", issue_date=date(2026, 3, 3))

    assert "possible_duplicate" not in check_codes(second)


def test_same_invoice_as_ubl_and_pdf_flagged(supplier):
    ubl = make_invoice(source=Source.UBL, file="INV-00123.xml")

    pdf = make_invoice(source=Source.PDF_TEXT, file="INV-00123.pdf")

    check = pdf.checks.get(code="duplicate_other_format")
    assert check.severity == "blocking"
    assert check.source == f"invoice {ubl.pk}"
    assert check.params["other_source"] == "ubl"
    assert "possible_duplicate" not in check_codes(pdf)
    with translation.override("en"):
        message = describe(check)
    assert message == (
        f"The same invoice arrived twice: invoice #{ubl.pk} INV-00123, read as "
        "UBL e-invoice, has number INV-00123 too. Cancel one of the two."
    )


def test_pdf_without_number_after_ubl_warned(supplier):
    ubl = make_invoice(source=Source.UBL, file="INV-00123.xml")

    scan = make_invoice(source=Source.OCR, file="scan.jpg", invoice_number=None)

    check = scan.checks.get(code="possible_duplicate")
    assert check.source == f"invoice {ubl.pk}"
    assert check.params["other_source"] == "ubl"
