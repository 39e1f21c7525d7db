"""Two-way match of a purchase invoice against its purchase order.

The invoice's net total (excluding VAT) is compared with the order's open
amount: the order lines' total minus the net totals of the other invoices
already matched to it, where a credit note gives its amount back. An
invoice within the open amount matches. One that exceeds it matches only
when the excess is within both limits of ``MatchTolerance``: a percentage
of the open amount and an absolute amount. Everything is compared excluding
VAT, in the order's currency.
"""

from decimal import Decimal

from django.db.models import Case, DecimalField, F, Sum, Value, When
from django.db.models.functions import Coalesce

from fiat.core.money import round_money
from fiat.payables.findings import CheckCode, Finding, Severity
from fiat.payables.invoice_numbers import normalise_number
from fiat.payables.models import (
    VOID_STATUSES,
    InvoiceDocumentType,
    MatchTolerance,
    PurchaseInvoice,
    PurchaseOrder,
)

ZERO = Decimal("0")
_AMOUNT = DecimalField(max_digits=20, decimal_places=2)


def find_order(reference: str) -> PurchaseOrder | None:
    """Return the purchase order whose normalised number is ``reference``'s."""
    if not reference.strip():
        return None
    normalised = normalise_number(reference)
    return PurchaseOrder.objects.filter(normalised_number=normalised).first()


def link_purchase_order(invoice: PurchaseInvoice) -> None:
    """Set the invoice's order from its order reference; does not save."""
    invoice.purchase_order = find_order(invoice.po_reference)


def order_total(order: PurchaseOrder) -> Decimal:
    total = order.lines.aggregate(total=Sum("net_amount"))["total"] or ZERO
    # SQLite returns sums without their scale: 1000 instead of 1000.00.
    return round_money(total, order.currency)


def invoiced_amount(
    order: PurchaseOrder, *, excluding: PurchaseInvoice | None = None
) -> Decimal:
    """Return the net total invoiced on ``order``, credit notes subtracted."""
    invoices = order.invoices.exclude(status__in=VOID_STATUSES)
    if excluding is not None and excluding.pk is not None:
        invoices = invoices.exclude(pk=excluding.pk)
    signed = Case(
        When(
            document_type=InvoiceDocumentType.CREDIT_NOTE,
            then=-F("total_net_amount"),
        ),
        default=F("total_net_amount"),
        output_field=_AMOUNT,
    )
    total = invoices.aggregate(
        total=Coalesce(Sum(signed), Value(ZERO), output_field=_AMOUNT)
    )
    return round_money(total["total"], order.currency)


def open_amount(
    order: PurchaseOrder, *, excluding: PurchaseInvoice | None = None
) -> Decimal:
    """Return what is left to invoice on ``order``, excluding VAT."""
    return order_total(order) - invoiced_amount(order, excluding=excluding)


def allowed_excess(
    open_total: Decimal, tolerance: MatchTolerance, currency: str
) -> Decimal:
    """Return how much an invoice may exceed ``open_total`` and still match."""
    by_percentage = round_money(
        max(open_total, ZERO) * tolerance.percentage / 100, currency
    )
    return min(by_percentage, tolerance.amount)


def compare_with_order(
    invoice_net: Decimal,
    open_total: Decimal,
    excess_allowed: Decimal,
    *,
    order_number: str,
) -> Finding:
    """Compare an invoice's net total with an order's open amount."""
    excess = invoice_net - open_total
    within = excess <= excess_allowed
    return Finding(
        CheckCode.PO_WITHIN_TOLERANCE if within else CheckCode.PO_OVER_TOLERANCE,
        Severity.INFO if within else Severity.WARNING,
        field="total_net_amount",
        source=f"purchase order {order_number}",
        expected=format(open_total, "f"),
        found=format(invoice_net, "f"),
        difference=excess,
        params={
            "order": order_number,
            "difference": format(excess, "f"),
            "tolerance": format(excess_allowed, "f"),
        },
    )


def check_purchase_order(invoice: PurchaseInvoice) -> list[Finding]:
    """Match the invoice with its named order, or point out open orders."""
    if not invoice.po_reference.strip():
        return _open_orders(invoice)
    order = invoice.purchase_order
    if order is None:
        return [
            Finding(
                CheckCode.PO_NOT_FOUND,
                Severity.WARNING,
                field="po_reference",
                source="purchase orders",
                found=invoice.po_reference,
            )
        ]
    return _match_order(invoice, order)


def _match_order(invoice: PurchaseInvoice, order: PurchaseOrder) -> list[Finding]:
    source = f"purchase order {order.number}"
    params = {"order": order.number}
    findings = []
    if invoice.supplier_id is not None and order.supplier_id != invoice.supplier_id:
        findings.append(
            Finding(
                CheckCode.PO_OTHER_SUPPLIER,
                Severity.WARNING,
                field="po_reference",
                source=source,
                expected=order.supplier.name,
                found=invoice.supplier.name,
                params=params,
            )
        )
    if order.is_closed:
        findings.append(
            Finding(CheckCode.PO_CLOSED, Severity.WARNING, field="po_reference",
                    source=source, params=params)
        )  # fmt: skip
    if order.currency != invoice.currency:
        findings.append(
            Finding(
                CheckCode.PO_CURRENCY_MISMATCH,
                Severity.WARNING,
                field="currency",
                source=source,
                expected=order.currency,
                found=invoice.currency,
                params=params,
            )
        )
    elif invoice.signed_net_amount is not None:
        open_total = open_amount(order, excluding=invoice)
        excess_allowed = allowed_excess(
            open_total, MatchTolerance.current(), order.currency
        )
        findings.append(
            compare_with_order(
                invoice.signed_net_amount,
                open_total,
                excess_allowed,
                order_number=order.number,
            )
        )
    return findings


def _open_orders(invoice: PurchaseInvoice) -> list[Finding]:
    if invoice.supplier_id is None:
        return []
    orders = PurchaseOrder.objects.filter(
        supplier_id=invoice.supplier_id, is_closed=False
    )
    numbers = [
        order.number
        for order in orders.order_by("order_date", "pk")
        if open_amount(order) > 0
    ]
    if not numbers:
        return []
    return [
        Finding(
            CheckCode.PO_OPEN_ORDERS,
            Severity.INFO,
            field="po_reference",
            source=f"supplier {invoice.supplier_id}",
            params={"orders": ", ".join(numbers)},
        )
    ]
