"""Normalised invoice numbers: one number written in different ways."""

import pytest

from fiat.payables.invoice_numbers import normalise_number


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("INV-00123", "INV123"),
        ("inv 123", "INV123"),
        ("INV/123", "INV123"),
        ("INV00123", "INV123"),
        ("  inv\u00a0123 ", "INV123"),
        ("2026-0012", "202612"),
        ("2026.12", "202612"),
        ("F\u20132026\u2013007", "F20267"),
        ("#000", "0"),
        ("", ""),
    ],
)
def test_number_normalised(written, normalised):
    assert normalise_number(written) == normalised


def test_different_numbers_stay_different():
    assert normalise_number("INV-123") != normalise_number("INV-1234")
