"""Payment terms: when a sales invoice falls due.

Two kinds of term are in use with Dutch customers: a number of days after
the invoice date ("30 dagen netto"), and the end of the month that follows
the invoice month ("einde volgende maand"), where an invoice dated 11 June
falls due on 31 July whatever its day in June.
"""

import calendar
from datetime import date, timedelta
from enum import StrEnum


class PaymentTermKind(StrEnum):
    """How the due date is counted from the invoice date."""

    NET_DAYS = "net_days"
    END_OF_MONTH = "end_of_month"
    END_OF_NEXT_MONTH = "end_of_next_month"


def end_of_month(year: int, month: int) -> date:
    """Return the last day of ``month`` in ``year``."""
    return date(year, month, calendar.monthrange(year, month)[1])


def compute_due_date(issue_date: date, kind: PaymentTermKind, days: int = 0) -> date:
    """Return the due date of an invoice dated ``issue_date``.

    ``days`` counts only for NET_DAYS. END_OF_MONTH is the last day of the
    invoice month and END_OF_NEXT_MONTH the last day of the month after it.
    """
    kind = PaymentTermKind(kind)
    if kind is PaymentTermKind.NET_DAYS:
        if days < 0:
            raise ValueError(f"Invalid payment term of {days} days: use 0 or more.")
        return issue_date + timedelta(days=days)
    if kind is PaymentTermKind.END_OF_MONTH:
        return end_of_month(issue_date.year, issue_date.month)
    # Months counted from year 0, zero-based, so that December rolls over.
    year, month_index = divmod(issue_date.year * 12 + issue_date.month, 12)
    return end_of_month(year, month_index + 1)
