"""JSON endpoints for purchase invoices and purchase orders.

Reading needs a role in INVOICE_VIEWERS, creating a purchase order one in
INVOICE_EDITORS. A single invoice is 404 for a user without such a role.
``POST /purchase-orders`` is idempotent on the order number: sending an
order again returns the existing one with status 200 instead of 201,
whatever else the second request contains.
"""

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from fiat.core.api import require_role
from fiat.core.models import Party
from fiat.core.schemas import InvalidInputError, error_responses
from fiat.payables.check_messages import describe
from fiat.payables.findings import Severity
from fiat.payables.matching import open_amount, order_total
from fiat.payables.models import PurchaseInvoice, PurchaseOrder
from fiat.payables.orders import (
    OrderInput,
    OrderLineInput,
    create_purchase_order,
)
from fiat.payables.permissions import INVOICE_EDITORS, INVOICE_VIEWERS
from fiat.payables.schemas import (
    PurchaseInvoiceFilter,
    PurchaseInvoiceOut,
    PurchaseInvoicePage,
    PurchaseOrderFilter,
    PurchaseOrderIn,
    PurchaseOrderOut,
    PurchaseOrderPage,
)

router = Router(tags=["purchases"])


@router.get(
    "/purchase-invoices",
    response={200: PurchaseInvoicePage, **error_responses(401, 403, 422)},
)
def list_purchase_invoices(request, filters: Query[PurchaseInvoiceFilter]) -> dict:
    """List purchase invoices, oldest first, with their lines and checks."""
    require_role(request.auth, *INVOICE_VIEWERS)
    invoices = _invoices(filters)
    page = invoices[filters.offset : filters.offset + filters.limit]
    return {
        "items": [_invoice_out(invoice) for invoice in page],
        "count": invoices.count(),
    }


@router.get(
    "/purchase-invoices/{invoice_id}",
    response={200: PurchaseInvoiceOut, **error_responses(401, 404)},
)
def get_purchase_invoice(request, invoice_id: int) -> dict:
    """Return one purchase invoice with its lines and checks.

    A user whose roles do not cover purchase invoices gets 404, as for a
    missing id, so the response does not reveal which ids exist.
    """
    if not request.auth.has_role(*INVOICE_VIEWERS):
        raise Http404
    invoice = _invoices(PurchaseInvoiceFilter()).filter(pk=invoice_id).first()
    if invoice is None:
        raise Http404
    return _invoice_out(invoice)


def _invoices(filters: PurchaseInvoiceFilter) -> QuerySet[PurchaseInvoice]:
    invoices = (
        PurchaseInvoice.objects.select_related(
            "purchase_order", "ledger_account", "vat_code", "cost_centre", "project"
        )
        .prefetch_related("lines", "checks")
        .order_by("created_at", "pk")
    )
    if filters.status is not None:
        invoices = invoices.filter(status=filters.status)
    if filters.supplier_id is not None:
        invoices = invoices.filter(supplier_id=filters.supplier_id)
    return invoices


def _invoice_out(invoice: PurchaseInvoice) -> dict:
    checks = list(invoice.checks.all())
    return {
        **{name: getattr(invoice, name) for name in _INVOICE_FIELDS},
        "source": invoice.source or None,
        "purchase_order_number": _attribute(invoice.purchase_order, "number"),
        "ledger_account_code": _attribute(invoice.ledger_account, "code"),
        "vat_code": _attribute(invoice.vat_code, "code"),
        "cost_centre_code": _attribute(invoice.cost_centre, "code"),
        "project_code": _attribute(invoice.project, "code"),
        "blocking_count": sum(
            1 for check in checks if check.severity == Severity.BLOCKING
        ),
        "lines": list(invoice.lines.all()),
        "checks": [
            {**_check_fields(check), "message": describe(check)} for check in checks
        ],
    }


_INVOICE_FIELDS = (
    "id", "status", "document_type", "document_id", "supplier_id", "supplier_name",
    "supplier_vat_number", "invoice_number", "issue_date", "due_date", "currency",
    "total_net_amount", "total_vat_amount", "total_gross_amount", "amount_due",
    "iban", "payment_reference", "po_reference", "created_at", "submitted_at",
)  # fmt: skip


def _attribute(related: object | None, name: str) -> str | None:
    return None if related is None else getattr(related, name)


def _check_fields(check) -> dict:
    names = ("code", "severity", "field", "source", "expected", "found", "difference")
    return {name: getattr(check, name) for name in names}


@router.get(
    "/purchase-orders",
    response={200: PurchaseOrderPage, **error_responses(401, 403, 422)},
)
def list_purchase_orders(request, filters: Query[PurchaseOrderFilter]) -> dict:
    """List purchase orders, newest first, with their open amounts."""
    require_role(request.auth, *INVOICE_VIEWERS)
    orders = PurchaseOrder.objects.select_related("supplier").prefetch_related(
        Prefetch("lines")
    )
    if filters.supplier_id is not None:
        orders = orders.filter(supplier_id=filters.supplier_id)
    if filters.is_closed is not None:
        orders = orders.filter(is_closed=filters.is_closed)
    page = orders[filters.offset : filters.offset + filters.limit]
    return {"items": [_order_out(order) for order in page], "count": orders.count()}


@router.post(
    "/purchase-orders",
    response={
        200: PurchaseOrderOut,
        201: PurchaseOrderOut,
        **error_responses(401, 403, 422),
    },
)
def create_order(request, payload: PurchaseOrderIn) -> Status:
    """Create a purchase order with its lines; 200 when the number exists."""
    require_role(request.auth, *INVOICE_EDITORS)
    supplier = Party.objects.filter(pk=payload.supplier_id, is_supplier=True).first()
    if supplier is None:
        raise InvalidInputError(
            _("No supplier has id %(id)s.") % {"id": payload.supplier_id},
            field="supplier_id",
        )
    order_input = OrderInput(
        number=payload.number.strip(),
        supplier=supplier,
        order_date=payload.order_date,
        currency=payload.currency,
        description=payload.description,
        lines=[
            OrderLineInput(line.description, line.quantity, line.unit_price)
            for line in payload.lines
        ],
    )
    order, created = create_purchase_order(order_input, actor=request.auth)
    return Status(201 if created else 200, _order_out(order))


def _order_out(order: PurchaseOrder) -> dict:
    return {
        "id": order.pk,
        "number": order.number,
        "supplier_id": order.supplier_id,
        "supplier_name": order.supplier.name,
        "order_date": order.order_date,
        "currency": order.currency,
        "description": order.description,
        "is_closed": order.is_closed,
        "total_net_amount": order_total(order),
        "open_amount": open_amount(order),
        "created_at": order.created_at,
        "lines": list(order.lines.all()),
    }
