"""Creating a purchase invoice from a read document."""

from datetime import date
from decimal import Decimal

import pytest

from fiat.audit.models import AuditEvent
from fiat.documents.extraction.result import DocumentType, LineFields, Source
from fiat.payables.intake import LOW_CONFIDENCE_THRESHOLD, create_invoice_from_document
from fiat.payables.models import (
    InvoiceDocumentType,
    InvoiceStatus,
    PurchaseInvoice,
)
from fiat.payables.tests.factories import (
    SUPPLIER_IBAN,
    SUPPLIER_VAT,
    blocking_codes,
    check_codes,
    make_document,
    make_invoice,
    make_result,
)

pytestmark = pytest.mark.django_db


def test_invoice_filled_from_result(supplier):
    invoice = make_invoice()

    assert invoice.status == InvoiceStatus.IN_REVIEW
    assert invoice.source == Source.PDF_TEXT
    assert invoice.document_type == InvoiceDocumentType.INVOICE
    assert invoice.supplier == supplier
    assert invoice.invoice_number == "INV-00123"
    assert invoice.normalised_invoice_number == "INV123"
    assert invoice.issue_date == date(2026, 3, 2)
    assert invoice.due_date == date(2026, 4, 1)
    assert invoice.currency == "EUR"
    assert invoice.total_net_amount == Decimal("100.00")
    assert invoice.total_vat_amount == Decimal("21.00")
    assert invoice.total_gross_amount == Decimal("121.00")
    assert invoice.iban == SUPPLIER_IBAN
    assert invoice.extracted["total_gross"] == "121.00"


def test_lines_and_breakdown_stored(supplier):
    invoice = make_invoice()

    line = invoice.lines.get()
    assert line.position == 1
    assert line.description == "Flyers A5, 1000 pieces"
    assert line.net_amount == Decimal("100.00")
    subtotal = invoice.vat_subtotals.get()
    assert subtotal.rate == Decimal("21")
    assert subtotal.base_amount == Decimal("100.00")
    assert subtotal.vat_amount == Decimal("21.00")


def test_coding_prefilled_from_supplier_defaults(supplier):
    invoice = make_invoice()

    assert invoice.ledger_account.code == "4600"
    assert invoice.vat_code.code == "I21"


def test_clean_invoice_has_no_blocking_checks(supplier):
    invoice = make_invoice()

    assert blocking_codes(invoice) == []
    assert check_codes(invoice) == ["supplier_matched"]


def test_creation_recorded_in_audit_trail(supplier):
    invoice = make_invoice()

    event = AuditEvent.objects.get(object_type="payables.purchaseinvoice")
    assert event.object_id == str(invoice.pk)
    assert event.action == "invoice.created"
    assert event.actor is None
    assert event.amounts == {"total_gross_amount": "121.00", "currency": "EUR"}
    assert event.data["document"] == invoice.document_id


def test_same_document_twice_gives_one_invoice(supplier):
    document = make_document()
    first = create_invoice_from_document(document, make_result())

    second = create_invoice_from_document(document, make_result(invoice_number="X"))

    assert second.pk == first.pk
    assert second.invoice_number == "INV-00123"
    assert PurchaseInvoice.objects.count() == 1


def test_companion_pdf_returns_invoice_of_its_einvoice(supplier):
    pdf = make_document("invoice.pdf")
    xml = make_document("invoice.xml", b"<Invoice>made up</Invoice>")
    xml.companion = pdf
    xml.save(update_fields=["companion"])
    invoice = create_invoice_from_document(xml, make_result(source=Source.UBL))

    from_pdf = create_invoice_from_document(pdf, make_result())

    assert from_pdf.pk == invoice.pk
    assert invoice.companion == pdf
    assert PurchaseInvoice.objects.count() == 1


def test_credit_note_keeps_positive_amounts(supplier):
    invoice = make_invoice(document_type=DocumentType.CREDIT_NOTE)

    assert invoice.document_type == InvoiceDocumentType.CREDIT_NOTE
    assert invoice.total_gross_amount == Decimal("121.00")
    assert invoice.signed_gross_amount == Decimal("-121.00")
    assert "credit_note" in check_codes(invoice)


def test_credit_note_with_negative_amounts_stored_positive(supplier):
    invoice = make_invoice(
        document_type=DocumentType.CREDIT_NOTE,
        total_net=Decimal("-100.00"),
        total_vat=Decimal("-21.00"),
        total_gross=Decimal("-121.00"),
        vat_breakdown=[],
        lines=[
            LineFields("Return", Decimal("1"), Decimal("-100.00"), Decimal("-100.00"))
        ],
    )

    assert invoice.document_type == InvoiceDocumentType.CREDIT_NOTE
    assert invoice.total_net_amount == Decimal("100.00")
    assert invoice.total_vat_amount == Decimal("21.00")
    assert invoice.total_gross_amount == Decimal("121.00")
    assert invoice.lines.get().net_amount == Decimal("100.00")
    assert blocking_codes(invoice) == []


def test_negative_invoice_becomes_credit_note(supplier):
    invoice = make_invoice(
        total_net=Decimal("-100.00"),
        total_vat=Decimal("-21.00"),
        total_gross=Decimal("-121.00"),
        vat_breakdown=[],
        lines=[],
    )

    assert invoice.document_type == InvoiceDocumentType.CREDIT_NOTE
    assert invoice.total_gross_amount == Decimal("121.00")
    negative = invoice.checks.get(code="negative_invoice")
    assert negative.found == "-121.00"
    assert negative.expected == "121.00"


def test_no_positive_invoice_stored_for_a_credit(supplier):
    make_invoice(document_type=DocumentType.CREDIT_NOTE)
    make_invoice(invoice_number="INV-2", total_gross=Decimal("-121.00"),
                 total_net=Decimal("-100.00"), total_vat=Decimal("-21.00"),
                 vat_breakdown=[], lines=[])  # fmt: skip

    assert not PurchaseInvoice.objects.filter(
        document_type=InvoiceDocumentType.INVOICE
    ).exists()
    assert not PurchaseInvoice.objects.filter(total_gross_amount__lt=0).exists()


def test_low_confidence_fields_marked_for_review(supplier):
    below = LOW_CONFIDENCE_THRESHOLD - 0.01
    result = make_result(
        confidence={"total_gross": below, "supplier.iban": 0.5, "invoice_number": 0.95}
    )

    invoice = make_invoice(result)

    assert invoice.review_fields == ["iban", "total_gross_amount"]
    low = invoice.checks.filter(code="low_confidence").order_by("field")
    assert [check.field for check in low] == ["iban", "total_gross_amount"]
    assert [check.params["confidence"] for check in low] == ["50", "79"]
    assert all(check.severity == "warning" for check in low)


def test_confidence_at_threshold_not_marked(supplier):
    result = make_result(confidence={"total_gross": LOW_CONFIDENCE_THRESHOLD})

    invoice = make_invoice(result)

    assert invoice.review_fields == []


def test_missing_fields_marked_and_blocking(supplier):
    invoice = make_invoice(invoice_number=None, issue_date=None, total_vat=None)

    assert invoice.review_fields == ["invoice_number", "issue_date", "total_vat_amount"]
    missing = invoice.checks.filter(code="missing_field", severity="blocking")
    assert sorted(missing.values_list("field", flat=True)) == [
        "invoice_number",
        "issue_date",
        "total_vat_amount",
    ]


def test_missing_currency_falls_back_to_company_currency(supplier):
    invoice = make_invoice(currency=None)

    assert invoice.currency == "EUR"
    assert "currency" in invoice.review_fields


def test_iban_with_spaces_and_lower_case_stored_compact(supplier):
    for written in ("nl91 abna 0417 1643 00", "nl91 abna 0417 1643 00 ",
                    "nl91\u00a0abna\u00a00417\u00a01643\u00a000"):  # fmt: skip
        invoice = make_invoice(supplier={"iban": written}, invoice_number=written)

        assert invoice.iban == "NL91ABNA0417164300"
        assert "invalid_iban" not in check_codes(invoice)


def test_iban_with_wrong_checksum_blocks(supplier):
    invoice = make_invoice(supplier={"iban": "NL91ABNA0417164301"})

    assert invoice.iban == "NL91ABNA0417164301"
    check = invoice.checks.get(code="invalid_iban")
    assert check.severity == "blocking"
    assert check.field == "iban"
    assert check.found == "NL91ABNA0417164301"


@pytest.mark.parametrize("written", ["NL000099998B57", "nl 0000 99998 b57"])
def test_valid_vat_number_stored_compact(written, supplier):
    invoice = make_invoice(supplier={"vat_number": written})

    assert invoice.supplier_vat_number == SUPPLIER_VAT
    assert "invalid_vat_number" not in check_codes(invoice)
    assert invoice.supplier == supplier


def test_invalid_vat_number_warns(db):
    invoice = make_invoice(supplier={"vat_number": "BE0000000000"})

    check = invoice.checks.get(code="invalid_vat_number")
    assert check.severity == "warning"
    assert check.found == "BE0000000000"


def test_reader_warnings_shown_as_information(supplier):
    invoice = make_invoice(warnings=["Two totals found; the larger was taken."])

    check = invoice.checks.get(code="reader_warning")
    assert check.severity == "info"
    assert check.params == {"warning": "Two totals found; the larger was taken."}


def test_receipt_read_as_invoice_warns(supplier):
    invoice = make_invoice(document_type=DocumentType.RECEIPT)

    assert invoice.document_type == InvoiceDocumentType.INVOICE
    assert invoice.checks.get(code="receipt_as_invoice").severity == "warning"


def test_foreign_currency_pointed_out(supplier):
    invoice = make_invoice(currency="usd")

    assert invoice.currency == "USD"
    check = invoice.checks.get(code="foreign_currency")
    assert check.expected == "EUR"
    assert check.found == "USD"


def test_due_date_before_invoice_date_warns(supplier):
    invoice = make_invoice(due_date=date(2026, 2, 1))

    check = invoice.checks.get(code="due_before_issue")
    assert check.expected == "2026-03-02"
    assert check.found == "2026-02-01"


def test_long_texts_cut_to_field_length(supplier):
    invoice = make_invoice(invoice_number="N" * 150, po_reference="P" * 150)

    assert len(invoice.invoice_number) == 100
    assert len(invoice.po_reference) == 100
