"""Tests for money conversion, ISO 4217 rounding and amount parsing."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fiat.core.money import (
    AmbiguousAmountError,
    AmountError,
    InvalidAmountError,
    InvalidCurrencyError,
    currency_exponent,
    parse_amount,
    round_money,
    to_decimal,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("12.50"), Decimal("12.50")),
        (7, Decimal("7")),
        ("1234.56", Decimal("1234.56")),
        ("-0.01", Decimal("-0.01")),
        ("+3", Decimal("3")),
    ],
)
def test_to_decimal_accepts_machine_input(value, expected):
    amount = to_decimal(value)

    assert amount == expected


def test_to_decimal_rejects_float():
    with pytest.raises(TypeError, match="float"):
        to_decimal(0.1)


@pytest.mark.parametrize("value", [True, False])
def test_to_decimal_rejects_bool(value):
    with pytest.raises(TypeError, match="bool"):
        to_decimal(value)


@pytest.mark.parametrize(
    "text", ["1,5", "1.234,56", "NaN", "Infinity", "1e3", "", " 12", "12."]
)
def test_to_decimal_rejects_human_text(text):
    with pytest.raises(InvalidAmountError) as raised:
        to_decimal(text)

    assert raised.value.text == text


def test_to_decimal_rejects_decimal_nan():
    with pytest.raises(InvalidAmountError, match="finite"):
        to_decimal(Decimal("NaN"))


@pytest.mark.parametrize(
    ("currency_code", "expected"),
    [
        ("EUR", 2),
        ("USD", 2),
        ("JPY", 0),
        ("KRW", 0),
        ("ISK", 0),
        ("XOF", 0),
        ("BHD", 3),
        ("KWD", 3),
        ("TND", 3),
        ("CLF", 4),
    ],
)
def test_currency_exponent_follows_iso_4217(currency_code, expected):
    exponent = currency_exponent(currency_code)

    assert exponent == expected


@pytest.mark.parametrize("currency_code", ["eur", "EURO", "EU", "", "E1R", None])
def test_currency_exponent_rejects_malformed_code(currency_code):
    with pytest.raises(InvalidCurrencyError) as raised:
        currency_exponent(currency_code)

    assert raised.value.currency_code == currency_code


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("0.125", "EUR", "0.13"),
        ("0.124", "EUR", "0.12"),
        ("-0.125", "EUR", "-0.13"),
        ("18.525", "EUR", "18.53"),
        ("112.7", "JPY", "113"),
        ("2.5", "JPY", "3"),
        ("1.2345", "KWD", "1.235"),
        (10, "EUR", "10.00"),
        (Decimal("7.1"), "EUR", "7.10"),
    ],
)
def test_round_money_half_up_to_minor_unit(amount, currency, expected):
    rounded = round_money(amount, currency)

    assert str(rounded) == expected


def test_round_money_rejects_float():
    with pytest.raises(TypeError):
        round_money(0.125, "EUR")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234,56", Decimal("1234.56")),
        ("1,234.56", Decimal("1234.56")),
        ("1 234,56", Decimal("1234.56")),
        ("1\u00a0234,56", Decimal("1234.56")),
        ("1\u202f234,56", Decimal("1234.56")),
        ("€ -3.374,27", Decimal("-3374.27")),
        ("120,00-", Decimal("-120.00")),
        ("(120.00)", Decimal("-120.00")),
    ],
)
def test_parse_amount_reads_grouping_and_signs(text, expected):
    amount = parse_amount(text)

    assert amount == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234", Decimal("1234")),
        ("12,5", Decimal("12.5")),
        ("0,99", Decimal("0.99")),
        ("+12,50", Decimal("12.50")),
        ("1'234.56", Decimal("1234.56")),
        ("1\u2019234.56", Decimal("1234.56")),
        ("1.234.567", Decimal("1234567")),
        ("1,234,567.891", Decimal("1234567.891")),
        ("0,355", Decimal("0.355")),
        ("1 234.567", Decimal("1234.567")),
        ("1234,567", Decimal("1234.567")),
        ("\u22125,00", Decimal("-5.00")),
    ],
)
def test_parse_amount_reads_plain_numbers(text, expected):
    amount = parse_amount(text)

    assert amount == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("€ 12,50", Decimal("12.50")),
        ("€12,50", Decimal("12.50")),
        ("12,50 €", Decimal("12.50")),
        ("EUR 1.234,56", Decimal("1234.56")),
        ("1.234,56 EUR", Decimal("1234.56")),
        ("$1,234.56", Decimal("1234.56")),
        ("USD -1,234.56", Decimal("-1234.56")),
        ("-$1,234.56", Decimal("-1234.56")),
        ("£ 99.99", Decimal("99.99")),
        ("CHF 1'234.50", Decimal("1234.50")),
        ("(€ 120,00)", Decimal("-120.00")),
        ("€ (120,00)", Decimal("-120.00")),
        ("120,00- EUR", Decimal("-120.00")),
    ],
)
def test_parse_amount_strips_currency(text, expected):
    amount = parse_amount(text)

    assert amount == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("120,00-", "-120.00"), ("1.234,50", "1234.50"), ("7", "7"), ("0,10", "0.10")],
)
def test_parse_amount_keeps_written_decimals(text, expected):
    amount = parse_amount(text)

    assert str(amount) == expected


def test_parse_amount_negative_zero_is_zero():
    amount = parse_amount("-0,00")

    assert str(amount) == "0.00"


@pytest.mark.parametrize("text", ["1.355", "1,355", "€ 1.355", "-1,355"])
def test_parse_amount_ambiguous_separator_raises(text):
    with pytest.raises(AmbiguousAmountError) as raised:
        parse_amount(text)

    assert raised.value.text == text
    assert text in str(raised.value)
    assert "decimal_separator" in str(raised.value)


def test_ambiguous_amount_error_is_amount_error():
    with pytest.raises(AmountError):
        parse_amount("1.355")


@pytest.mark.parametrize(
    ("text", "decimal_separator", "expected"),
    [
        ("1.355", ",", Decimal("1355")),
        ("1.355", ".", Decimal("1.355")),
        ("1,355", ",", Decimal("1.355")),
        ("1,355", ".", Decimal("1355")),
        ("1.234,56", ",", Decimal("1234.56")),
        ("1,234.56", ".", Decimal("1234.56")),
    ],
)
def test_parse_amount_decimal_separator_resolves(text, decimal_separator, expected):
    amount = parse_amount(text, decimal_separator=decimal_separator)

    assert amount == expected


@pytest.mark.parametrize(
    ("text", "decimal_separator"),
    [("1,234.56", ","), ("1.234,56", "."), ("1,5", "."), ("0.355", ",")],
)
def test_parse_amount_rejects_other_separator(text, decimal_separator):
    with pytest.raises(InvalidAmountError) as raised:
        parse_amount(text, decimal_separator=decimal_separator)

    assert raised.value.text == text


@pytest.mark.parametrize(
    "text",
    [
        "12,34,5",
        "abc",
        "",
        "   ",
        "€",
        "-",
        "1.2.3,4,5",
        "--5",
        "-5-",
        "-(5)",
        "(120.00",
        "12,",
        ",5",
        "1..5",
        "1,23,456.78",
        "1.234 567,89",
        "0.123.456",
        "5 € EUR",
        "12abc",
        "5+",
    ],
)
def test_parse_amount_rejects_invalid_text(text):
    with pytest.raises(InvalidAmountError) as raised:
        parse_amount(text)

    assert raised.value.text == text
    assert repr(text) in str(raised.value)


def test_parse_amount_rejects_unknown_decimal_separator():
    with pytest.raises(ValueError, match="decimal_separator"):
        parse_amount("1,5", decimal_separator=";")


def test_parse_amount_rejects_non_text():
    with pytest.raises(TypeError):
        parse_amount(Decimal("1.5"))


amounts_with_thousands = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2
).filter(lambda amount: abs(amount) >= 1000)


def _english_style(amount: Decimal) -> str:
    return format(amount, ",.2f")


def _dutch_style(amount: Decimal) -> str:
    return _english_style(amount).translate(str.maketrans(",.", ".,"))


@given(amounts_with_thousands)
def test_parse_amount_reads_dutch_style(amount):
    text = _dutch_style(amount)

    parsed = parse_amount(text)

    assert parsed == amount


@given(amounts_with_thousands)
def test_parse_amount_reads_english_style(amount):
    text = _english_style(amount)

    parsed = parse_amount(text)

    assert parsed == amount


@given(amounts_with_thousands)
def test_parse_amount_reads_no_break_space_style(amount):
    text = _dutch_style(amount).replace(".", "\u00a0")

    parsed = parse_amount(text)

    assert parsed == amount
