"""Two-way match of invoices against purchase orders, within tolerance."""

from datetime import date
from decimal import Decimal

import pytest

from fiat.documents.extraction.result import DocumentType
from fiat.payables.matching import allowed_excess, open_amount
from fiat.payables.models import MatchTolerance, PurchaseOrder
from fiat.payables.orders import OrderInput, OrderLineInput, create_purchase_order
from fiat.payables.tests.factories import check_codes, make_invoice, make_supplier
from fiat.payables.workflow import cancel_invoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(supplier) -> PurchaseOrder:
    """PO-2026-0042 over 1000.00 EUR excluding VAT."""
    order, _ = create_purchase_order(
        OrderInput(
            number="PO-2026-0042",
            supplier=supplier,
            order_date=date(2026, 2, 20),
            currency="EUR",
            lines=[
                OrderLineInput("Flyers A5", Decimal("2000"), Decimal("0.40")),
                OrderLineInput("Posters A2", Decimal("50"), Decimal("4.00")),
            ],
        ),
        actor=None,
    )
    return order


@pytest.fixture
def tolerance(db) -> MatchTolerance:
    """2% of the open amount, at most 15.00."""
    tolerance = MatchTolerance.current()
    tolerance.percentage = Decimal("2.00")
    tolerance.amount = Decimal("15.00")
    tolerance.save()
    return tolerance


def invoice_for(order_reference: str, net: str, **fields):
    net_amount = Decimal(net)
    vat_amount = (net_amount * Decimal("0.21")).quantize(Decimal("0.01"))
    return make_invoice(
        po_reference=order_reference,
        total_net=net_amount,
        total_vat=vat_amount,
        total_gross=net_amount + vat_amount,
        vat_breakdown=[],
        lines=[],
        **fields,
    )


def test_order_total_and_open_amount(order):
    assert open_amount(order) == Decimal("1000.00")


def test_invoice_within_open_amount_matches(order, tolerance):
    invoice = invoice_for("PO-2026-0042", "1000.00")

    assert invoice.purchase_order == order
    check = invoice.checks.get(code="po_within_tolerance")
    assert check.severity == "info"
    assert check.expected == "1000.00"
    assert check.found == "1000.00"
    assert check.difference == Decimal("0")
    assert check.params["tolerance"] == "15.00"


def test_order_reference_written_differently_found(order, tolerance):
    invoice = invoice_for("po 2026 42", "400.00")

    assert invoice.purchase_order == order


def test_excess_within_both_limits_matches(order, tolerance):
    invoice = invoice_for("PO-2026-0042", "1015.00")

    check = invoice.checks.get(code="po_within_tolerance")
    assert check.difference == Decimal("15.00")


def test_excess_over_absolute_limit_warns(order, tolerance):
    invoice = invoice_for("PO-2026-0042", "1015.01")

    check = invoice.checks.get(code="po_over_tolerance")
    assert check.severity == "warning"
    assert check.source == "purchase order PO-2026-0042"
    assert check.expected == "1000.00"
    assert check.found == "1015.01"
    assert check.difference == Decimal("15.01")
    assert check.params["tolerance"] == "15.00"


@pytest.mark.parametrize(
    ("net", "code"),
    [("204.00", "po_within_tolerance"), ("204.01", "po_over_tolerance")],
)
def test_percentage_is_the_limit_on_small_orders(supplier, tolerance, net, code):
    create_purchase_order(
        OrderInput("PO-7", supplier, date(2026, 2, 1), "EUR",
                   lines=[OrderLineInput("Toner", Decimal("1"), Decimal("200.00"))]),
        actor=None,
    )  # fmt: skip

    invoice = invoice_for("PO-7", net)

    check = invoice.checks.get(code=code)
    assert check.params["tolerance"] == "4.00"


def test_allowed_excess_is_the_smaller_limit(tolerance):
    assert allowed_excess(Decimal("200.00"), tolerance, "EUR") == Decimal("4.00")
    assert allowed_excess(Decimal("5000.00"), tolerance, "EUR") == Decimal("15.00")
    assert allowed_excess(Decimal("-20.00"), tolerance, "EUR") == Decimal("0.00")


def test_tolerance_change_applies_on_next_check(order, tolerance):
    tolerance.amount = Decimal("100.00")
    tolerance.percentage = Decimal("10.00")
    tolerance.save()

    invoice = invoice_for("PO-2026-0042", "1080.00")

    assert "po_within_tolerance" in check_codes(invoice)


def test_earlier_invoices_reduce_open_amount(order, tolerance):
    invoice_for("PO-2026-0042", "600.00", invoice_number="A")

    second = invoice_for("PO-2026-0042", "600.00", invoice_number="B")

    check = second.checks.get(code="po_over_tolerance")
    assert check.expected == "400.00"
    assert check.difference == Decimal("200.00")
    assert open_amount(order) == Decimal("-200.00")


def test_credit_note_gives_amount_back(order, tolerance):
    invoice_for("PO-2026-0042", "600.00", invoice_number="A")
    invoice_for("PO-2026-0042", "100.00", invoice_number="C",
                document_type=DocumentType.CREDIT_NOTE)  # fmt: skip

    assert open_amount(order) == Decimal("500.00")


def test_cancelled_invoice_frees_open_amount(order, tolerance, clerk):
    first = invoice_for("PO-2026-0042", "600.00", invoice_number="A")
    cancel_invoice(first, clerk, "wrong order")

    assert open_amount(order) == Decimal("1000.00")


def test_unknown_order_warns(order, tolerance):
    invoice = invoice_for("PO-9999", "100.00")

    check = invoice.checks.get(code="po_not_found")
    assert check.severity == "warning"
    assert check.found == "PO-9999"
    assert invoice.purchase_order is None


def test_order_of_other_supplier_warns(order, tolerance):
    make_supplier(name="Kantoorhuis", vat_number="NL000099998B57", iban="",
                  coc_number="")  # fmt: skip
    order.supplier.vat_number = ""
    order.supplier.save()
    read_supplier = {"iban": None, "coc_number": None}

    invoice = invoice_for("PO-2026-0042", "100.00", supplier=read_supplier)

    check = invoice.checks.get(code="po_other_supplier")
    assert check.expected == "Drukkerij De Vries B.V."
    assert check.found == "Kantoorhuis"


def test_order_in_other_currency_not_compared(order, tolerance):
    invoice = invoice_for("PO-2026-0042", "100.00", currency="USD")

    assert "po_currency_mismatch" in check_codes(invoice)
    assert "po_within_tolerance" not in check_codes(invoice)


def test_supplier_with_open_orders_pointed_out(order, tolerance):
    invoice = invoice_for("", "100.00")

    check = invoice.checks.get(code="po_open_orders")
    assert check.severity == "info"
    assert check.params == {"orders": "PO-2026-0042"}


def test_closed_order_warns(order, tolerance):
    order.is_closed = True
    order.save()

    invoice = invoice_for("PO-2026-0042", "100.00")

    assert "po_closed" in check_codes(invoice)
