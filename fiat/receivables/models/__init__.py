"""Models of sales invoicing: products, customer settings, invoices, lines."""

from fiat.receivables.models.branding import InvoiceBranding
from fiat.receivables.models.customers import CustomerSettings, EInvoiceProfile
from fiat.receivables.models.invoices import (
    EDITABLE_STATUSES,
    INVOICE_TRANSITIONS,
    LOCKED_STATUSES,
    OPEN_STATUSES,
    DocumentType,
    InvoiceCharge,
    InvoiceStatus,
    LockedInvoiceError,
    MailingStatus,
    SalesInvoice,
    SalesInvoiceAttachment,
    SalesInvoiceLine,
    SalesInvoiceMail,
    VatTreatment,
)
from fiat.receivables.models.products import Product
from fiat.receivables.models.triggers import TriggerEvent, TriggerSource

__all__ = [
    "EDITABLE_STATUSES",
    "INVOICE_TRANSITIONS",
    "LOCKED_STATUSES",
    "OPEN_STATUSES",
    "CustomerSettings",
    "DocumentType",
    "EInvoiceProfile",
    "InvoiceBranding",
    "InvoiceCharge",
    "InvoiceStatus",
    "LockedInvoiceError",
    "MailingStatus",
    "Product",
    "SalesInvoice",
    "SalesInvoiceAttachment",
    "SalesInvoiceLine",
    "SalesInvoiceMail",
    "TriggerEvent",
    "TriggerSource",
    "VatTreatment",
]
