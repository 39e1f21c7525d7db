"""Tests for the PDF, Factur-X and scan renderings of a sample invoice."""

import io
import subprocess
from datetime import date
from decimal import Decimal

import facturx
import pypdf
import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest
from lxml import etree

from fiat.sampledocs.cii import cii_xml
from fiat.sampledocs.formatting import DateStyle, format_amount, format_date
from fiat.sampledocs.model import DocumentType
from fiat.sampledocs.pdf import SCAN_DPI, factur_x_pdf, invoice_pdf, scanned_pdf
from fiat.sampledocs.tests.builders import office_invoice, reverse_charge_invoice

XMP_NAMESPACES = {
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "fx": "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#",
}
A4_WIDTH_POINTS = 595.44
A4_HEIGHT_POINTS = 842.04


def _page_texts(pdf: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        texts = [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()
    # PDFium keeps a no-break space in some fonts and not in others.
    return [text.replace("\u00a0", " ") for text in texts]


def _ocr_first_page(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=300 / 72).to_pil()
    finally:
        document.close()
    png = io.BytesIO()
    image.save(png, "PNG")
    result = subprocess.run(
        ["tesseract", "stdin", "stdout", "-l", "nld", "--psm", "4"],
        input=png.getvalue(),
        capture_output=True,
        check=True,
    )
    return result.stdout.decode("utf-8")


@pytest.fixture(scope="module")
def scan() -> bytes:
    return scanned_pdf(office_invoice())


@pytest.fixture(scope="module")
def factur_x() -> bytes:
    return factur_x_pdf(office_invoice())


def test_dutch_amount_format():
    assert format_amount(Decimal("1234.56"), "EUR", "nl") == "€\u00a01.234,56"


def test_english_amount_format():
    assert format_amount(Decimal("1234.56"), "EUR", "en") == "€1,234.56"


def test_negative_amount_keeps_minus_sign():
    assert format_amount(Decimal("-121.00"), "EUR", "nl") == "€\u00a0-121,00"


def test_amount_without_symbol_uses_currency_code():
    assert format_amount(Decimal("1234.56"), "CHF", "en") == "CHF\u00a01,234.56"


def test_long_dutch_date():
    assert format_date(date(2025, 3, 3), "nl", DateStyle.LONG) == "3 maart 2025"


def test_long_english_date():
    assert format_date(date(2025, 3, 3), "en", DateStyle.LONG) == "3 March 2025"


def test_numeric_date():
    assert format_date(date(2025, 3, 3), "nl", DateStyle.NUMERIC) == "03-03-2025"


def test_dutch_pdf_text_layer():
    (text,) = _page_texts(invoice_pdf(office_invoice()))

    assert "Factuur" in text
    assert "Factuurnummer F2025-0099" in text
    assert "Factuurdatum 03-03-2025" in text
    assert "Vervaldatum 02-04-2025" in text
    assert "Uw ordernummer PO-2025-0042" in text
    assert "Btw 21%" in text
    assert "Totaal € 1.504,65" in text
    assert "KvK 81234570" in text
    assert "IBAN NL20 INGB 0001 2345 67" in text


def test_english_pdf_text_layer():
    (text,) = _page_texts(invoice_pdf(reverse_charge_invoice()))

    assert "Invoice number INV-2025-10001" in text
    assert "Due date 02-04-2025" in text
    assert "VAT reverse charged" in text
    assert "Total €1,840.00" in text
    assert "Btw" not in text


def test_dutch_credit_note_prints_negative_amounts():
    credit_note = office_invoice(
        document_type=DocumentType.CREDIT_NOTE, preceding_invoice_number="F2025-0098"
    )

    (text,) = _page_texts(invoice_pdf(credit_note))

    assert "Creditnota" in text
    assert "Betreft factuur F2025-0098" in text
    assert "Totaal € -1.504,65" in text
    assert "Vervaldatum" not in text


def test_stamp_is_printed():
    (text,) = _page_texts(invoice_pdf(office_invoice(), stamp="HERINNERING"))

    assert "HERINNERING" in text


def test_plain_pdf_has_no_embedded_xml():
    # factur-x returns (False, False) for a PDF without an invoice XML.
    found = facturx.get_xml_from_pdf(invoice_pdf(office_invoice()), check_xsd=False)

    assert found == (False, False)


def test_factur_x_embeds_the_cii_xml(factur_x):
    filename, xml = facturx.get_xml_from_pdf(factur_x, check_xsd=True)

    assert filename == "factur-x.xml"
    assert xml == cii_xml(office_invoice())


def test_factur_x_is_pdf_a_3b(factur_x):
    reader = pypdf.PdfReader(io.BytesIO(factur_x))
    xmp = etree.fromstring(reader.trailer["/Root"]["/Metadata"].get_object().get_data())

    assert xmp.xpath("//pdfaid:part/text()", namespaces=XMP_NAMESPACES) == ["3"]
    assert xmp.xpath("//pdfaid:conformance/text()", namespaces=XMP_NAMESPACES) == ["B"]
    assert xmp.xpath("//fx:ConformanceLevel/text()", namespaces=XMP_NAMESPACES) == [
        "EN 16931"
    ]
    assert xmp.xpath("//fx:DocumentFileName/text()", namespaces=XMP_NAMESPACES) == [
        "factur-x.xml"
    ]


def test_factur_x_keeps_the_text_layer(factur_x):
    (text,) = _page_texts(factur_x)

    assert "Factuurnummer F2025-0099" in text
    assert "Totaal € 1.504,65" in text


def test_scan_has_no_text_layer(scan):
    document = pypdfium2.PdfDocument(scan)
    try:
        character_counts = [page.get_textpage().count_chars() for page in document]
    finally:
        document.close()

    assert character_counts == [0]


def test_scan_is_one_a4_image_at_200_dpi(scan):
    document = pypdfium2.PdfDocument(scan)
    try:
        page = document[0]
        width, height = page.get_size()
        objects = list(page.get_objects())
        object_types = [page_object.type for page_object in objects]
        pixel_size = objects[0].get_px_size()
    finally:
        document.close()

    assert object_types == [pdfium_c.FPDF_PAGEOBJ_IMAGE]
    assert width == pytest.approx(A4_WIDTH_POINTS, abs=1)
    assert height == pytest.approx(A4_HEIGHT_POINTS, abs=1)
    assert pixel_size == (round(width / 72 * SCAN_DPI), round(height / 72 * SCAN_DPI))


def test_scan_is_readable_by_tesseract(scan):
    text = _ocr_first_page(scan)

    assert "F2025-0099" in text
    assert "1.504,65" in text


def test_scan_is_reproducible(scan):
    assert scanned_pdf(office_invoice()) == scan
