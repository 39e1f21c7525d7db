"""Schemas of the purchase invoice and purchase order endpoints.

Amounts are decimal strings and statuses enums, as everywhere in the API
(see ``fiat.core.schemas``).
"""

from datetime import date, datetime

from ninja import Field, Schema

from fiat.core.schemas import DecimalString
from fiat.payables.findings import CheckCode, Severity
from fiat.payables.models import InvoiceDocumentType, InvoiceStatus, ReadSource


class InvoiceCheckOut(Schema):
    code: CheckCode
    severity: Severity
    message: str
    field: str = Field(description="The invoice field it is about, or empty.")
    source: str = Field(description="What the invoice was compared with.")
    expected: str
    found: str
    difference: DecimalString | None


class InvoiceLineOut(Schema):
    position: int
    description: str
    quantity: DecimalString | None
    unit_price: DecimalString | None
    net_amount: DecimalString | None
    vat_rate: DecimalString | None


class PurchaseInvoiceOut(Schema):
    id: int
    status: InvoiceStatus
    document_type: InvoiceDocumentType = Field(
        description="A credit note has positive amounts too."
    )
    source: ReadSource | None
    document_id: int
    supplier_id: int | None
    supplier_name: str
    supplier_vat_number: str
    invoice_number: str
    issue_date: date | None
    due_date: date | None
    currency: str
    total_net_amount: DecimalString | None
    total_vat_amount: DecimalString | None
    total_gross_amount: DecimalString | None
    amount_due: DecimalString | None
    iban: str
    payment_reference: str
    po_reference: str
    purchase_order_number: str | None
    ledger_account_code: str | None
    vat_code: str | None
    cost_centre_code: str | None
    project_code: str | None
    blocking_count: int
    created_at: datetime
    submitted_at: datetime | None
    lines: list[InvoiceLineOut]
    checks: list[InvoiceCheckOut]


class PurchaseInvoicePage(Schema):
    items: list[PurchaseInvoiceOut]
    count: int = Field(description="The number of matches over all pages.")


class PurchaseInvoiceFilter(Schema):
    status: InvoiceStatus | None = None
    supplier_id: int | None = None
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class OrderLineIn(Schema):
    description: str = Field(min_length=1, max_length=500)
    quantity: DecimalString
    unit_price: DecimalString = Field(description="Excluding VAT.")


class PurchaseOrderIn(Schema):
    number: str = Field(
        min_length=1,
        max_length=100,
        description="Unique; sending an existing number returns that order.",
    )
    supplier_id: int
    order_date: date
    currency: str = Field("EUR", pattern=r"^[A-Z]{3}$")
    description: str = Field("", max_length=500)
    lines: list[OrderLineIn] = Field(min_length=1)


class OrderLineOut(Schema):
    position: int
    description: str
    quantity: DecimalString
    unit_price: DecimalString
    net_amount: DecimalString


class PurchaseOrderOut(Schema):
    id: int
    number: str
    supplier_id: int
    supplier_name: str
    order_date: date
    currency: str
    description: str
    is_closed: bool
    total_net_amount: DecimalString
    open_amount: DecimalString = Field(
        description="Order total minus the net totals of matched invoices."
    )
    created_at: datetime
    lines: list[OrderLineOut]


class PurchaseOrderPage(Schema):
    items: list[PurchaseOrderOut]
    count: int


class PurchaseOrderFilter(Schema):
    supplier_id: int | None = None
    is_closed: bool | None = None
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)
