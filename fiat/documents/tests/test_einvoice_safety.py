"""Tests for files the e-invoice reader rejects: XML attacks and broken input."""

from io import BytesIO

import pytest
from lxml import etree
from pypdf import PdfWriter

from fiat.documents.extraction import safexml
from fiat.documents.extraction.einvoice import read_einvoice
from fiat.documents.extraction.result import ExtractionError
from fiat.documents.extraction.safexml import MAX_XML_BYTES, parse_untrusted_xml

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE Invoice [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:ID>&lol9;</cbc:ID>
</Invoice>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:ID>&xxe;</cbc:ID>
</Invoice>
"""

EXTERNAL_PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE Invoice [<!ENTITY % dtd SYSTEM "file:///etc/passwd"> %dtd;]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>
"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE Invoice SYSTEM "file:///etc/passwd">
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>
"""

MINIMAL_CII = b"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice
  xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
  xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100">
  <rsm:ExchangedDocument><ram:ID>MIN-1</ram:ID></rsm:ExchangedDocument>
</rsm:CrossIndustryInvoice>
"""


def read_error(data: bytes, filename: str) -> ExtractionError:
    with pytest.raises(ExtractionError) as error:
        read_einvoice(data, filename)
    return error.value


def test_billion_laughs_rejected():
    error = read_error(BILLION_LAUGHS.encode(), "laughs.xml")

    assert error.code == "unsafe_xml"
    assert "document type declaration" in error.message


def test_billion_laughs_in_utf16_rejected():
    error = read_error(
        BILLION_LAUGHS.replace(
            'version="1.0"', 'version="1.0" encoding="UTF-16"'
        ).encode("utf-16"),
        "laughs-utf16.xml",
    )

    assert error.code == "unsafe_xml"


@pytest.mark.parametrize(
    "document",
    [EXTERNAL_ENTITY, EXTERNAL_PARAMETER_ENTITY, EXTERNAL_DTD],
    ids=["entity", "parameter-entity", "dtd"],
)
def test_external_reference_rejected(document):
    error = read_error(document, "xxe.xml")

    assert error.code == "unsafe_xml"
    assert "root:" not in error.message


def test_hardened_parser_opens_no_external_file(tmp_path):
    # The checks before parsing reject this document, so call the parser
    # itself, the second line of defence for encodings those checks cannot
    # read. A file that is not a DTD fails the parse if libxml2 loads it.
    not_a_dtd = tmp_path / "secret.txt"
    not_a_dtd.write_text("db_password=hunter2\n")
    document = (
        f'<!DOCTYPE a [<!ENTITY % secret SYSTEM "{not_a_dtd.as_uri()}"> %secret;'
        f'<!ENTITY text SYSTEM "{not_a_dtd.as_uri()}">]><a>&text;</a>'
    ).encode()

    root = safexml._parse(document)

    assert etree.tostring(root) == b"<a>&text;</a>"


def test_bare_doctype_accepted():
    document = MINIMAL_CII.replace(
        b"<rsm:CrossIndustryInvoice\n",
        b"<!DOCTYPE rsm:CrossIndustryInvoice>\n<rsm:CrossIndustryInvoice\n",
        1,
    )

    result = read_einvoice(document, "doctype.xml")

    assert result.invoice_number == "MIN-1"


def test_utf16_einvoice_read():
    document = MINIMAL_CII.replace(b'encoding="UTF-8"', b'encoding="UTF-16"')

    result = read_einvoice(document.decode().encode("utf-16"), "utf16.xml")

    assert result.invoice_number == "MIN-1"


def test_xml_over_size_limit_rejected():
    padding = b"<!--" + b"x" * MAX_XML_BYTES + b"-->"

    error = read_error(MINIMAL_CII + padding, "huge.xml")

    assert error.code == "too_large"
    assert "20 MB" in error.message


def test_malformed_xml_rejected():
    error = read_error(MINIMAL_CII.replace(b"</rsm:ExchangedDocument>", b""), "cut.xml")

    assert error.code == "invalid_xml"
    assert "line 5" in error.message


def test_non_einvoice_xml_rejected():
    error = read_error(b"<Document><BkToCstmrStmt/></Document>", "camt053.xml")

    assert error.code == "not_an_einvoice"
    assert "'Document'" in error.message


def test_parse_untrusted_xml_returns_root():
    root = parse_untrusted_xml(MINIMAL_CII)

    assert root.tag == (
        "{urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100}"
        "CrossIndustryInvoice"
    )


def test_empty_file_rejected():
    error = read_error(b"", "empty.pdf")

    assert error.code == "empty_file"
    assert "empty" in error.message


def test_blank_file_rejected():
    error = read_error(b" \r\n\t", "blank.xml")

    assert error.code == "empty_file"


def test_non_pdf_named_pdf_rejected():
    error = read_error(b"PK\x03\x04 a zip archive, not a PDF", "invoice.pdf")

    assert error.code == "not_a_pdf"
    assert ".pdf" in error.message


def test_non_xml_named_xml_rejected():
    error = read_error(b"Invoice 2024-001, total 121.00", "invoice.xml")

    assert error.code == "invalid_xml"


def test_image_returns_none():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"

    result = read_einvoice(png, "receipt.png")

    assert result is None


def test_truncated_pdf_rejected():
    error = read_error(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", "truncated.pdf")

    assert error.code == "not_a_pdf"
    assert "not a readable PDF" in error.message


def test_pdf_without_pages_rejected():
    buffer = BytesIO()
    PdfWriter().write(buffer)

    error = read_error(buffer.getvalue(), "no-pages.pdf")

    assert error.code == "no_pages"
    assert "no pages" in error.message
