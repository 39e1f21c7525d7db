"""The printed invoice: PDF/A-3b, embedded Factur-X, language and branding."""

import io
from decimal import Decimal

import facturx
import pypdf
import pypdfium2
import pytest
from lxml import etree

from fiat.documents.extraction.einvoice import read_einvoice
from fiat.receivables.einvoice.cii import cii_xml
from fiat.receivables.einvoice.document import invoice_document
from fiat.receivables.models import InvoiceBranding
from fiat.receivables.printing import format_money
from fiat.receivables.rendering import (
    pdf_filename,
    render_invoice_html,
    render_invoice_pdf,
)
from fiat.receivables.tests.einvoices import (
    CASES,
    dutch_customer,
    make_company,
    several_rates_with_discount,
)
from fiat.receivables.tests.factories import make_draft

pytestmark = pytest.mark.django_db

XMP_NAMESPACES = {
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "fx": "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
}
FACTURX_NAMESPACE = XMP_NAMESPACES["fx"]
# A 1x1 red PNG, as a company logo.
RED_PIXEL_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415478da63f8cfc000000301010018dd8db00000000049454e44ae426082"
)


@pytest.fixture(autouse=True)
def _company(db):
    make_company()


def _page_text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        text = "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()
    # Lines wrap where the page is full, so compare with single spaces.
    return " ".join(text.replace("\u00a0", " ").split())


def _xmp(reader: pypdf.PdfReader) -> etree._Element:
    metadata = reader.trailer["/Root"]["/Metadata"].get_object()
    return etree.fromstring(metadata.get_data())


def _fonts(resources) -> list:
    """Return every font dictionary used by ``resources``, form XObjects too."""
    resources = resources.get_object() if resources else {}
    fonts = [font.get_object() for font in resources.get("/Font", {}).values()]
    for xobject in resources.get("/XObject", {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            fonts.extend(_fonts(xobject.get("/Resources")))
    return fonts


def _has_embedded_program(font) -> bool:
    if font["/Subtype"] == "/Type3":
        # A Type 3 font draws its glyphs with content streams in the file.
        return True
    if font["/Subtype"] == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font["/FontDescriptor"].get_object()
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


@pytest.fixture
def released_pdf() -> bytes:
    return render_invoice_pdf(several_rates_with_discount())


def test_pdf_identifies_as_pdf_a_3b(released_pdf):
    xmp = _xmp(pypdf.PdfReader(io.BytesIO(released_pdf)))

    part = xmp.xpath("//pdfaid:part/text()", namespaces=XMP_NAMESPACES)
    conformance = xmp.xpath("//pdfaid:conformance/text()", namespaces=XMP_NAMESPACES)
    assert part == ["3"]
    assert conformance == ["B"]


def test_pdf_has_srgb_output_intent(released_pdf):
    catalog = pypdf.PdfReader(io.BytesIO(released_pdf)).trailer["/Root"]

    intents = [intent.get_object() for intent in catalog["/OutputIntents"]]
    assert [intent["/S"] for intent in intents] == ["/GTS_PDFA1"]
    profile = intents[0]["/DestOutputProfile"].get_object()
    assert profile["/N"] == 3
    assert len(profile.get_data()) > 0


def test_pdf_embeds_every_font(released_pdf):
    reader = pypdf.PdfReader(io.BytesIO(released_pdf))

    fonts = [font for page in reader.pages for font in _fonts(page["/Resources"])]
    not_embedded = [
        str(font.get("/BaseFont")) for font in fonts if not _has_embedded_program(font)
    ]
    assert len(fonts) >= 2
    assert not_embedded == []


def test_factur_x_attachment_is_data(released_pdf):
    catalog = pypdf.PdfReader(io.BytesIO(released_pdf)).trailer["/Root"]

    associated = [spec.get_object() for spec in catalog["/AF"]]
    assert [spec["/F"] for spec in associated] == ["factur-x.xml"]
    assert associated[0]["/AFRelationship"] == "/Data"
    embedded = associated[0]["/EF"]["/F"].get_object()
    assert embedded["/Subtype"] == "/text/xml"


def test_factur_x_xmp_extension_schema(released_pdf):
    xmp = _xmp(pypdf.PdfReader(io.BytesIO(released_pdf)))

    schema_uris = xmp.xpath(
        "//pdfaExtension:schemas//pdfaSchema:namespaceURI/text()",
        namespaces=XMP_NAMESPACES,
    )
    properties = xmp.xpath(
        "//pdfaSchema:namespaceURI[text()=$uri]/..//pdfaProperty:name/text()",
        uri=FACTURX_NAMESPACE,
        namespaces=XMP_NAMESPACES,
    )
    assert FACTURX_NAMESPACE in schema_uris
    assert set(properties) == {
        "DocumentFileName", "DocumentType", "Version", "ConformanceLevel",
    }  # fmt: skip
    assert xmp.xpath("//fx:DocumentType/text()", namespaces=XMP_NAMESPACES) == [
        "INVOICE"
    ]
    assert xmp.xpath("//fx:ConformanceLevel/text()", namespaces=XMP_NAMESPACES) == [
        "EN 16931"
    ]


def test_embedded_xml_is_the_cii_of_the_invoice():
    invoice = several_rates_with_discount()

    filename, xml = facturx.get_xml_from_pdf(render_invoice_pdf(invoice))

    assert filename == "factur-x.xml"
    assert xml == cii_xml(invoice_document(invoice))


@pytest.mark.parametrize("case", list(CASES))
def test_fiat_reads_back_the_invoice(case):
    invoice = CASES[case]()

    result = read_einvoice(render_invoice_pdf(invoice), "invoice.pdf")

    assert result.invoice_number == invoice.number
    assert result.issue_date == invoice.issue_date
    assert result.currency == invoice.currency
    assert result.total_net == invoice.total_net_amount
    assert result.total_vat == invoice.total_vat_amount
    assert result.amount_due == invoice.payable_amount
    assert result.payment_reference == invoice.payment_reference


def test_dutch_invoice_text():
    invoice = several_rates_with_discount()

    text = _page_text(render_invoice_pdf(invoice))

    assert "Factuur" in text
    assert f"Nummer {invoice.number}" in text
    assert "Datum 2 maart 2026" in text
    assert "Vervaldatum 16 maart 2026" in text
    assert "Uw referentie PO-4711" in text
    assert f"Betalingskenmerk {invoice.payment_reference}" in text
    assert "Btw 21% over € 171,00" in text
    assert "Totaal inclusief btw € 298,50" in text
    assert "Te betalen € 298,50" in text
    assert "IBAN NL91ABNA0417164300" in text
    assert "KvK 12345678" in text


def test_english_reverse_charge_text():
    invoice = CASES["reverse_charge"]()

    text = _page_text(render_invoice_pdf(invoice))

    assert "Invoice" in text
    assert "Due date" in text
    assert "VAT reverse charged" in text
    assert "Customer VAT number: DE136695976" in text
    assert "Amount due €960.00" in text
    assert "Btw" not in text


def test_credit_note_prints_refund():
    text = _page_text(render_invoice_pdf(CASES["credit_note"]()))

    assert "Creditnota" in text
    assert "Corrigeert factuur F2026-00001" in text
    assert "Terug te betalen € 17,85" in text
    assert "Vervaldatum" not in text


def test_draft_preview_is_marked_concept():
    draft = make_draft(dutch_customer(), note="Levering week 12")

    pdf = render_invoice_pdf(draft)

    text = _page_text(pdf)
    assert text.count("CONCEPT") >= 3
    assert "Nummer CONCEPT" in text
    assert "Levering week 12" in text
    filename, xml = facturx.get_xml_from_pdf(pdf)
    assert filename == "factur-x.xml"
    assert b"<ram:ID>CONCEPT</ram:ID>" in xml


def test_english_draft_is_marked_draft():
    draft = make_draft(dutch_customer(language="en"))

    text = _page_text(render_invoice_pdf(draft))

    assert "Number DRAFT" in text
    assert "CONCEPT" not in text


def test_branding_logo_and_colour():
    branding = InvoiceBranding(accent_colour="#aa3300", phone="020 123 4567")
    branding.logo.save("logo.png", io.BytesIO(RED_PIXEL_PNG), save=False)
    branding.save()
    invoice = several_rates_with_discount()

    html = render_invoice_html(invoice)
    pdf = render_invoice_pdf(invoice)

    assert 'src="data:image/png;base64,' in html
    assert "#aa3300" in html
    assert "020 123 4567" in _page_text(pdf)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    images = [image for page in reader.pages for image in page.images]
    assert len(images) == 1


def test_without_logo_prints_company_name():
    html = render_invoice_html(several_rates_with_discount())

    assert '<div class="company-name">Fiat Demo B.V.</div>' in html
    assert "<img" not in html


def test_pdf_filename_by_language():
    invoice = several_rates_with_discount()
    draft = make_draft(dutch_customer(language="en"))

    assert pdf_filename(invoice) == f"factuur-{invoice.number}.pdf"
    assert pdf_filename(draft) == f"invoice-draft-{draft.pk}.pdf"


@pytest.mark.parametrize(
    ("amount", "currency", "language", "expected"),
    [
        ("1234.56", "EUR", "nl", "€\u00a01.234,56"),
        ("1234.56", "EUR", "en", "€1,234.56"),
        ("-17.85", "EUR", "nl", "€\u00a0-17,85"),
        ("1500", "USD", "en", "$1,500.00"),
        ("1500", "JPY", "en", "JPY\u00a01,500"),
        ("12.5", "CHF", "nl", "CHF\u00a012,50"),
    ],
)
def test_format_money(amount, currency, language, expected):
    assert format_money(Decimal(amount), currency, language) == expected
