"""CII (Factur-X EN 16931) of sales invoices against XSD and EN 16931 rules."""

import facturx
import pytest
from lxml import etree

from fiat.einvoice_rules import (
    EN16931_CII_RULES,
    failed_asserts,
    fired_rule_count,
)
from fiat.receivables.einvoice.cii import RAM, cii_xml
from fiat.receivables.einvoice.document import invoice_document
from fiat.receivables.tests.einvoices import CASES, make_company

pytestmark = pytest.mark.django_db

NS = {"ram": RAM}


@pytest.fixture(autouse=True)
def _company(db):
    make_company()


@pytest.mark.parametrize("case", list(CASES))
def test_cii_passes_xsd_and_en16931_rules(case):
    xml = cii_xml(invoice_document(CASES[case]()))

    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    assert failed_asserts(xml, EN16931_CII_RULES) == []
    assert fired_rule_count(xml, EN16931_CII_RULES) > 10


def _summation(xml: bytes) -> dict[str, str]:
    tree = etree.fromstring(xml)
    [summation] = tree.iter(f"{{{RAM}}}SpecifiedTradeSettlementHeaderMonetarySummation")
    return {etree.QName(child).localname: child.text for child in summation}


def test_gross_price_case_values():
    xml = cii_xml(invoice_document(CASES["gross_price"]()))

    assert _summation(xml) == {
        "LineTotalAmount": "66.55",
        "TaxBasisTotalAmount": "66.55",
        "TaxTotalAmount": "12.64",
        "RoundingAmount": "0.01",
        "GrandTotalAmount": "79.19",
        "DuePayableAmount": "79.20",
    }


def test_freight_case_values_have_two_decimals():
    xml = cii_xml(invoice_document(CASES["freight"]()))

    assert _summation(xml) == {
        "LineTotalAmount": "135.27",
        "ChargeTotalAmount": "5.99",
        "AllowanceTotalAmount": "0.00",
        "TaxBasisTotalAmount": "141.26",
        "TaxTotalAmount": "26.84",
        "GrandTotalAmount": "168.10",
        "DuePayableAmount": "168.10",
    }


def test_credit_note_is_positive_with_type_381():
    xml = cii_xml(invoice_document(CASES["credit_note"]()))
    tree = etree.fromstring(xml)

    assert tree.findtext(".//{*}ExchangedDocument/{*}TypeCode") == "381"
    assert tree.findtext(".//{*}BilledQuantity") == "2"
    assert tree.findtext(".//{*}NetPriceProductTradePrice/{*}ChargeAmount") == (
        "7.5000"
    )
    assert _summation(xml)["DuePayableAmount"] == "17.85"
    assert tree.findtext(".//{*}InvoiceReferencedDocument/{*}IssuerAssignedID") == (
        "F2026-00001"
    )


def test_corrective_invoice_has_negative_quantity():
    xml = cii_xml(invoice_document(CASES["corrective_invoice"]()))
    tree = etree.fromstring(xml)

    assert tree.findtext(".//{*}ExchangedDocument/{*}TypeCode") == "384"
    assert tree.findtext(".//{*}BilledQuantity") == "-2"
    assert tree.findtext(".//{*}LineTotalAmount") == "-15.00"
    assert _summation(xml)["DuePayableAmount"] == "-17.85"


def test_reverse_charge_states_reason_in_english():
    xml = cii_xml(invoice_document(CASES["reverse_charge"]()))
    tree = etree.fromstring(xml)

    assert tree.findtext(".//{*}ApplicableTradeTax/{*}ExemptionReason") == (
        "VAT reverse charged"
    )
    assert tree.findtext(".//{*}ExemptionReasonCode") == "VATEX-EU-AE"
    vat_ids = [e.text for e in tree.iter(f"{{{RAM}}}SpecifiedTaxRegistration")]
    assert len(vat_ids) == 2
