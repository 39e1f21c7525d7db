"""Invoices that together cover the e-invoice cases, for the rule tests.

Each builder returns a released invoice (or credit note) of the demo seller
to one customer, so the generated XML can be checked against the schemas
and the official rules.
"""

from datetime import date
from decimal import Decimal

from fiat.core.models import Company, ExchangeRate
from fiat.receivables.credit import create_correction
from fiat.receivables.drafting import LineData, add_charge
from fiat.receivables.models import CustomerSettings, SalesInvoice
from fiat.receivables.release import release_invoice
from fiat.receivables.tests.factories import (
    german_vat_code,
    make_customer,
    make_draft,
    sales_vat_code,
)

GERMAN_VAT = "DE136695976"
# Euros per US dollar on the invoice date of the dollar case.
USD_RATE = Decimal("0.9200")


def make_company() -> Company:
    return Company.objects.create(
        name="Fiat Demo B.V.",
        vat_number="NL000099998B57",
        coc_number="12345678",
        iban="NL91ABNA0417164300",
        bic="ABNANL2A",
        street="Keizersgracht 1",
        postal_code="1015 CJ",
        city="Amsterdam",
        country="NL",
        email="facturen@fiat.example",
    )


def dutch_customer(**fields):
    return make_customer(
        street="Dorpsstraat 4", postal_code="3512 AB", city="Utrecht",
        coc_number="87654321", **fields,
    )  # fmt: skip


def _line(description, quantity, price, vat_code, discount=0) -> LineData:
    return LineData(
        description=description,
        quantity=Decimal(quantity),
        unit_price=Decimal(price),
        vat_code=vat_code,
        discount_percent=Decimal(discount),
    )


def several_rates_with_discount() -> SalesInvoice:
    draft = make_draft(
        dutch_customer(),
        _line("Advies", "2", "95.00", sales_vat_code("V21"), discount=10),
        _line("Handboek", "3", "24.95", sales_vat_code("V9")),
        _line("Export documentatie", "1", "10.00", sales_vat_code("V0")),
        issue_date=date(2026, 3, 2),
        buyer_reference="PO-4711",
    )
    return release_invoice(draft, None)


def gross_price_invoice() -> SalesInvoice:
    draft = make_draft(
        dutch_customer(),
        _line("Wandlamp", "1", "79.20", german_vat_code()),
        issue_date=date(2026, 3, 2),
        prices_include_vat=True,
    )
    return release_invoice(draft, None)


def freight_invoice() -> SalesInvoice:
    vat_19 = german_vat_code()
    draft = make_draft(
        dutch_customer(),
        _line("Onderdelen", "1", "135.27", vat_19),
        issue_date=date(2026, 3, 2),
    )
    add_charge(draft, "Vracht", Decimal("5.99"), vat_19)
    return release_invoice(draft, None)


def reverse_charge_invoice() -> SalesInvoice:
    customer = make_customer(
        name="Müller GmbH", country="DE", vat_number=GERMAN_VAT, language="en",
        street="Hauptstraße 5", postal_code="10115", city="Berlin",
    )  # fmt: skip
    draft = make_draft(
        customer, _line("Consulting", "8", "120.00", sales_vat_code()),
        issue_date=date(2026, 3, 2), note="Workshop in Berlin, March 2026",
    )  # fmt: skip
    return release_invoice(draft, None)


def export_invoice_in_dollars() -> SalesInvoice:
    customer = make_customer(
        name="Acme Inc.", country="US", vat_number="", language="en",
        currency="USD", street="1 Main Street", postal_code="10001",
        city="New York", email="ap@acme.example",
    )  # fmt: skip
    CustomerSettings.objects.create(
        party=customer, endpoint_scheme="9959", endpoint_id="123456789"
    )
    ExchangeRate.objects.get_or_create(
        currency="USD", rate_date=date(2026, 3, 2), defaults={"rate": USD_RATE}
    )
    draft = make_draft(
        customer, _line("Licence", "1", "1500.00", sales_vat_code()),
        issue_date=date(2026, 3, 2),
    )  # fmt: skip
    return release_invoice(draft, None)


def credit_note_for_returned_goods() -> SalesInvoice:
    invoice = release_invoice(
        make_draft(
            dutch_customer(), _line("Kabel", "2", "7.50", german_vat_code()),
            issue_date=date(2026, 3, 2),
        ),
        None,
    )  # fmt: skip
    return release_invoice(create_correction(invoice, None), None)


def corrective_invoice_for_returned_goods() -> SalesInvoice:
    invoice = release_invoice(
        make_draft(
            dutch_customer(), _line("Kabel", "2", "7.50", german_vat_code()),
            issue_date=date(2026, 3, 2),
        ),
        None,
    )  # fmt: skip
    return release_invoice(
        create_correction(invoice, None, corrective_invoice=True), None
    )


CASES = {
    "several_rates_with_discount": several_rates_with_discount,
    "gross_price": gross_price_invoice,
    "freight": freight_invoice,
    "reverse_charge": reverse_charge_invoice,
    "export_in_dollars": export_invoice_in_dollars,
    "credit_note": credit_note_for_returned_goods,
    "corrective_invoice": corrective_invoice_for_returned_goods,
}
