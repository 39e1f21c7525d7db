"""Tests for reading CII e-invoices: Factur-X, ZUGFeRD 1.0 and 2.x, XRechnung."""

from datetime import date
from decimal import Decimal

from fiat.documents.extraction.einvoice import read_einvoice
from fiat.documents.extraction.result import DocumentType, Source

AKRETION_XML = "facturx-zugferd/akretion-factur-x/fixtures/xml"
DRAFTHORSE_SAMPLES = "facturx-zugferd/python-drafthorse/samples"
SUB_INVOICE_LINES = (
    "facturx-zugferd/mustangproject/library/src/test/resources/subinvoicelines"
)


def test_cii_en16931_header_fields(corpus_dir):
    path = corpus_dir / AKRETION_XML / "factur-x-en16931.xml"

    result = read_einvoice(path)

    assert result.source == Source.CII
    assert result.document_type == DocumentType.INVOICE
    assert result.invoice_number == "F20260023"
    assert result.issue_date == date(2026, 1, 31)
    assert result.due_date == date(2026, 3, 2)
    assert result.currency == "EUR"
    assert result.po_reference == "PO201925478"
    assert result.payment_reference == "F20260023BUYER"
    assert result.warnings == []


def test_cii_en16931_party_fields(corpus_dir):
    path = corpus_dir / AKRETION_XML / "factur-x-en16931.xml"

    result = read_einvoice(path)

    assert result.supplier.name == "LE FOURNISSEUR"
    assert result.supplier.vat_number == "FR11123456782"
    assert result.supplier.coc_number == "123456782"
    assert result.supplier.country == "FR"
    assert result.supplier.iban == "FR2012542547256985425874698"
    assert result.supplier.bic == "BIC_MONCOMPTE"
    assert result.customer.name == "LE CLIENT"
    assert result.customer.vat_number == "FR 05 987 654 321"


def test_cii_en16931_totals_and_lines(corpus_dir):
    path = corpus_dir / AKRETION_XML / "factur-x-en16931.xml"

    result = read_einvoice(path)

    assert result.total_net == Decimal("100.00")
    assert result.total_vat == Decimal("4.90")
    assert result.total_gross == Decimal("104.90")
    assert result.amount_due == Decimal("104.90")
    assert [
        (vat.rate, vat.base, vat.amount, vat.category) for vat in result.vat_breakdown
    ] == [
        (Decimal("20.00"), Decimal("11.00"), Decimal("2.20"), "S"),
        (Decimal("0.00"), Decimal("60.00"), Decimal("0.00"), "E"),
        (Decimal("10.00"), Decimal("27.00"), Decimal("2.70"), "S"),
        (Decimal("0.00"), Decimal("2.00"), Decimal("0.00"), "K"),
    ]
    line = result.lines[1]
    assert line.description == "FOURNITURES PAPIER"
    assert line.quantity == Decimal("3.0000")
    assert line.unit_price == Decimal("10")
    assert line.net_amount == Decimal("28.00")
    assert line.vat_rate == Decimal("10.00")


def test_cii_zugferd_1_comfort(corpus_dir):
    path = corpus_dir / AKRETION_XML / "zugferd-comfort.xml"

    result = read_einvoice(path)

    assert result.source == Source.CII
    assert result.invoice_number == "471102"
    assert result.issue_date == date(2013, 3, 5)
    assert result.due_date == date(2013, 4, 4)
    assert result.supplier.name == "Lieferant GmbH"
    assert result.supplier.vat_number == "DE123456789"
    assert result.supplier.iban == "DE08700901001234567890"
    assert result.supplier.bic == "GENODEF1M04"
    assert result.payment_reference == "2013-471102"
    assert result.total_vat == Decimal("56.87")
    assert [vat.rate for vat in result.vat_breakdown] == [
        Decimal("7.00"),
        Decimal("19.00"),
    ]
    assert result.lines[0].description == "Trennblätter A4"
    assert result.lines[0].unit_price == Decimal("9.9000")
    assert result.lines[0].vat_rate == Decimal("19.00")
    assert result.warnings == []


def test_cii_vat_total_in_invoice_currency(corpus_dir):
    # The invoice is in GBP with its VAT also stated in EUR (BT-111). The EUR
    # amount goes first, so that document order cannot decide the result.
    xml = (
        corpus_dir / DRAFTHORSE_SAMPLES / "zugferd_2p3_EXTENDED_Fremdwaehrung.xml"
    ).read_bytes()
    gbp = b'<ram:TaxTotalAmount currencyID="GBP">163.16</ram:TaxTotalAmount>'
    eur = b'<ram:TaxTotalAmount currencyID="EUR">183.14</ram:TaxTotalAmount>'
    swapped = xml.replace(gbp, b"@GBP@").replace(eur, gbp).replace(b"@GBP@", eur)

    result = read_einvoice(swapped, "fremdwaehrung.xml")

    assert swapped.index(eur) < swapped.index(gbp)
    assert result.currency == "GBP"
    assert result.total_vat == Decimal("163.16")


def test_cii_type_381_is_credit_note(corpus_dir):
    xml = (
        corpus_dir / DRAFTHORSE_SAMPLES / "zugferd_2p3_EN16931_Einfach.xml"
    ).read_bytes()
    credit_note = xml.replace(b"<ram:TypeCode>380<", b"<ram:TypeCode>381<", 1)

    result = read_einvoice(credit_note, "credit.xml")

    assert result.document_type == DocumentType.CREDIT_NOTE
    assert result.amount_due == Decimal("529.87")


def test_cii_minimum_profile_has_no_lines(corpus_dir):
    path = corpus_dir / DRAFTHORSE_SAMPLES / "zugferd_2p3_MINIMUM_Rechnung.xml"

    result = read_einvoice(path)

    assert result.lines == []
    assert result.total_net == Decimal("198.00")
    assert result.warnings == []


def test_cii_minimum_amount_due_not_checked(corpus_dir):
    # MINIMUM cannot state a prepaid amount, so a lower amount due is no error.
    xml = (
        corpus_dir / DRAFTHORSE_SAMPLES / "zugferd_2p3_MINIMUM_Rechnung.xml"
    ).read_bytes()
    paid_in_part = xml.replace(
        b"<ram:DuePayableAmount>235.62<", b"<ram:DuePayableAmount>35.62<"
    )

    result = read_einvoice(paid_in_part, "minimum.xml")

    assert result.amount_due == Decimal("35.62")
    assert result.warnings == []


def test_cii_sub_lines_left_out(corpus_dir):
    path = corpus_dir / SUB_INVOICE_LINES / "Extended_SubInvoiceLines_Hardware_Bsp2.xml"

    result = read_einvoice(path)

    assert [line.net_amount for line in result.lines] == [
        Decimal("1050.00"),
        Decimal("450.00"),
    ]
    assert result.total_net == Decimal("1500.00")
    assert result.warnings == []


def test_cii_date_not_a_day_warns(corpus_dir):
    xml = (
        corpus_dir / DRAFTHORSE_SAMPLES / "zugferd_2p3_EN16931_Einfach.xml"
    ).read_bytes()
    month_only = xml.replace(
        b'<udt:DateTimeString format="102">20241115<',
        b'<udt:DateTimeString format="610">202411<',
    )

    result = read_einvoice(month_only, "month.xml")

    assert result.issue_date is None
    assert result.warnings == [
        (
            "The e-invoice contains the invalid date '202411' in DateTimeString, so "
            "that field was left empty."
        )
    ]
