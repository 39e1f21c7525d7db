"""Models of the payables app: invoices, purchase orders, IBAN changes."""

from fiat.payables.models.amounts import AMOUNT_DECIMALS, AMOUNT_DIGITS, amount_field
from fiat.payables.models.iban_change_requests import (
    IBAN_CHANGE_TRANSITIONS,
    OPEN_IBAN_CHANGE_STATUSES,
    IbanChangeRequest,
    IbanChangeStatus,
)
from fiat.payables.models.invoices import (
    EDITABLE_STATUSES,
    EINVOICE_SOURCES,
    INVOICE_TRANSITIONS,
    SEVERITY_CHOICES,
    VOID_STATUSES,
    InvoiceCheck,
    InvoiceDocumentType,
    InvoiceStatus,
    PurchaseInvoice,
    PurchaseInvoiceLine,
    PurchaseInvoiceVatSubtotal,
    ReadSource,
)
from fiat.payables.models.purchase_orders import (
    MatchTolerance,
    PurchaseOrder,
    PurchaseOrderLine,
)

__all__ = [
    "AMOUNT_DECIMALS",
    "AMOUNT_DIGITS",
    "EDITABLE_STATUSES",
    "EINVOICE_SOURCES",
    "IBAN_CHANGE_TRANSITIONS",
    "INVOICE_TRANSITIONS",
    "OPEN_IBAN_CHANGE_STATUSES",
    "SEVERITY_CHOICES",
    "VOID_STATUSES",
    "IbanChangeRequest",
    "IbanChangeStatus",
    "InvoiceCheck",
    "InvoiceDocumentType",
    "InvoiceStatus",
    "MatchTolerance",
    "PurchaseInvoice",
    "PurchaseInvoiceLine",
    "PurchaseInvoiceVatSubtotal",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "ReadSource",
    "amount_field",
]
