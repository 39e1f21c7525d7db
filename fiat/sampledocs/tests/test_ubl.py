"""Tests for the Peppol BIS Billing 3.0 UBL writer."""

from lxml import etree

from fiat.einvoice_rules import (
    EN16931_UBL_RULES,
    failed_asserts,
    fired_rule_count,
    ubl_schema,
)
from fiat.sampledocs.model import DocumentType
from fiat.sampledocs.tests.builders import office_invoice, reverse_charge_invoice
from fiat.sampledocs.ubl import ubl_xml

NAMESPACES = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}


def _xpath(xml: bytes, path: str) -> list[str]:
    return [
        str(value) for value in etree.fromstring(xml).xpath(path, namespaces=NAMESPACES)
    ]


def test_ubl_invoice_is_valid_against_xsd(corpus_dir):
    schema = ubl_schema(corpus_dir, "Invoice")

    is_valid = schema.validate(etree.fromstring(ubl_xml(office_invoice())))

    assert is_valid, schema.error_log


def test_ubl_credit_note_is_valid_against_xsd(corpus_dir):
    credit_note = office_invoice(document_type=DocumentType.CREDIT_NOTE)
    schema = ubl_schema(corpus_dir, "CreditNote")

    is_valid = schema.validate(etree.fromstring(ubl_xml(credit_note)))

    assert is_valid, schema.error_log


def test_ubl_xsd_rejects_misplaced_element(corpus_dir):
    root = etree.fromstring(ubl_xml(office_invoice()))
    root.append(root.find("cbc:IssueDate", NAMESPACES))
    schema = ubl_schema(corpus_dir, "Invoice")

    assert not schema.validate(root)


def test_ubl_invoice_passes_en16931_rules():
    xml = ubl_xml(office_invoice())

    assert failed_asserts(xml, EN16931_UBL_RULES) == []
    assert fired_rule_count(xml, EN16931_UBL_RULES) > 50


def test_ubl_credit_note_passes_en16931_rules():
    credit_note = office_invoice(
        document_type=DocumentType.CREDIT_NOTE, preceding_invoice_number="F2025-0098"
    )

    assert failed_asserts(ubl_xml(credit_note), EN16931_UBL_RULES) == []


def test_ubl_reverse_charge_passes_en16931_rules():
    xml = ubl_xml(reverse_charge_invoice())

    assert failed_asserts(xml, EN16931_UBL_RULES) == []


def test_ubl_rules_catch_wrong_total():
    xml = ubl_xml(office_invoice()).replace(
        b'<cbc:PayableAmount currencyID="EUR">1504.65',
        b'<cbc:PayableAmount currencyID="EUR">1504.66',
    )

    rules = {failure.rule for failure in failed_asserts(xml, EN16931_UBL_RULES)}

    assert "BR-CO-16" in rules


def test_ubl_peppol_identifiers():
    xml = ubl_xml(office_invoice())

    assert _xpath(xml, "/*/cbc:CustomizationID/text()") == [
        "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
    ]
    assert _xpath(xml, "/*/cbc:ProfileID/text()") == [
        "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
    ]


def test_ubl_seller_identifiers():
    xml = ubl_xml(office_invoice())
    party = "/*/cac:AccountingSupplierParty/cac:Party"

    assert _xpath(xml, f"{party}/cbc:EndpointID/text()") == ["81234570"]
    assert _xpath(xml, f"{party}/cbc:EndpointID/@schemeID") == ["0106"]
    assert _xpath(xml, f"{party}/cac:PartyTaxScheme/cbc:CompanyID/text()") == [
        "NL081234570B01"
    ]
    assert _xpath(xml, f"{party}/cac:PartyLegalEntity/cbc:CompanyID/text()") == [
        "81234570"
    ]
    assert _xpath(xml, f"{party}/cac:PartyLegalEntity/cbc:CompanyID/@schemeID") == [
        "0106"
    ]


def test_ubl_payment_means_is_credit_transfer_to_iban():
    xml = ubl_xml(office_invoice())

    assert _xpath(xml, "/*/cac:PaymentMeans/cbc:PaymentMeansCode/text()") == ["58"]
    assert _xpath(xml, "/*/cac:PaymentMeans/cbc:PaymentID/text()") == ["F2025-0099"]
    assert _xpath(
        xml, "/*/cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID/text()"
    ) == ["NL20INGB0001234567"]


def test_ubl_tax_subtotal_per_rate():
    xml = ubl_xml(office_invoice())
    subtotal = "/*/cac:TaxTotal/cac:TaxSubtotal"

    assert _xpath(xml, f"{subtotal}/cbc:TaxableAmount/text()") == ["1234.50", "10.00"]
    assert _xpath(xml, f"{subtotal}/cbc:TaxAmount/text()") == ["259.25", "0.90"]
    assert _xpath(xml, f"{subtotal}/cac:TaxCategory/cbc:Percent/text()") == ["21", "9"]
    assert _xpath(xml, "/*/cac:TaxTotal/cbc:TaxAmount/text()") == ["260.15"]


def test_ubl_legal_monetary_total():
    xml = ubl_xml(office_invoice())
    total = "/*/cac:LegalMonetaryTotal"

    assert _xpath(xml, f"{total}/cbc:LineExtensionAmount/text()") == ["1244.50"]
    assert _xpath(xml, f"{total}/cbc:TaxExclusiveAmount/text()") == ["1244.50"]
    assert _xpath(xml, f"{total}/cbc:TaxInclusiveAmount/text()") == ["1504.65"]
    assert _xpath(xml, f"{total}/cbc:PayableAmount/text()") == ["1504.65"]


def test_ubl_lines():
    xml = ubl_xml(office_invoice())

    assert _xpath(xml, "/*/cac:InvoiceLine/cbc:InvoicedQuantity/text()") == ["3", "2"]
    assert _xpath(xml, "/*/cac:InvoiceLine/cbc:LineExtensionAmount/text()") == [
        "1234.50",
        "10.00",
    ]
    assert _xpath(xml, "/*/cac:InvoiceLine/cac:Price/cbc:PriceAmount/text()") == [
        "411.50",
        "5.00",
    ]


def test_ubl_order_reference():
    xml = ubl_xml(office_invoice())

    assert _xpath(xml, "/*/cac:OrderReference/cbc:ID/text()") == ["PO-2025-0042"]


def test_ubl_credit_note_structure():
    credit_note = office_invoice(
        document_type=DocumentType.CREDIT_NOTE, preceding_invoice_number="F2025-0098"
    )

    xml = ubl_xml(credit_note)

    assert etree.QName(etree.fromstring(xml)).localname == "CreditNote"
    assert _xpath(xml, "/*/cbc:CreditNoteTypeCode/text()") == ["381"]
    assert _xpath(xml, "/*/cac:PaymentMeans/cbc:PaymentDueDate/text()") == [
        "2025-04-02"
    ]
    assert _xpath(
        xml, "/*/cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID/text()"
    ) == ["F2025-0098"]
    assert _xpath(xml, "/*/cac:CreditNoteLine/cbc:CreditedQuantity/text()") == [
        "3",
        "2",
    ]


def test_ubl_reverse_charge_exemption_reason():
    xml = ubl_xml(reverse_charge_invoice())
    category = "/*/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory"

    assert _xpath(xml, f"{category}/cbc:ID/text()") == ["AE"]
    assert _xpath(xml, f"{category}/cbc:TaxExemptionReasonCode/text()") == [
        "VATEX-EU-AE"
    ]
