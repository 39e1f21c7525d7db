"""Amounts on the review form: typed in either notation, shown plainly."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from fiat.payables.forms import AmountField, AmountInput


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1.234,56", Decimal("1234.56")),
        ("1,234.56", Decimal("1234.56")),
        ("€ 99,95", Decimal("99.95")),
        ("-12.50", Decimal("-12.50")),
    ],
)
def test_amount_read_in_either_notation(typed, amount):
    assert AmountField().clean(typed) == amount


@pytest.mark.parametrize(("language", "amount"), [("nl", "1250"), ("en", "1.25")])
def test_ambiguous_amount_follows_page_language(language, amount):
    with translation.override(language):
        assert AmountField().clean("1.250") == Decimal(amount)


def test_text_is_not_an_amount():
    with pytest.raises(ValidationError):
        AmountField().clean("twelve")


@pytest.mark.parametrize(
    ("value", "min_decimals", "shown"),
    [
        (Decimal("2500.0000"), 0, "2500"),
        (Decimal("1.5000"), 0, "1.5"),
        (Decimal("12.500000"), 2, "12.50"),
        (Decimal("0.125000"), 2, "0.125"),
        (Decimal("10"), 2, "10.00"),
    ],
)
def test_amount_shown_without_extra_zeros(value, min_decimals, shown):
    with translation.override("en"):
        assert AmountInput(min_decimals=min_decimals).format_value(value) == shown


def test_amount_shown_with_dutch_decimal_comma():
    with translation.override("nl"):
        assert AmountInput().format_value(Decimal("1234.50")) == "1234,50"
