"""Peppol BIS 3 and NLCIUS UBL of sales invoices against their own rules.

Each profile's Schematron from the sample corpus is compiled to XSLT and
run by Saxon on the UBL of every e-invoice case. A broken invoice must fail
with the rule's id.
"""

import pytest
from lxml import etree

from fiat.einvoice_rules import (
    NLCIUS_UBL_SCHEMATRON,
    PEPPOL_UBL_SCHEMATRON,
    run_rules,
)
from fiat.receivables.einvoice.document import invoice_document
from fiat.receivables.einvoice.ubl import CBC, ubl_xml
from fiat.receivables.tests.einvoices import CASES, make_company

pytestmark = pytest.mark.django_db

PROFILE_RULES = {"peppol": PEPPOL_UBL_SCHEMATRON, "nlcius": NLCIUS_UBL_SCHEMATRON}


@pytest.fixture(autouse=True)
def _company(db):
    make_company()


@pytest.mark.parametrize("profile", list(PROFILE_RULES))
@pytest.mark.parametrize("case", list(CASES))
def test_ubl_passes_profile_rules(case, profile, corpus_dir):
    xml = ubl_xml(invoice_document(CASES[case]()), profile)

    report = run_rules(xml, corpus_dir / PROFILE_RULES[profile])

    assert report.fatal == []
    assert report.fired_rule_count > 20


def _without(xml: bytes, path: str) -> bytes:
    root = etree.fromstring(xml)
    for element in root.findall(path):
        element.getparent().remove(element)
    return etree.tostring(root)


def test_peppol_rules_reject_missing_buyer_reference(corpus_dir):
    xml = ubl_xml(invoice_document(CASES["freight"]()), "peppol")
    broken = _without(xml, f"{{{CBC}}}BuyerReference")

    report = run_rules(broken, corpus_dir / PEPPOL_UBL_SCHEMATRON)

    assert [failure.rule for failure in report.fatal] == ["PEPPOL-EN16931-R003"]
    assert report.fatal[0].text.startswith("A buyer reference or purchase order")


def test_nlcius_rules_reject_missing_kvk_number(corpus_dir):
    xml = ubl_xml(invoice_document(CASES["freight"]()), "nlcius")
    broken = _without(
        xml,
        ".//{*}AccountingSupplierParty/{*}Party/{*}PartyLegalEntity/{*}CompanyID",
    )

    report = run_rules(broken, corpus_dir / NLCIUS_UBL_SCHEMATRON)

    assert "BR-NL-1" in {failure.rule for failure in report.fatal}


def test_nlcius_rules_reject_peppol_customization(corpus_dir):
    xml = ubl_xml(invoice_document(CASES["freight"]()), "peppol")

    report = run_rules(xml, corpus_dir / NLCIUS_UBL_SCHEMATRON)

    assert [failure.text[:18] for failure in report.fatal] == ["[SI-V20-INV-R000]-"]
