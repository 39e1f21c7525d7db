"""Text-layer reading of the invoice2data sample invoices, against their JSON.

Each sample PDF in ``invoices-pdf/invoice2data/compare`` has a JSON file
with the values invoice2data's templates extract. The table below lists, per
file, the fields this reader gets right, and the expected values come from the
JSON. Fields left out are read wrong or not at all, for example the
identity printed only inside an image (saeco.pdf) or an IBAN field that
contains a local account number (AzureInterior.pdf).
"""

import json
from datetime import date
from decimal import Decimal

import pytest

from fiat.documents.extraction.pdftext import read_pdf_text

# invoice2data's field name to the ExtractionResult attribute.
ATTRIBUTES = {
    "invoice_number": "invoice_number",
    "date": "issue_date",
    "date_due": "due_date",
    "amount": "total_gross",
    "amount_untaxed": "total_net",
    "amount_tax": "total_vat",
    "currency": "currency",
    "payment_reference": "payment_reference",
    "iban": "supplier.iban",
    "bic": "supplier.bic",
    "vat": "supplier.vat_number",
    "partner_coc": "supplier.coc_number",
    "partner_name": "supplier.name",
    "issuer": "supplier.name",
}
AMOUNTS = {"amount", "amount_untaxed", "amount_tax"}
DATES = {"date", "date_due"}

FIELDS_READ_RIGHT = {
    "AmazonWebServices": [
        "invoice_number", "date", "amount", "amount_untaxed", "currency",
        "partner_name",
    ],
    "AzureInterior": [
        "invoice_number", "date", "date_due", "amount", "amount_untaxed",
        "amount_tax", "currency", "payment_reference", "partner_name", "issuer",
    ],
    "FlipkartInvoice": ["invoice_number", "date", "amount", "currency"],
    "NetpresseInvoice": [
        "invoice_number", "date", "amount", "amount_untaxed", "currency", "issuer",
    ],
    "QualityHosting": [
        "invoice_number", "date", "amount", "currency", "vat", "issuer",
    ],
    "SammyMaystoneLinesTest": ["invoice_number", "date", "currency"],
    "coolblue1": [
        "invoice_number", "date", "amount", "amount_untaxed", "currency", "iban",
        "bic", "vat", "partner_coc", "partner_name",
    ],
    "coolblue2": [
        "invoice_number", "date", "amount", "amount_untaxed", "currency", "iban",
        "bic", "vat", "partner_coc", "partner_name",
    ],
    "free_fiber": [
        "invoice_number", "date", "date_due", "amount", "amount_untaxed",
        "currency", "vat",
    ],
    "oyo": ["invoice_number", "date", "amount", "currency"],
    "saeco": [
        "invoice_number", "date", "date_due", "amount", "amount_untaxed",
        "amount_tax", "currency",
    ],
}  # fmt: skip


def expected_value(key: str, value):
    if key in AMOUNTS:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    if key in DATES:
        return date.fromisoformat(value)
    if key == "invoice_number":
        # invoice2data keeps the "#" printed before Flipkart's number.
        return value.lstrip("#")
    if key == "vat":
        # invoice2data keeps the spaces of "DE 232 446 240".
        return value.replace(" ", "")
    return value


def read_attribute(result, attribute: str):
    value = result
    for part in attribute.split("."):
        value = getattr(value, part)
    return value


@pytest.mark.parametrize("name", sorted(FIELDS_READ_RIGHT))
def test_invoice2data_sample(corpus_dir, name):
    folder = corpus_dir / "invoices-pdf" / "invoice2data" / "compare"
    truth = json.loads((folder / f"{name}.json").read_text())[0]

    result = read_pdf_text(folder / f"{name}.pdf")

    for key in FIELDS_READ_RIGHT[name]:
        actual = read_attribute(result, ATTRIBUTES[key])
        assert actual == expected_value(key, truth[key]), key


def test_invoice2data_samples_have_no_warnings(corpus_dir):
    folder = corpus_dir / "invoices-pdf" / "invoice2data" / "compare"

    for name in FIELDS_READ_RIGHT:
        result = read_pdf_text(folder / f"{name}.pdf")

        assert result.warnings == [], name
