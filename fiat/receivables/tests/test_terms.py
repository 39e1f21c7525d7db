"""Due dates from payment terms."""

from datetime import date

import pytest

from fiat.receivables.terms import PaymentTermKind, compute_due_date


@pytest.mark.parametrize(
    ("issue_date", "expected_due_date"),
    [
        (date(2020, 6, 11), date(2020, 7, 31)),
        (date(2025, 2, 10), date(2025, 3, 31)),
        (date(2024, 1, 31), date(2024, 2, 29)),
        (date(2025, 11, 30), date(2025, 12, 31)),
        (date(2025, 12, 1), date(2026, 1, 31)),
    ],
)
def test_end_of_next_month(issue_date, expected_due_date):
    due_date = compute_due_date(issue_date, PaymentTermKind.END_OF_NEXT_MONTH)

    assert due_date == expected_due_date


def test_end_of_next_month_ignores_days():
    due_date = compute_due_date(date(2020, 6, 11), "end_of_next_month", 14)

    assert due_date == date(2020, 7, 31)


def test_end_of_month():
    assert compute_due_date(date(2025, 2, 10), "end_of_month") == date(2025, 2, 28)


def test_net_days_crosses_year():
    due_date = compute_due_date(date(2025, 12, 20), PaymentTermKind.NET_DAYS, 30)

    assert due_date == date(2026, 1, 19)


def test_negative_days_rejected():
    with pytest.raises(ValueError, match="-1 days"):
        compute_due_date(date(2025, 1, 1), PaymentTermKind.NET_DAYS, -1)
