"""Corpus tests: every valid public e-invoice sample reads as its XML states.

The expected values come from plain XPath lookups on the XML, written here
and independent of the reader. For a Factur-X or ZUGFeRD PDF the XML is the
one the factur-x library extracts. Each sample set also checks its file
count, so a set that went missing from the corpus fails instead of passing
with nothing to read.
"""

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from facturx import get_xml_from_pdf
from lxml import etree

from fiat.documents.extraction.einvoice import read_einvoice
from fiat.documents.extraction.result import DocumentType, ExtractionError

NAMESPACES = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:"
    "ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "zf1": "urn:ferd:CrossIndustryDocument:invoice:1p0",
    "ram12": "urn:un:unece:uncefact:data:standard:"
    "ReusableAggregateBusinessInformationEntity:12",
    "udt15": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:15",
}

UBL_PATHS = {
    "invoice_number": "/*/cbc:ID",
    "issue_date": "/*/cbc:IssueDate",
    "currency": "/*/cbc:DocumentCurrencyCode",
    "type_code": "/*/cbc:InvoiceTypeCode | /*/cbc:CreditNoteTypeCode",
    "total_net": "/*/cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount",
    "total_vat": "/*/cac:TaxTotal/cbc:TaxAmount"
    "[@currencyID = normalize-space(/*/cbc:DocumentCurrencyCode)]",
    "total_gross": "/*/cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount",
    "amount_due": "/*/cac:LegalMonetaryTotal/cbc:PayableAmount",
    "line_count": "count(/*/cac:InvoiceLine | /*/cac:CreditNoteLine)",
}

_CII_SUMMATION = (
    "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction"
    "/ram:ApplicableHeaderTradeSettlement"
    "/ram:SpecifiedTradeSettlementHeaderMonetarySummation"
)
_CII_CURRENCY = (
    "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction"
    "/ram:ApplicableHeaderTradeSettlement/ram:InvoiceCurrencyCode"
)
CII_PATHS = {
    "invoice_number": "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:ID",
    "issue_date": "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument"
    "/ram:IssueDateTime/udt:DateTimeString",
    "currency": _CII_CURRENCY,
    "type_code": "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:TypeCode",
    "total_net": f"{_CII_SUMMATION}/ram:TaxBasisTotalAmount",
    "total_vat": f"{_CII_SUMMATION}/ram:TaxTotalAmount"
    f"[@currencyID = normalize-space({_CII_CURRENCY}) or not(@currencyID)]",
    "total_gross": f"{_CII_SUMMATION}/ram:GrandTotalAmount",
    "amount_due": f"{_CII_SUMMATION}/ram:DuePayableAmount",
    "line_count": "count(/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction"
    "/ram:IncludedSupplyChainTradeLineItem)",
}

_ZUGFERD_1_SETTLEMENT = (
    "/zf1:CrossIndustryDocument/zf1:SpecifiedSupplyChainTradeTransaction"
    "/ram12:ApplicableSupplyChainTradeSettlement"
)
_ZUGFERD_1_SUMMATION = (
    f"{_ZUGFERD_1_SETTLEMENT}/ram12:SpecifiedTradeSettlementMonetarySummation"
)
ZUGFERD_1_PATHS = {
    "invoice_number": "/zf1:CrossIndustryDocument/zf1:HeaderExchangedDocument/ram12:ID",
    "issue_date": "/zf1:CrossIndustryDocument/zf1:HeaderExchangedDocument"
    "/ram12:IssueDateTime/udt15:DateTimeString",
    "currency": f"{_ZUGFERD_1_SETTLEMENT}/ram12:InvoiceCurrencyCode",
    "type_code": "/zf1:CrossIndustryDocument/zf1:HeaderExchangedDocument"
    "/ram12:TypeCode",
    "total_net": f"{_ZUGFERD_1_SUMMATION}/ram12:TaxBasisTotalAmount",
    "total_vat": f"{_ZUGFERD_1_SUMMATION}/ram12:TaxTotalAmount"
    f"[@currencyID = normalize-space({_ZUGFERD_1_SETTLEMENT}/ram12:InvoiceCurrencyCode)"
    " or not(@currencyID)]",
    "total_gross": f"{_ZUGFERD_1_SUMMATION}/ram12:GrandTotalAmount",
    "amount_due": f"{_ZUGFERD_1_SUMMATION}/ram12:DuePayableAmount",
    "line_count": "count(/zf1:CrossIndustryDocument"
    "/zf1:SpecifiedSupplyChainTradeTransaction"
    "/ram12:IncludedSupplyChainTradeLineItem)",
}

PATHS_BY_ROOT_NAMESPACE = {
    "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2": UBL_PATHS,
    "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2": UBL_PATHS,
    NAMESPACES["rsm"]: CII_PATHS,
    NAMESPACES["zf1"]: ZUGFERD_1_PATHS,
}

# Sample set: folder in the corpus, file pattern and number of files.
SAMPLE_SETS = {
    "zugferd-1-correct-pdf": (
        "facturx-zugferd/ZUGFeRD-corpus/ZUGFeRDv1/correct",
        "**/*.pdf",
        19,
    ),
    "zugferd-2-correct-pdf": (
        "facturx-zugferd/ZUGFeRD-corpus/ZUGFeRDv2/correct",
        "**/*.pdf",
        20,
    ),
    "zugferd-2-correct-xml": (
        "facturx-zugferd/ZUGFeRD-corpus/ZUGFeRDv2/correct",
        "**/*.xml",
        13,
    ),
    "peppol-bis-3-examples": (
        "ubl-einvoice/peppol-bis-invoice-3/examples",
        "*.xml",
        9,
    ),
    "en16931-ubl-examples": (
        "ubl-einvoice/EN16931-ConnectingEurope/ubl/examples",
        "*.*",
        17,
    ),
    "en16931-cii-examples": (
        "ubl-einvoice/EN16931-ConnectingEurope/cii/examples",
        "*.xml",
        15,
    ),
    "logius-examples": (
        "ubl-einvoice/Logius-basisfactuur-rijk",
        "*.xml",
        3,
    ),
    "akretion-factur-x-pdf": (
        "facturx-zugferd/akretion-factur-x/fixtures/pdf",
        "*.pdf",
        1,
    ),
    "akretion-factur-x-xml": (
        "facturx-zugferd/akretion-factur-x/fixtures/xml",
        "*.xml",
        10,
    ),
    "drafthorse-xml": (
        "facturx-zugferd/python-drafthorse/samples",
        "*.xml",
        58,
    ),
}

# Samples in those folders that are not valid e-invoices, each tested below.
ZUGFERD_DRAFT_PDFS = (
    "MustangGnuaccountingBeispielRE-20140519_499.pdf",
    "MustangGnuaccountingBeispielRE-20140522_501.pdf",
)
ORDER_X_FILES = ("order-x-basic.xml", "order-x-comfort.xml")
NEGATIVE_EXAMPLE = "BIS3_Invoice_negativ.XML"
EXCLUDED_FILE_NAMES = {*ZUGFERD_DRAFT_PDFS, *ORDER_X_FILES, NEGATIVE_EXAMPLE}

# The only arithmetic warnings the valid samples raise, each a real fault of
# the sample: Mustang 1.x wrote line amounts with VAT, and the ZUGFeRD 1.0
# correction examples state an amount due of 0.00 beside a total of -8.79.
EXPECTED_ARITHMETIC_WARNINGS = {
    "MustangGnuaccountingBeispielRE-20140703_502.pdf": [
        (
            "The line net amounts add up to 571.04, but the invoice states a line "
            "total of 496.00 (difference -75.04)."
        )
    ],
    "MustangGnuaccountingBeispielRE-20150613_503.pdf": [
        (
            "The line net amounts add up to 571.04, but the invoice states a line "
            "total of 496.00 (difference -75.04)."
        )
    ],
    "ZUGFeRD_1p0_COMFORT_Rechnungskorrektur.pdf": [
        (
            "The total with VAT minus the prepaid amount 0 plus the rounding amount "
            "0 is -8.79, but the invoice states an amount due of 0.00 (difference "
            "8.79)."
        )
    ],
    "ZUGFeRD_1p0_EXTENDED_Rechnungskorrektur.pdf": [
        (
            "The total with VAT minus the prepaid amount 0 plus the rounding amount "
            "0 is -8.79, but the invoice states an amount due of 0.00 (difference "
            "8.79)."
        )
    ],
}


def sample_files(corpus_dir: Path, set_name: str) -> list[Path]:
    folder, pattern, _ = SAMPLE_SETS[set_name]
    return sorted(
        path
        for path in (corpus_dir / folder).glob(pattern)
        if path.is_file() and path.name not in EXCLUDED_FILE_NAMES
    )


def invoice_xml(path: Path) -> bytes:
    """Return the sample's XML, extracted by the factur-x library from a PDF."""
    data = path.read_bytes()
    if path.suffix.lower() != ".pdf":
        return data
    _, xml = get_xml_from_pdf(data, check_xsd=False)
    return xml


def expected_fields(xml: bytes) -> dict[str, object]:
    tree = etree.fromstring(xml, etree.XMLParser(resolve_entities=False))
    paths = PATHS_BY_ROOT_NAMESPACE[etree.QName(tree).namespace]

    def lookup(name: str) -> str | None:
        return (
            tree.xpath(f"string(({paths[name]})[1])", namespaces=NAMESPACES).strip()
            or None
        )

    amounts = {
        name: Decimal(text) if (text := lookup(name)) else None
        for name in ("total_net", "total_vat", "total_gross", "amount_due")
    }
    is_credit_note = (
        etree.QName(tree).localname == "CreditNote" or lookup("type_code") == "381"
    )
    return {
        "invoice_number": lookup("invoice_number"),
        "issue_date": parse_sample_date(lookup("issue_date")),
        "currency": lookup("currency"),
        **amounts,
        "document_type": DocumentType.CREDIT_NOTE
        if is_credit_note
        else DocumentType.INVOICE,
        "line_count": int(tree.xpath(paths["line_count"], namespaces=NAMESPACES)),
    }


def parse_sample_date(text: str | None) -> date | None:
    if text is None:
        return None
    if "-" in text:
        return date.fromisoformat(text[:10])
    return datetime.strptime(text, "%Y%m%d").date()  # noqa: DTZ007 - a date


def field_mismatches(path: Path) -> list[str]:
    expected = expected_fields(invoice_xml(path))
    result = read_einvoice(path)
    if result is None:
        return [f"{path.name}: no e-invoice found"]
    actual = {name: getattr(result, name, None) for name in expected}
    actual["line_count"] = len(result.lines)
    return [
        f"{path.name}: {name} expected {expected[name]!r}, read {actual[name]!r}"
        for name in expected
        if actual[name] != expected[name]
    ]


@pytest.mark.parametrize("set_name", SAMPLE_SETS)
def test_corpus_einvoice_fields_match_xml(corpus_dir, set_name):
    files = sample_files(corpus_dir, set_name)

    mismatches = [mismatch for path in files for mismatch in field_mismatches(path)]

    assert len(files) == SAMPLE_SETS[set_name][2]
    assert mismatches == []


def test_corpus_einvoice_arithmetic_warnings(corpus_dir):
    files = [path for name in SAMPLE_SETS for path in sample_files(corpus_dir, name)]

    warnings_by_file = {}
    for path in files:
        warnings = [
            warning for warning in read_einvoice(path).warnings if "IBAN" not in warning
        ]
        if warnings:
            warnings_by_file[path.name] = warnings

    assert warnings_by_file == EXPECTED_ARITHMETIC_WARNINGS


@pytest.mark.parametrize("file_name", ZUGFERD_DRAFT_PDFS)
def test_corpus_zugferd_draft_pdf_has_no_einvoice(corpus_dir, file_name):
    path = (
        corpus_dir
        / "facturx-zugferd/ZUGFeRD-corpus/ZUGFeRDv1/correct/Mustangproject"
        / file_name
    )

    result = read_einvoice(path)

    assert result is None


@pytest.mark.parametrize("file_name", ORDER_X_FILES)
def test_corpus_order_x_is_not_an_einvoice(corpus_dir, file_name):
    path = corpus_dir / "facturx-zugferd/akretion-factur-x/fixtures/xml" / file_name

    with pytest.raises(ExtractionError) as error:
        read_einvoice(path)

    assert error.value.code == "not_an_einvoice"


@pytest.mark.parametrize(
    "file_name", ["Empty.pdf", "empty_pdf16.pdf", "invoice_pdf17.pdf"]
)
def test_corpus_plain_pdf_has_no_einvoice(corpus_dir, file_name):
    path = corpus_dir / "facturx-zugferd/python-drafthorse/samples" / file_name

    result = read_einvoice(path)

    assert result is None
