"""Creating purchase orders, from the API, the CSV import or the admin.

Creation is idempotent on the order number, compared in normalised form
(``fiat.payables.invoice_numbers``): "PO-0042" sent again as "po 42" returns
the existing order unchanged. A line's net amount is always quantity times
unit price, rounded to the currency's minor unit, so an order cannot
disagree with itself.
"""

import logging
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction

from fiat.audit.services import record_event
from fiat.core.models import Party, User
from fiat.core.money import round_money
from fiat.payables.invoice_numbers import normalise_number
from fiat.payables.models import PurchaseOrder, PurchaseOrderLine

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class OrderLineInput:
    description: str
    quantity: Decimal
    unit_price: Decimal


@dataclass(frozen=True)
class OrderInput:
    number: str
    supplier: Party
    order_date: date
    currency: str
    description: str = ""
    lines: list[OrderLineInput] = field(default_factory=list)


def find_existing_order(number: str) -> PurchaseOrder | None:
    return PurchaseOrder.objects.filter(
        normalised_number=normalise_number(number)
    ).first()


def line_net_amount(line: OrderLineInput, currency: str) -> Decimal:
    return round_money(line.quantity * line.unit_price, currency)


def create_purchase_order(
    order_input: OrderInput, *, actor: User | None
) -> tuple[PurchaseOrder, bool]:
    """Create the order with its lines, or return the one with its number.

    Return the order and whether it was created now.
    """
    existing = find_existing_order(order_input.number)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            order = _create(order_input, actor)
    except IntegrityError:
        # Another request created the same order since the lookup above.
        existing = find_existing_order(order_input.number)
        if existing is None:
            raise
        return existing, False
    logger.info(
        "Purchase order %s created for supplier %s",
        order.number,
        order.supplier_id,
        extra={"purchase_order_id": order.pk, "supplier_id": order.supplier_id},
    )
    return order, True


def _create(order_input: OrderInput, actor: User | None) -> PurchaseOrder:
    order = PurchaseOrder.objects.create(
        number=order_input.number,
        supplier=order_input.supplier,
        order_date=order_input.order_date,
        currency=order_input.currency,
        description=order_input.description,
        created_by=actor,
    )
    lines = PurchaseOrderLine.objects.bulk_create(
        PurchaseOrderLine(
            order=order,
            position=position,
            description=line.description,
            quantity=line.quantity,
            unit_price=line.unit_price,
            net_amount=line_net_amount(line, order.currency),
        )
        for position, line in enumerate(order_input.lines, start=1)
    )
    record_event(
        order,
        "purchase_order.created",
        actor=actor,
        amounts={
            "total_net_amount": sum((line.net_amount for line in lines), Decimal(0)),
            "currency": order.currency,
        },
        data={
            "number": order.number,
            "supplier": order.supplier_id,
            "lines": len(lines),
        },
    )
    return order
