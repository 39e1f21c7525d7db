"""UBL (Peppol BIS 3, NLCIUS) of sales invoices against XSD and EN 16931."""

import pytest
from lxml import etree

from fiat.einvoice_rules import (
    EN16931_UBL_RULES,
    failed_asserts,
    fired_rule_count,
    ubl_schema,
)
from fiat.receivables.einvoice.document import invoice_document
from fiat.receivables.einvoice.ubl import CUSTOMIZATION_IDS, ubl_xml
from fiat.receivables.tests.einvoices import CASES, make_company

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _company(db):
    make_company()


@pytest.mark.parametrize("profile", list(CUSTOMIZATION_IDS))
@pytest.mark.parametrize("case", list(CASES))
def test_ubl_passes_xsd_and_en16931_rules(case, profile, corpus_dir):
    document = invoice_document(CASES[case]())
    xml = ubl_xml(document, profile)
    schema = ubl_schema(
        corpus_dir, "CreditNote" if document.is_credit_note else "Invoice"
    )

    assert schema.validate(etree.fromstring(xml)), schema.error_log
    assert failed_asserts(xml, EN16931_UBL_RULES) == []
    assert fired_rule_count(xml, EN16931_UBL_RULES) > 10


def _text(xml: bytes, path: str) -> str:
    return etree.fromstring(xml).findtext(path)


def test_gross_price_case_monetary_total():
    xml = ubl_xml(invoice_document(CASES["gross_price"]()))

    total = "{*}LegalMonetaryTotal/{*}"
    assert _text(xml, total + "TaxExclusiveAmount") == "66.55"
    assert _text(xml, total + "TaxInclusiveAmount") == "79.19"
    assert _text(xml, total + "PayableRoundingAmount") == "0.01"
    assert _text(xml, total + "PayableAmount") == "79.20"
    assert _text(xml, "{*}TaxTotal/{*}TaxAmount") == "12.64"


def test_freight_case_monetary_total():
    xml = ubl_xml(invoice_document(CASES["freight"]()))

    total = "{*}LegalMonetaryTotal/{*}"
    assert _text(xml, total + "LineExtensionAmount") == "135.27"
    assert _text(xml, total + "ChargeTotalAmount") == "5.99"
    assert _text(xml, total + "TaxExclusiveAmount") == "141.26"
    assert _text(xml, "{*}TaxTotal/{*}TaxAmount") == "26.84"
    assert _text(xml, total + "PayableAmount") == "168.10"


def test_credit_note_lines_are_positive():
    xml = ubl_xml(invoice_document(CASES["credit_note"]()))

    assert etree.QName(etree.fromstring(xml)).localname == "CreditNote"
    assert _text(xml, "{*}CreditNoteTypeCode") == "381"
    assert _text(xml, "{*}CreditNoteLine/{*}CreditedQuantity") == "2"
    assert _text(xml, "{*}CreditNoteLine/{*}LineExtensionAmount") == "15.00"
    assert _text(xml, "{*}LegalMonetaryTotal/{*}PayableAmount") == "17.85"


def test_nlcius_customization_id():
    xml = ubl_xml(invoice_document(CASES["freight"]()), "nlcius")

    assert _text(xml, "{*}CustomizationID").endswith("nlcius:v1.0")
