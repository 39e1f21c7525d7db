"""The summary of a purchase invoice that approvers read before deciding.

The approval page shows the invoice's data, its coding, the open warnings of
the last check run, the purchase-order match and how much of the cost
centre's budget is left this year. Budget spending counts the net amounts
(excluding VAT, which the company reclaims) of approved and booked invoices
on the cost centre dated this year, in company currency at each invoice
date's rate; a credit note counts negative. Every amount of a credit note is
shown negative, as in the invoice queue.
"""

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum

from fiat.core.dates import business_date
from fiat.core.exchange import MissingExchangeRateError, to_company_currency
from fiat.core.models import Budget
from fiat.core.money import round_money
from fiat.payables.check_messages import describe
from fiat.payables.findings import CheckCode, Severity
from fiat.payables.matching import invoiced_amount, order_total
from fiat.payables.models import InvoiceDocumentType, InvoiceStatus, PurchaseInvoice

logger = logging.getLogger(__name__)

ZERO = Decimal("0")
# Invoices whose amounts count as spent against a budget.
SPENT_STATUSES = (InvoiceStatus.APPROVED, InvoiceStatus.BOOKED)
PURCHASE_ORDER_CODES = frozenset(
    {
        CheckCode.PO_WITHIN_TOLERANCE,
        CheckCode.PO_OVER_TOLERANCE,
        CheckCode.PO_NOT_FOUND,
        CheckCode.PO_OTHER_SUPPLIER,
        CheckCode.PO_CURRENCY_MISMATCH,
        CheckCode.PO_CLOSED,
    }
)


@dataclass(frozen=True)
class ShownWarning:
    severity: str
    severity_label: str
    message: str


@dataclass(frozen=True)
class SummaryLine:
    """An invoice line as approvers read it: negative on a credit note."""

    description: str
    quantity: Decimal | None
    unit_price: Decimal | None
    net_amount: Decimal | None
    vat_rate: Decimal | None

    @property
    def unit_price_format(self) -> str:
        """Return the ``floatformat`` argument that shows the unit price's
        stored digits: 24.95 as 24.95 and 0.0125 as 0.0125, never fewer than 2."""
        if self.unit_price is None:
            return "2g"
        exponent = self.unit_price.normalize().as_tuple().exponent
        return f"{max(2, -exponent)}g"


@dataclass(frozen=True)
class OrderMatch:
    """The invoice against its purchase order, in the order's currency."""

    number: str
    currency: str
    order_total: Decimal
    # Net total of the order's other invoices, credit notes subtracted.
    invoiced_before: Decimal
    open_amount: Decimal
    # True when the invoice fits the open amount within the tolerance.
    within: bool
    messages: tuple[str, ...]


@dataclass(frozen=True)
class BudgetLeft:
    """A cost centre's budget for one year, in company currency."""

    cost_centre: str
    year: int
    currency: str
    amount: Decimal
    spent: Decimal
    left: Decimal
    this_invoice: Decimal | None
    left_after: Decimal | None
    # Invoices left out of ``spent`` for want of an exchange rate.
    unconverted: int


def approval_summary(invoice: PurchaseInvoice) -> dict:
    """Return the context of ``payables/approval_summary.html`` for ``invoice``."""
    company_currency = settings.FIAT_CURRENCY
    return {
        "invoice": invoice,
        "supplier_name": (
            invoice.supplier.name if invoice.supplier_id else invoice.supplier_name
        ),
        "company_currency": company_currency,
        "company_gross_amount": _in_company_currency(
            invoice, invoice.signed_gross_amount
        ),
        "foreign_currency": invoice.currency != company_currency,
        "lines": summary_lines(invoice),
        "warnings": open_warnings(invoice),
        "order_match": order_match(invoice),
        "budget": budget_left(invoice),
    }


def summary_lines(invoice: PurchaseInvoice) -> list[SummaryLine]:
    """Return the invoice's lines with the sign of the summary's totals."""
    sign = -1 if invoice.is_credit_note else 1
    return [
        SummaryLine(
            description=line.description,
            quantity=line.quantity,
            unit_price=None if line.unit_price is None else sign * line.unit_price,
            net_amount=None if line.net_amount is None else sign * line.net_amount,
            vat_rate=line.vat_rate,
        )
        for line in invoice.lines.all()
    ]


def _in_company_currency(
    invoice: PurchaseInvoice, amount: Decimal | None
) -> Decimal | None:
    if amount is None:
        return None
    try:
        return to_company_currency(
            amount, invoice.currency, invoice.issue_date or business_date()
        )
    except MissingExchangeRateError:
        return None


def open_warnings(invoice: PurchaseInvoice) -> list[ShownWarning]:
    """Return the blocking and warning findings of the last check, worst first."""
    order = {Severity.BLOCKING: 0, Severity.WARNING: 1}
    checks = [
        check
        for check in invoice.checks.all()
        if check.severity in order and check.code not in PURCHASE_ORDER_CODES
    ]
    checks.sort(key=lambda check: (order[check.severity], check.pk))
    return [
        ShownWarning(check.severity, str(check.get_severity_display()), describe(check))
        for check in checks
    ]


def order_match(invoice: PurchaseInvoice) -> OrderMatch | None:
    """Return the invoice's match with its purchase order, or None without one."""
    order = invoice.purchase_order
    if order is None:
        return None
    checks = [
        check for check in invoice.checks.all() if check.code in PURCHASE_ORDER_CODES
    ]
    total = order_total(order)
    invoiced = invoiced_amount(order, excluding=invoice)
    return OrderMatch(
        number=order.number,
        currency=order.currency,
        order_total=total,
        invoiced_before=invoiced,
        open_amount=total - invoiced,
        within=all(check.code == CheckCode.PO_WITHIN_TOLERANCE for check in checks),
        messages=tuple(describe(check) for check in checks),
    )


def budget_left(invoice: PurchaseInvoice, year: int | None = None) -> BudgetLeft | None:
    """Return the budget left on the invoice's cost centre, or None without one.

    ``year`` defaults to the current business year.
    """
    if invoice.cost_centre_id is None:
        return None
    year = year or business_date().year
    try:
        budget = Budget.objects.select_related("cost_centre").get(
            cost_centre_id=invoice.cost_centre_id, year=year
        )
    except Budget.DoesNotExist:
        return None
    currency = settings.FIAT_CURRENCY
    spent, unconverted = spent_on_cost_centre(invoice.cost_centre_id, year)
    left = budget.amount - spent
    this_invoice = _in_company_currency(invoice, invoice.signed_net_amount)
    return BudgetLeft(
        cost_centre=str(budget.cost_centre),
        year=year,
        currency=currency,
        amount=budget.amount,
        spent=spent,
        left=left,
        this_invoice=this_invoice,
        left_after=None if this_invoice is None else left - this_invoice,
        unconverted=unconverted,
    )


def spent_on_cost_centre(cost_centre_id: int, year: int) -> tuple[Decimal, int]:
    """Return the approved and booked net spending in company currency, and
    how many invoices were left out for want of an exchange rate."""
    currency = settings.FIAT_CURRENCY
    invoices = PurchaseInvoice.objects.filter(
        cost_centre_id=cost_centre_id,
        status__in=SPENT_STATUSES,
        issue_date__year=year,
        total_net_amount__isnull=False,
    )
    spent = ZERO
    # Invoices in company currency are summed by the database.
    for document_type, total in (
        invoices.filter(currency=currency)
        .values_list("document_type")
        .annotate(total=Sum("total_net_amount"))
    ):
        sign = -1 if document_type == InvoiceDocumentType.CREDIT_NOTE else 1
        spent += sign * total
    unconverted = 0
    for foreign in invoices.exclude(currency=currency).only(
        "currency", "issue_date", "total_net_amount", "document_type"
    ):
        try:
            spent += to_company_currency(
                foreign.signed_net_amount, foreign.currency, foreign.issue_date
            )
        except MissingExchangeRateError:
            unconverted += 1
            logger.warning(
                "Invoice %s is left out of the budget of cost centre %s: no "
                "exchange rate for %s",
                foreign.pk,
                cost_centre_id,
                foreign.currency,
            )
    return round_money(spent, currency), unconverted
