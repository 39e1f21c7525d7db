"""Drafts: customer defaults, lines from products, VAT treatment, totals."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from fiat.receivables.drafting import (
    LineData,
    NotACustomerError,
    add_charge,
    add_line,
    create_draft,
    vat_treatment_text,
)
from fiat.receivables.models import CustomerSettings, VatTreatment
from fiat.receivables.tests.factories import (
    german_vat_code,
    make_customer,
    make_draft,
    make_product,
    sales_vat_code,
)

pytestmark = pytest.mark.django_db


def test_draft_takes_customer_defaults():
    customer = make_customer(language="en", currency="USD", payment_terms_days=45)
    CustomerSettings.objects.create(
        party=customer, einvoice_profile="nlcius", payment_term="end_of_next_month",
        buyer_reference="PO-77",
    )  # fmt: skip

    invoice = make_draft(customer)

    assert invoice.language == "en"
    assert invoice.currency == "USD"
    assert invoice.payment_days == 45
    assert invoice.payment_term == "end_of_next_month"
    assert invoice.einvoice_profile == "nlcius"
    assert invoice.buyer_reference == "PO-77"
    assert invoice.status == "draft"
    assert invoice.number == ""


def test_draft_for_supplier_only_rejected():
    supplier = make_customer(is_customer=False, is_supplier=True)

    with pytest.raises(NotACustomerError):
        create_draft(supplier)


def test_line_from_product_in_customer_language():
    product = make_product()
    invoice = make_draft(make_customer(language="en"), LineData(product=product))

    line = invoice.lines.get()

    assert line.description == "Consulting per hour"
    assert line.unit_price == Decimal("95.0000")
    assert line.unit_code == "HUR"
    assert line.vat_code.code == "V21"
    assert line.net_amount == Decimal("95.00")


def test_totals_stored_on_draft():
    invoice = make_draft()

    assert invoice.total_net_amount == Decimal("190.00")
    assert invoice.total_vat_amount == Decimal("39.90")
    assert invoice.payable_amount == Decimal("229.90")


def test_gross_price_79_20_stored():
    line = LineData(
        description="Wandlamp", unit_price=Decimal("79.20"),
        vat_code=german_vat_code(),
    )  # fmt: skip

    invoice = make_draft(None, line, prices_include_vat=True)

    assert invoice.lines.get().net_amount == Decimal("66.55")
    assert invoice.total_net_amount == Decimal("66.55")
    assert invoice.total_vat_amount == Decimal("12.64")
    assert invoice.rounding_amount == Decimal("0.01")
    assert invoice.payable_amount == Decimal("79.20")


def test_freight_charge_stored():
    vat_19 = german_vat_code()
    invoice = make_draft(
        None,
        LineData(
            description="Onderdelen", unit_price=Decimal("135.27"), vat_code=vat_19
        ),
    )

    add_charge(invoice, "Vracht", Decimal("5.99"), vat_19)
    invoice.refresh_from_db()

    assert invoice.total_net_amount == Decimal("141.26")
    assert invoice.total_vat_amount == Decimal("26.84")
    assert invoice.payable_amount == Decimal("168.10")


def test_reverse_charge_for_german_business():
    customer = make_customer(name="Müller GmbH", country="DE", vat_number="DE136695976")

    invoice = make_draft(customer)

    line = invoice.lines.get()
    assert invoice.vat_treatment == VatTreatment.REVERSE_CHARGE
    assert line.vat_code.category == "AE"
    assert invoice.total_vat_amount == Decimal("0.00")
    assert invoice.payable_amount == Decimal("190.00")


def test_reverse_charge_text_in_customer_language():
    customer = make_customer(name="Müller GmbH", country="DE", vat_number="DE136695976")
    invoice = make_draft(customer)

    with translation.override("nl"):
        dutch = vat_treatment_text(invoice)
    with translation.override("en"):
        english = vat_treatment_text(invoice)

    assert dutch == "Btw verlegd"
    assert english == "VAT reverse charged"


def test_german_consumer_pays_dutch_vat():
    customer = make_customer(country="DE", vat_number="", is_consumer=True)

    invoice = make_draft(customer)

    assert invoice.vat_treatment == VatTreatment.DOMESTIC
    assert invoice.total_vat_amount == Decimal("39.90")


def test_export_outside_eu_is_zero_rated():
    customer = make_customer(name="Acme Inc.", country="US", vat_number="")

    invoice = make_draft(customer)

    assert invoice.vat_treatment == VatTreatment.EXPORT
    assert invoice.lines.get().vat_code.category == "G"
    assert invoice.total_vat_amount == Decimal("0.00")


def test_add_line_recalculates():
    invoice = make_draft()

    add_line(
        invoice,
        LineData(
            description="Boek", quantity=Decimal(1), unit_price=Decimal("20.00"),
            vat_code=sales_vat_code("V9"),
        ),
    )  # fmt: skip
    invoice.refresh_from_db()

    assert invoice.total_net_amount == Decimal("210.00")
    assert invoice.total_vat_amount == Decimal("41.70")


def test_issue_date_left_empty_until_release():
    invoice = make_draft(issue_date=None)

    assert invoice.issue_date is None
    assert make_draft(issue_date=date(2025, 2, 10)).issue_date == date(2025, 2, 10)
