"""Read models of sales invoices for pages, lists and the approval page."""

from django.conf import settings
from django.db.models import QuerySet

from fiat.receivables.approval import is_new_customer, max_discount_percent
from fiat.receivables.models import MailingStatus, SalesInvoice, SalesInvoiceMail


def invoice_summary(invoice: SalesInvoice) -> dict:
    """Return what the approval page shows of a sales invoice.

    It includes the facts that the review rules test (new customer, highest
    discount, foreign currency), so the approver can tell why the invoice
    needs review.
    """
    return {
        "invoice": invoice,
        "lines": list(invoice.lines.select_related("vat_code")),
        "new_customer": is_new_customer(invoice),
        "max_discount": max_discount_percent(invoice),
        "foreign_currency": invoice.currency != settings.FIAT_CURRENCY,
    }


def invoice_list(status: str = "") -> QuerySet[SalesInvoice]:
    invoices = SalesInvoice.objects.select_related("customer").order_by(
        "-created_at", "-pk"
    )
    if status:
        invoices = invoices.filter(status=status)
    return invoices


def failed_mailings() -> QuerySet[SalesInvoiceMail]:
    """Return the failed requests whose invoice has not been sent since."""
    return (
        SalesInvoiceMail.objects.filter(
            status=MailingStatus.FAILED, invoice__send_error__gt=""
        )
        .select_related("invoice", "invoice__customer")
        .order_by("-finished_at")
    )
