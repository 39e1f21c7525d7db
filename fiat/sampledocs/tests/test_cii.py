"""Tests for the EN 16931 CII writer (Factur-X EN 16931 profile)."""

import facturx
import pytest
from lxml import etree

from fiat.einvoice_rules import (
    EN16931_CII_RULES,
    failed_asserts,
    fired_rule_count,
)
from fiat.sampledocs.cii import cii_xml
from fiat.sampledocs.model import DocumentType
from fiat.sampledocs.tests.builders import office_invoice, reverse_charge_invoice

NAMESPACES = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:"
    "ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
SETTLEMENT = (
    "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction"
    "/ram:ApplicableHeaderTradeSettlement"
)
SELLER = (
    "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction"
    "/ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty"
)


def _xpath(xml: bytes, path: str) -> list[str]:
    return [
        str(value) for value in etree.fromstring(xml).xpath(path, namespaces=NAMESPACES)
    ]


def test_cii_invoice_is_valid_against_facturx_xsd():
    xml = cii_xml(office_invoice())

    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")


def test_cii_credit_note_is_valid_against_facturx_xsd():
    credit_note = office_invoice(document_type=DocumentType.CREDIT_NOTE)

    assert facturx.xml_check_xsd(
        cii_xml(credit_note), flavor="factur-x", level="en16931"
    )


def test_facturx_xsd_rejects_misplaced_element():
    root = etree.fromstring(cii_xml(office_invoice()))
    root.append(root[0])

    with pytest.raises(Exception, match="not valid against the official XML Schema"):
        facturx.xml_check_xsd(etree.tostring(root), flavor="factur-x", level="en16931")


def test_cii_invoice_passes_en16931_rules():
    xml = cii_xml(office_invoice())

    assert failed_asserts(xml, EN16931_CII_RULES) == []
    assert fired_rule_count(xml, EN16931_CII_RULES) > 50


def test_cii_credit_note_passes_en16931_rules():
    credit_note = office_invoice(
        document_type=DocumentType.CREDIT_NOTE, preceding_invoice_number="F2025-0098"
    )

    assert failed_asserts(cii_xml(credit_note), EN16931_CII_RULES) == []


def test_cii_reverse_charge_passes_en16931_rules():
    xml = cii_xml(reverse_charge_invoice())

    assert failed_asserts(xml, EN16931_CII_RULES) == []


def test_cii_rules_catch_wrong_vat_total():
    xml = cii_xml(office_invoice()).replace(
        b'<ram:TaxTotalAmount currencyID="EUR">260.15',
        b'<ram:TaxTotalAmount currencyID="EUR">260.16',
    )

    rules = {failure.rule for failure in failed_asserts(xml, EN16931_CII_RULES)}

    assert "BR-CO-14" in rules


def test_cii_declares_en16931_guideline():
    xml = cii_xml(office_invoice())

    assert _xpath(
        xml,
        "/rsm:CrossIndustryInvoice/rsm:ExchangedDocumentContext"
        "/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID/text()",
    ) == ["urn:cen.eu:en16931:2017"]


def test_cii_document_header():
    xml = cii_xml(office_invoice())
    document = "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument"

    assert _xpath(xml, f"{document}/ram:ID/text()") == ["F2025-0099"]
    assert _xpath(xml, f"{document}/ram:TypeCode/text()") == ["380"]
    assert _xpath(xml, f"{document}/ram:IssueDateTime/udt:DateTimeString/text()") == [
        "20250303"
    ]


def test_cii_seller_identifiers():
    xml = cii_xml(office_invoice())

    assert _xpath(xml, f"{SELLER}/ram:SpecifiedLegalOrganization/ram:ID/text()") == [
        "81234570"
    ]
    assert _xpath(xml, f"{SELLER}/ram:SpecifiedTaxRegistration/ram:ID/text()") == [
        "NL081234570B01"
    ]
    assert _xpath(
        xml, f"{SELLER}/ram:URIUniversalCommunication/ram:URIID/@schemeID"
    ) == ["0106"]


def test_cii_payment_means_and_due_date():
    xml = cii_xml(office_invoice())
    means = f"{SETTLEMENT}/ram:SpecifiedTradeSettlementPaymentMeans"

    assert _xpath(xml, f"{means}/ram:TypeCode/text()") == ["58"]
    assert _xpath(
        xml, f"{means}/ram:PayeePartyCreditorFinancialAccount/ram:IBANID/text()"
    ) == ["NL20INGB0001234567"]
    assert _xpath(
        xml,
        f"{SETTLEMENT}/ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime"
        "/udt:DateTimeString/text()",
    ) == ["20250402"]


def test_cii_vat_breakdown_per_rate():
    xml = cii_xml(office_invoice())
    tax = f"{SETTLEMENT}/ram:ApplicableTradeTax"

    assert _xpath(xml, f"{tax}/ram:BasisAmount/text()") == ["1234.50", "10.00"]
    assert _xpath(xml, f"{tax}/ram:CalculatedAmount/text()") == ["259.25", "0.90"]
    assert _xpath(xml, f"{tax}/ram:RateApplicablePercent/text()") == ["21", "9"]


def test_cii_monetary_summation():
    xml = cii_xml(office_invoice())
    summation = f"{SETTLEMENT}/ram:SpecifiedTradeSettlementHeaderMonetarySummation"

    assert _xpath(xml, f"{summation}/ram:TaxBasisTotalAmount/text()") == ["1244.50"]
    assert _xpath(xml, f"{summation}/ram:TaxTotalAmount/text()") == ["260.15"]
    assert _xpath(xml, f"{summation}/ram:GrandTotalAmount/text()") == ["1504.65"]
    assert _xpath(xml, f"{summation}/ram:DuePayableAmount/text()") == ["1504.65"]


def test_cii_credit_note_refers_to_invoice():
    credit_note = office_invoice(
        document_type=DocumentType.CREDIT_NOTE, preceding_invoice_number="F2025-0098"
    )

    xml = cii_xml(credit_note)

    assert _xpath(
        xml, "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:TypeCode/text()"
    ) == ["381"]
    assert _xpath(
        xml, f"{SETTLEMENT}/ram:InvoiceReferencedDocument/ram:IssuerAssignedID/text()"
    ) == ["F2025-0098"]
