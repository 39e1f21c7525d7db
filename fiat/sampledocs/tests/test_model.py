"""Tests for the sample invoice model and its totals."""

from datetime import date
from decimal import Decimal

import pytest

from fiat.core.vat import InvalidVatRateError, VatCategory
from fiat.sampledocs.model import DocumentType, InvoiceLine
from fiat.sampledocs.suppliers import CLOUDWERK, demo_supplier
from fiat.sampledocs.tests.builders import ISSUE_DATE, office_invoice


def test_line_net_amounts_are_quantity_times_price():
    invoice = office_invoice()

    assert invoice.line_net_amounts == (Decimal("1234.50"), Decimal("10.00"))


def test_vat_is_rounded_once_per_rate():
    invoice = office_invoice()

    breakdown = invoice.vat_totals.breakdown

    assert [group.rate for group in breakdown] == [Decimal(21), Decimal(9)]
    assert [group.base_amount for group in breakdown] == [
        Decimal("1234.50"),
        Decimal("10.00"),
    ]
    assert [group.vat_amount for group in breakdown] == [
        Decimal("259.25"),
        Decimal("0.90"),
    ]


def test_invoice_totals():
    invoice = office_invoice()

    assert invoice.total_net_amount == Decimal("1244.50")
    assert invoice.total_vat_amount == Decimal("260.15")
    assert invoice.total_gross_amount == Decimal("1504.65")
    assert invoice.amount_due == Decimal("1504.65")


def test_credit_note_keeps_positive_totals():
    credit_note = office_invoice(document_type=DocumentType.CREDIT_NOTE)

    assert credit_note.is_credit_note
    assert credit_note.document_type.type_code == "381"
    assert credit_note.total_gross_amount == Decimal("1504.65")


def test_invoice_type_code():
    assert office_invoice().document_type.type_code == "380"


def test_delivery_date_defaults_to_issue_date():
    invoice = office_invoice()

    assert invoice.delivery_date == ISSUE_DATE


def test_line_converts_text_to_decimal():
    line = InvoiceLine("Ontwerp en opmaak", "3.5", "65.00")

    assert line.quantity == Decimal("3.5")
    assert line.unit_price == Decimal("65.00")


def test_line_rejects_float_price():
    with pytest.raises(TypeError):
        InvoiceLine("Papier", Decimal(1), 4.95)


def test_line_rejects_unsupported_vat_category():
    with pytest.raises(ValueError, match="not supported"):
        InvoiceLine(
            "Export", Decimal(1), Decimal(10), vat_rate=Decimal(0), vat_category="K"
        )


def test_reverse_charge_line_needs_zero_rate():
    with pytest.raises(InvalidVatRateError):
        InvoiceLine("Hosting", Decimal(1), Decimal(10), vat_category="AE")


def test_reverse_charge_line_category():
    line = InvoiceLine(
        "Hosting", Decimal(1), Decimal(10), vat_rate=Decimal(0), vat_category="AE"
    )

    assert line.vat_category is VatCategory.REVERSE_CHARGE


def test_invoice_without_lines_is_rejected():
    with pytest.raises(ValueError, match="no lines"):
        office_invoice(lines=())


def test_due_date_before_issue_date_is_rejected():
    with pytest.raises(ValueError, match="before its issue date"):
        office_invoice(due_date=date(2025, 3, 2))


def test_unknown_language_is_rejected():
    with pytest.raises(ValueError, match="Invalid language 'de'"):
        office_invoice(language="de")


def test_dutch_party_endpoint_is_kvk_number():
    invoice = office_invoice()

    assert invoice.supplier.endpoint == ("0106", "81234570")


def test_german_party_endpoint_is_vat_number():
    party = demo_supplier(CLOUDWERK).party

    assert party.endpoint == ("9930", "DE123456788")
