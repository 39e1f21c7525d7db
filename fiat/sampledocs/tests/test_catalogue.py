"""Tests for the demo set of supplier invoices and its ground truth."""

import io
import subprocess
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import facturx
import pypdfium2
import pytest
from lxml import etree
from stdnum import iso11649

from fiat.core.demo import SUPPLIERS
from fiat.core.identifiers import is_valid_iban
from fiat.einvoice_rules import (
    EN16931_CII_RULES,
    EN16931_UBL_RULES,
    failed_asserts,
    ubl_schema,
)
from fiat.sampledocs.catalogue import demo_invoices, write_demo_invoices
from fiat.sampledocs.cii import cii_xml
from fiat.sampledocs.formatting import format_amount, format_iban
from fiat.sampledocs.purchases import CHANGED_IBAN, demo_purchase_order
from fiat.sampledocs.suppliers import demo_supplier
from fiat.sampledocs.tests.conftest import DEMO_TODAY

ORIGINAL = "06-drukkerij-2025-0318.pdf"
REMINDER = "07-drukkerij-2025-0318-herinnering.pdf"
FACTUR_X = "01-kantoorhuis-F2025-0412.pdf"
UBL_CREDIT_NOTE = "02-kantoorhuis-C2025-0033.xml"
PO_INVOICE = "03-kantoorhuis-F2025-0437.pdf"
CHANGED_IBAN_INVOICE = "05-schoonmaakbedrijf-HS-2025-103.pdf"
PDF_CREDIT_NOTE = "08-drukkerij-CN2025-0021.pdf"
ENGLISH_PDF = "09-cloudwerk-INV-2025-10457.pdf"
SCAN = "11-scan-20250305.pdf"
SUPPLIER_ROWS = {row[0]: row for row in SUPPLIERS}


def _text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        text = "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()
    # PDFium keeps a no-break space in some fonts and not in others.
    return text.replace("\u00a0", " ")


def _samples_of(demo_samples, source: str) -> list:
    return [sample for sample in demo_samples.values() if sample.source == source]


def test_demo_set_has_twelve_files(demo_samples):
    assert len(demo_samples) == 12


def test_demo_set_formats(demo_samples):
    sources = Counter(sample.source for sample in demo_samples.values())

    assert sources == {"ubl": 3, "cii": 1, "facturx": 1, "pdf_text": 6, "ocr": 1}


def test_demo_file_names_in_arrival_order(demo_samples):
    assert list(demo_samples) == [
        FACTUR_X,
        UBL_CREDIT_NOTE,
        PO_INVOICE,
        "04-schoonmaakbedrijf-HS-2025-102.xml",
        CHANGED_IBAN_INVOICE,
        ORIGINAL,
        REMINDER,
        PDF_CREDIT_NOTE,
        ENGLISH_PDF,
        "10-cloudwerk-INV-2025-10391.xml",
        SCAN,
        "12-boekhandel-BL2025-0702.xml",
    ]


def test_demo_dates_lie_before_today(demo_samples):
    issue_dates = [sample.invoice.issue_date for sample in demo_samples.values()]

    assert max(issue_dates) == DEMO_TODAY - timedelta(days=3)
    assert min(issue_dates) == DEMO_TODAY - timedelta(days=60)


def test_demo_dates_move_with_today(demo_samples):
    later = demo_invoices(DEMO_TODAY + timedelta(days=10))

    shifts = {
        later_sample.invoice.issue_date - sample.invoice.issue_date
        for sample, later_sample in zip(demo_samples.values(), later, strict=True)
    }

    assert shifts == {timedelta(days=10)}


def test_demo_suppliers_match_demo_data(demo_samples):
    for sample in demo_samples.values():
        supplier = sample.invoice.supplier
        row = SUPPLIER_ROWS[supplier.name]
        _name, vat_number, coc_number, iban, country, *_ = row

        assert supplier.vat_number == vat_number, sample.filename
        assert supplier.coc_number == coc_number, sample.filename
        assert supplier.address.country == country, sample.filename
        if sample.filename != CHANGED_IBAN_INVOICE:
            assert supplier.iban == iban, sample.filename


def test_demo_customer_is_demo_company(demo_samples):
    customers = {sample.invoice.customer.name for sample in demo_samples.values()}

    assert customers == {"Vos & Partners B.V."}


def test_letterhead_differs_per_supplier():
    looks = {
        (letterhead.accent_colour, letterhead.layout, letterhead.font_family)
        for letterhead in (demo_supplier(row[0]).letterhead for row in SUPPLIERS)
    }

    assert len(looks) == len(SUPPLIERS)


@pytest.mark.parametrize(
    "filename",
    [UBL_CREDIT_NOTE, "04-schoonmaakbedrijf-HS-2025-102.xml",
     "12-boekhandel-BL2025-0702.xml"],
)  # fmt: skip
def test_demo_ubl_is_valid(demo_samples, corpus_dir, filename):
    sample = demo_samples[filename]
    document = "CreditNote" if sample.invoice.is_credit_note else "Invoice"
    schema = ubl_schema(corpus_dir, document)

    assert schema.validate(etree.fromstring(sample.content)), schema.error_log
    assert failed_asserts(sample.content, EN16931_UBL_RULES) == []


def test_demo_cii_is_valid(demo_samples):
    (sample,) = _samples_of(demo_samples, "cii")

    assert facturx.xml_check_xsd(sample.content, flavor="factur-x", level="en16931")
    assert failed_asserts(sample.content, EN16931_CII_RULES) == []


def test_demo_factur_x_carries_valid_cii(demo_samples):
    sample = demo_samples[FACTUR_X]

    filename, xml = facturx.get_xml_from_pdf(sample.content, check_xsd=True)

    assert filename == "factur-x.xml"
    assert xml == cii_xml(sample.invoice)
    assert failed_asserts(xml, EN16931_CII_RULES) == []


def test_demo_pdfs_print_number_and_total(demo_samples):
    for sample in _samples_of(demo_samples, "pdf_text"):
        invoice = sample.invoice
        total = invoice.total_gross_amount
        if invoice.is_credit_note:
            total = -total
        printed_total = format_amount(total, invoice.currency, invoice.language)

        text = _text(sample.content)

        assert invoice.number in text, sample.filename
        assert printed_total.replace("\u00a0", " ") in text, sample.filename


def test_demo_dutch_and_english_totals(demo_samples):
    assert "Totaal € 2.464,17" in _text(demo_samples[ORIGINAL].content)
    assert "Total €1,432.00" in _text(demo_samples[ENGLISH_PDF].content)


def test_demo_scan_has_no_text_layer(demo_samples):
    document = pypdfium2.PdfDocument(demo_samples[SCAN].content)
    try:
        character_count = document[0].get_textpage().count_chars()
    finally:
        document.close()

    assert character_count == 0


def test_demo_scan_ocr_reads_number(demo_samples):
    document = pypdfium2.PdfDocument(demo_samples[SCAN].content)
    try:
        image = document[0].render(scale=300 / 72).to_pil()
    finally:
        document.close()
    png = io.BytesIO()
    image.save(png, "PNG")

    ocr = subprocess.run(
        ["tesseract", "stdin", "stdout", "-l", "nld", "--psm", "4"],
        input=png.getvalue(),
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")

    assert "BL2025-0781" in ocr


def test_demo_ubl_credit_note_totals(demo_samples):
    credit_note = demo_samples[UBL_CREDIT_NOTE].invoice

    assert credit_note.is_credit_note
    assert credit_note.preceding_invoice_number == "F2025-0412"
    assert credit_note.total_net_amount == Decimal("39.95")
    assert credit_note.total_vat_amount == Decimal("8.39")
    assert credit_note.total_gross_amount == Decimal("48.34")


def test_demo_pdf_credit_note_totals(demo_samples):
    sample = demo_samples[PDF_CREDIT_NOTE]

    text = _text(sample.content)

    assert sample.invoice.total_gross_amount == Decimal("591.69")
    assert "Creditnota" in text
    assert "Betreft factuur 2025-0318" in text
    assert "Totaal € -591,69" in text


def test_demo_duplicate_repeats_original(demo_samples):
    original = demo_samples[ORIGINAL]
    reminder = demo_samples[REMINDER]

    assert reminder.duplicate_of == ORIGINAL
    assert reminder.invoice.supplier.name == original.invoice.supplier.name
    assert reminder.invoice.number == original.invoice.number
    assert reminder.invoice.issue_date == original.invoice.issue_date
    assert reminder.invoice.total_gross_amount == original.invoice.total_gross_amount
    assert reminder.content != original.content
    assert "HERINNERING" in _text(reminder.content)


def test_demo_changed_iban_is_valid_and_new(demo_samples):
    sample = demo_samples[CHANGED_IBAN_INVOICE]
    supplier = sample.invoice.supplier

    assert supplier.iban == CHANGED_IBAN
    assert is_valid_iban(supplier.iban)
    assert sample.known_iban == SUPPLIER_ROWS[supplier.name][3]
    assert supplier.iban != sample.known_iban
    assert f"IBAN {format_iban(CHANGED_IBAN)}" in _text(sample.content)


def test_demo_po_invoice_differs_in_price(demo_samples):
    order = demo_purchase_order(DEMO_TODAY)
    invoice = demo_samples[PO_INVOICE].invoice
    ordered_prices = {line.description: line.unit_price for line in order.lines}
    billed_prices = {line.description: line.unit_price for line in invoice.lines}

    assert invoice.po_reference == order.number == "PO-2025-0042"
    assert invoice.supplier.name == order.supplier_name
    assert ordered_prices["Bureaustoel ErgoFlex, zwart"] == Decimal("289")
    assert billed_prices["Bureaustoel ErgoFlex, zwart"] == Decimal("309.00")
    assert billed_prices["Zit-sta bureau 160 x 80 cm, wit"] == Decimal("545.00")
    assert invoice.total_net_amount - order.total_net_amount == Decimal("120.00")
    assert "Uw ordernummer PO-2025-0042" in _text(demo_samples[PO_INVOICE].content)


def test_demo_creditor_reference_is_valid(demo_samples):
    reference = demo_samples[ENGLISH_PDF].invoice.payment_reference

    assert reference == "RF39CW202510457"
    assert iso11649.is_valid(reference)


def test_expected_fields_of_ubl_credit_note(demo_samples):
    expected = demo_samples[UBL_CREDIT_NOTE].expected

    assert expected == {
        "source": "ubl",
        "document_type": "credit_note",
        "supplier": {
            "name": "Kantoorhuis Nederland B.V.",
            "vat_number": "NL081234570B01",
            "iban": "NL20INGB0001234567",
            "bic": "INGBNL2A",
            "coc_number": "81234570",
            "country": "NL",
        },
        "customer": {"name": "Vos & Partners B.V.", "vat_number": "NL081234569B01"},
        "invoice_number": "C2025-0033",
        "issue_date": "2025-03-09",
        "due_date": "2025-04-08",
        "currency": "EUR",
        "total_net": "39.95",
        "total_vat": "8.39",
        "total_gross": "48.34",
        "amount_due": "48.34",
        "po_reference": None,
        "payment_reference": "C2025-0033",
        "vat_breakdown": [{"rate": "21", "base": "39.95", "amount": "8.39"}],
        "lines": [
            {
                "description": "Retour: Bureaulamp LED, dimbaar (defect)",
                "quantity": "1",
                "unit_price": "39.95",
                "net_amount": "39.95",
                "vat_rate": "21",
            }
        ],
    }


def test_expected_fields_of_printed_credit_note(demo_samples):
    expected = demo_samples[PDF_CREDIT_NOTE].expected

    assert expected["document_type"] == "credit_note"
    assert expected["due_date"] is None
    assert expected["payment_reference"] is None
    assert expected["total_gross"] == "591.69"


def test_expected_fields_of_reverse_charge_invoice(demo_samples):
    expected = demo_samples[ENGLISH_PDF].expected

    assert expected["supplier"]["coc_number"] is None
    assert expected["supplier"]["bic"] == "COBADEFFXXX"
    assert expected["total_vat"] == "0.00"
    assert expected["vat_breakdown"] == [
        {"rate": "0", "base": "1432.00", "amount": "0.00"}
    ]


def test_write_demo_invoices(tmp_path, demo_samples):
    paths = write_demo_invoices(tmp_path / "demo", DEMO_TODAY)

    assert [path.name for path in paths] == list(demo_samples)
    for path in paths:
        if path.name != FACTUR_X:
            assert path.read_bytes() == demo_samples[path.name].content, path.name
