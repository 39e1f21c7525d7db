"""Duplicate invoices: the same invoice received twice must be paid once.

An invoice is compared with the earlier invoices of the same supplier that
are not cancelled or rejected. The same normalised invoice number blocks the
later invoice (``fiat.payables.invoice_numbers``). When one of the two was
an e-invoice (UBL, CII, Factur-X) and the other a PDF or scan, the finding
reports it, because a supplier that sends both formats is the usual cause.
The same total and invoice date without the same number is only a warning,
because a supplier may bill the same amount twice in a day on purpose.

Only earlier invoices count, so of two duplicates only the later one is
blocked, and cancelling it unblocks nothing else.
"""

from collections.abc import Iterator

from django.db.models import QuerySet

from fiat.payables.findings import CheckCode, Finding, Severity
from fiat.payables.models import (
    EINVOICE_SOURCES,
    VOID_STATUSES,
    PurchaseInvoice,
)


def check_duplicates(invoice: PurchaseInvoice) -> list[Finding]:
    """Return a finding for each earlier invoice that may be the same one."""
    if invoice.supplier_id is None:
        return []
    earlier = _earlier_invoices(invoice)
    same_number = list(_same_number(invoice, earlier))
    reported = {int(finding.params["other_id"]) for finding in same_number}
    same_amount = _same_amount_and_date(invoice, earlier.exclude(pk__in=reported))
    return [*same_number, *same_amount]


def _earlier_invoices(invoice: PurchaseInvoice) -> QuerySet[PurchaseInvoice]:
    return (
        PurchaseInvoice.objects.filter(supplier_id=invoice.supplier_id)
        .filter(pk__lt=invoice.pk)
        .exclude(status__in=VOID_STATUSES)
        .order_by("pk")
    )


def _same_number(
    invoice: PurchaseInvoice, earlier: QuerySet[PurchaseInvoice]
) -> Iterator[Finding]:
    if not invoice.normalised_invoice_number:
        return
    matches = earlier.filter(
        normalised_invoice_number=invoice.normalised_invoice_number
    )
    for other in matches:
        other_format = _is_einvoice(invoice) != _is_einvoice(other)
        yield Finding(
            CheckCode.DUPLICATE_OTHER_FORMAT
            if other_format
            else CheckCode.DUPLICATE_NUMBER,
            Severity.BLOCKING,
            field="invoice_number",
            source=f"invoice {other.pk}",
            expected=other.invoice_number,
            found=invoice.invoice_number,
            params=_other_params(other),
        )


def _same_amount_and_date(
    invoice: PurchaseInvoice, earlier: QuerySet[PurchaseInvoice]
) -> Iterator[Finding]:
    if invoice.total_gross_amount is None or invoice.issue_date is None:
        return
    matches = earlier.filter(
        total_gross_amount=invoice.total_gross_amount,
        issue_date=invoice.issue_date,
        document_type=invoice.document_type,
        currency=invoice.currency,
    )
    for other in matches:
        yield Finding(
            CheckCode.POSSIBLE_DUPLICATE,
            Severity.WARNING,
            field="total_gross_amount",
            source=f"invoice {other.pk}",
            expected=other.invoice_number,
            found=format(invoice.total_gross_amount, "f"),
            params={**_other_params(other), "date": invoice.issue_date.isoformat()},
        )


def _is_einvoice(invoice: PurchaseInvoice) -> bool:
    return invoice.source in EINVOICE_SOURCES


def _other_params(other: PurchaseInvoice) -> dict[str, str]:
    # Status and source are stored as codes and translated when shown.
    return {
        "other": f"#{other.pk} {other.invoice_number}".strip(),
        "other_id": str(other.pk),
        "other_status": other.status,
        "other_source": other.source,
    }
