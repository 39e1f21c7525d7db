"""The list of booked purchase invoices waiting to be paid, by due date.

An invoice is ready for payment once it is booked. The amount to pay is the
amount due when the invoice states one (after a prepayment, say), else the
gross total. A credit note's amount is negative, because it reduces what the
supplier is paid.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from fiat.ledger.models import JournalEntry
from fiat.ledger.queries import bookings_by_source
from fiat.payables.booking import SOURCE_KIND
from fiat.payables.models import InvoiceDocumentType, InvoiceStatus, PurchaseInvoice


@dataclass(frozen=True)
class PaymentRow:
    invoice: PurchaseInvoice
    amount_to_pay: Decimal | None
    is_overdue: bool
    journal_entry: JournalEntry | None


@dataclass(frozen=True)
class CurrencyTotal:
    currency: str
    amount_to_pay: Decimal
    invoice_count: int
    overdue_count: int


def ready_invoices() -> QuerySet[PurchaseInvoice]:
    """Return the booked invoices, earliest due date first, undated last."""
    return (
        PurchaseInvoice.objects.filter(status=InvoiceStatus.BOOKED)
        .select_related("supplier")
        .order_by(F("due_date").asc(nulls_last=True), "issue_date", "pk")
    )


def payment_rows(invoices: list[PurchaseInvoice], today: date) -> list[PaymentRow]:
    """Return a row per invoice, with its journal entry and overdue flag."""
    entries = bookings_by_source(SOURCE_KIND, [invoice.pk for invoice in invoices])
    return [
        PaymentRow(
            invoice=invoice,
            amount_to_pay=amount_to_pay(invoice),
            is_overdue=invoice.due_date is not None and invoice.due_date < today,
            journal_entry=entries.get(str(invoice.pk)),
        )
        for invoice in invoices
    ]


def amount_to_pay(invoice: PurchaseInvoice) -> Decimal | None:
    amount = invoice.amount_due
    if amount is None:
        amount = invoice.total_gross_amount
    if amount is None:
        return None
    return -amount if invoice.is_credit_note else amount


def totals_by_currency(today: date) -> list[CurrencyTotal]:
    """Return the amount to pay and the counts of all ready invoices per currency."""
    amount = Coalesce("amount_due", "total_gross_amount", Value(Decimal("0")))
    is_credit_note = Q(document_type=InvoiceDocumentType.CREDIT_NOTE)
    rows = (
        PurchaseInvoice.objects.filter(status=InvoiceStatus.BOOKED)
        .values("currency")
        .annotate(
            invoiced=Sum(amount, filter=~is_credit_note, default=Decimal("0")),
            credited=Sum(amount, filter=is_credit_note, default=Decimal("0")),
            invoice_count=Count("pk"),
            overdue_count=Count("pk", filter=Q(due_date__lt=today)),
        )
        .order_by("currency")
    )
    return [
        CurrencyTotal(
            currency=row["currency"],
            amount_to_pay=row["invoiced"] - row["credited"],
            invoice_count=row["invoice_count"],
            overdue_count=row["overdue_count"],
        )
        for row in rows
    ]
