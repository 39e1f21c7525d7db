"""The sales invoice endpoints of the JSON API.

``POST /sales-invoices`` takes the same content as the "deal won" webhook
and creates the invoice: released at once, or awaiting review when a rule
of the approval policy matches. ``event_id`` makes the call idempotent: a
retry with the same id returns the invoice made the first time, with
status 200 instead of 201.
"""

from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from fiat.approvals.errors import ApprovalError
from fiat.core.api import require_role
from fiat.core.exchange import MissingExchangeRateError
from fiat.core.schemas import InvalidInputError, NotFoundError, error_responses
from fiat.receivables.booking import BookingError
from fiat.receivables.deal_events import (
    InvalidEventError,
    parse_deal_event,
    receive_deal_event,
)
from fiat.receivables.models import InvoiceStatus, SalesInvoice, TriggerSource
from fiat.receivables.permissions import SALES_EDITORS, SALES_VIEWERS

router = Router(tags=["sales invoices"])

InvoiceStatusOut = StrEnum(
    "InvoiceStatusOut", {status.name: status.value for status in InvoiceStatus}
)


class CustomerIn(Schema):
    name: str
    vat_number: str = ""
    coc_number: str = ""
    email: str = ""
    street: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = Field("", description="ISO 3166 code; empty for NL.")
    language: str = Field("", description="nl or en; empty for nl.")


class LineIn(Schema):
    description: str = ""
    product: str = Field("", description="A product code, instead of price and VAT.")
    quantity: Decimal = Decimal(1)
    unit_price: Decimal | None = None
    vat_rate: Decimal | None = None
    discount_percent: Decimal = Decimal(0)


class InvoiceIn(Schema):
    event_id: str = Field(description="The idempotency key of this invoice.")
    reference: str = ""
    project: str = Field("", description="A project code.")
    currency: str = ""
    prices_include_vat: bool = False
    customer: CustomerIn | None = None
    lines: list[LineIn]


class InvoiceOut(Schema):
    id: int
    number: str
    status: InvoiceStatusOut
    customer: str
    currency: str
    total_net_amount: str
    total_vat_amount: str
    payable_amount: str
    payment_reference: str

    @staticmethod
    def from_invoice(invoice: SalesInvoice) -> "InvoiceOut":
        return InvoiceOut(
            id=invoice.pk,
            number=invoice.number,
            status=invoice.status,
            customer=invoice.customer.name,
            currency=invoice.currency,
            total_net_amount=format(invoice.total_net_amount, "f"),
            total_vat_amount=format(invoice.total_vat_amount, "f"),
            payable_amount=format(invoice.payable_amount, "f"),
            payment_reference=invoice.payment_reference,
        )


@router.post(
    "/sales-invoices",
    response={200: InvoiceOut, 201: InvoiceOut, **error_responses(401, 403, 422)},
)
def create_sales_invoice(request, data: InvoiceIn) -> Status:
    """Create a sales invoice; a repeated ``event_id`` returns the first one."""
    require_role(request.auth, *SALES_EDITORS)
    payload = _event_payload(data)
    try:
        event = parse_deal_event(payload)
    except InvalidEventError as error:
        raise InvalidInputError(" ".join(error.problems)) from error
    try:
        record, created = receive_deal_event(event, payload, TriggerSource.API)
    except (ApprovalError, MissingExchangeRateError, BookingError) as error:
        raise InvalidInputError(str(error)) from error
    return Status(201 if created else 200, InvoiceOut.from_invoice(record.invoice))


def _event_payload(data: InvoiceIn) -> dict:
    payload = data.model_dump(mode="json", exclude_none=True)
    payload["type"] = (
        "project.ready_to_invoice" if data.customer is None else "deal.won"
    )
    payload["project"] = data.project or None
    for line in payload["lines"]:
        if not line.get("product"):
            line.pop("product", None)
    return payload


@router.get(
    "/sales-invoices/{invoice_id}",
    response={200: InvoiceOut, **error_responses(401, 403, 404)},
)
def get_sales_invoice(request, invoice_id: int) -> InvoiceOut:
    """Return a sales invoice with its status and amounts."""
    require_role(request.auth, *SALES_VIEWERS)
    invoice = SalesInvoice.objects.select_related("customer").filter(pk=invoice_id)
    if not invoice.exists():
        raise NotFoundError(_("No sales invoice has id %(id)s.") % {"id": invoice_id})
    return InvoiceOut.from_invoice(invoice.get())
