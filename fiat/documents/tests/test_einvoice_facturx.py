"""Tests for finding the e-invoice XML embedded in Factur-X and ZUGFeRD PDFs.

The PDFs are built here from a corpus CII file, with pypdf or the factur-x
library, so that each test controls the attachment's name and location.
"""

from decimal import Decimal
from io import BytesIO

import pytest
from facturx import generate_from_binary
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject

from fiat.documents.extraction.einvoice import read_einvoice
from fiat.documents.extraction.result import DocumentType, ExtractionError, Source

CII_SAMPLE = "facturx-zugferd/python-drafthorse/samples/zugferd_2p3_EN16931_Einfach.xml"
UBL_SAMPLE = "ubl-einvoice/peppol-bis-invoice-3/examples/base-example.xml"

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<lolz>&lol3;</lolz>
"""


@pytest.fixture
def cii_xml(corpus_dir) -> bytes:
    return (corpus_dir / CII_SAMPLE).read_bytes()


def blank_pdf_writer() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    return writer


def pdf_bytes(writer: PdfWriter) -> bytes:
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_with_attachments(*attachments: tuple[str, bytes]) -> bytes:
    writer = blank_pdf_writer()
    for name, content in attachments:
        writer.add_attachment(name, content)
    return pdf_bytes(writer)


@pytest.mark.parametrize(
    "attachment_name",
    [
        "factur-x.xml",
        "ZUGFeRD-invoice.xml",
        "zugferd-invoice.xml",
        "xrechnung.xml",
        "C:/TEMP/factur-x.xml",
        "invoice 2024-11.XML",
    ],
)
def test_facturx_attachment_any_name(cii_xml, attachment_name):
    pdf = pdf_with_attachments((attachment_name, cii_xml))

    result = read_einvoice(pdf, "471102.pdf")

    assert result.source == Source.FACTURX
    assert result.file == "471102.pdf"
    assert result.invoice_number == "471102"
    assert result.total_net == Decimal("473.00")
    assert result.total_vat == Decimal("56.87")
    assert result.total_gross == Decimal("529.87")
    assert result.warnings == []


def test_facturx_pdf_from_factur_x_library(cii_xml):
    pdf = generate_from_binary(pdf_bytes(blank_pdf_writer()), cii_xml, check_xsd=False)

    result = read_einvoice(pdf, "471102.pdf")

    assert result.source == Source.FACTURX
    assert result.invoice_number == "471102"
    assert result.amount_due == Decimal("529.87")


def test_facturx_embedded_ubl(corpus_dir):
    pdf = pdf_with_attachments(
        ("xrechnung.xml", (corpus_dir / UBL_SAMPLE).read_bytes())
    )

    result = read_einvoice(pdf, "ubl.pdf")

    assert result.source == Source.FACTURX
    assert result.invoice_number == "Snippet1"
    assert result.total_gross == Decimal("1656.25")


def test_facturx_attachment_only_in_associated_files(cii_xml):
    writer = blank_pdf_writer()
    attachment = writer.add_attachment("factur-x.xml", cii_xml)
    writer.root_object[NameObject("/AF")] = ArrayObject(
        [attachment.pdf_object.indirect_reference]
    )
    attachment.delete()
    pdf = pdf_bytes(writer)

    result = read_einvoice(pdf, "af-only.pdf")

    assert result.invoice_number == "471102"


def test_facturx_attachment_in_name_tree_kids(cii_xml):
    writer = blank_pdf_writer()
    writer.add_attachment("factur-x.xml", cii_xml)
    names = writer.root_object["/Names"]
    embedded_files = names["/EmbeddedFiles"].get_object()
    leaf = DictionaryObject({NameObject("/Names"): embedded_files["/Names"]})
    middle = DictionaryObject({NameObject("/Kids"): ArrayObject([leaf])})
    names[NameObject("/EmbeddedFiles")] = DictionaryObject(
        {NameObject("/Kids"): ArrayObject([middle])}
    )
    pdf = pdf_bytes(writer)

    result = read_einvoice(pdf, "kids.pdf")

    assert result.invoice_number == "471102"


def test_facturx_other_xml_attachment_skipped(cii_xml):
    pdf = pdf_with_attachments(
        ("additional-data.xml", b"<delivery><note>Pallet 3 of 4</note></delivery>"),
        ("broken.xml", b"<unclosed>"),
        ("invoice.xml", cii_xml),
    )

    result = read_einvoice(pdf, "with-extras.pdf")

    assert result.invoice_number == "471102"


def test_facturx_standard_name_wins(cii_xml):
    credit_note = cii_xml.replace(b"<ram:TypeCode>380<", b"<ram:TypeCode>381<", 1)
    pdf = pdf_with_attachments(
        ("aaa-copy.xml", credit_note),
        ("factur-x.xml", cii_xml),
    )

    result = read_einvoice(pdf, "two-invoices.pdf")

    assert result.document_type == DocumentType.INVOICE


def test_facturx_pdf_without_xml_returns_none():
    pdf = pdf_with_attachments(("terms.txt", b"Payment within 30 days."))

    result = read_einvoice(pdf, "plain.pdf")

    assert result is None


def test_facturx_unsafe_attachment_raises():
    pdf = pdf_with_attachments(("factur-x.xml", BILLION_LAUGHS))

    with pytest.raises(ExtractionError) as error:
        read_einvoice(pdf, "attack.pdf")

    assert error.value.code == "unsafe_xml"


def test_facturx_pdf_read_from_path(cii_xml, tmp_path):
    path = tmp_path / "471102.pdf"
    path.write_bytes(pdf_with_attachments(("factur-x.xml", cii_xml)))

    result = read_einvoice(path)

    assert result.file == str(path)
    assert result.invoice_number == "471102"


def test_facturx_encrypted_pdf_without_password(cii_xml):
    writer = blank_pdf_writer()
    writer.add_attachment("factur-x.xml", cii_xml)
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    pdf = pdf_bytes(writer)

    result = read_einvoice(pdf, "protected.pdf")

    assert result.invoice_number == "471102"


def test_facturx_password_protected_pdf_raises(cii_xml):
    writer = blank_pdf_writer()
    writer.add_attachment("factur-x.xml", cii_xml)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    pdf = pdf_bytes(writer)

    with pytest.raises(ExtractionError) as error:
        read_einvoice(pdf, "locked.pdf")

    assert error.value.code == "encrypted_pdf"
