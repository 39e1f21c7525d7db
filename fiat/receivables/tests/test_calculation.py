"""Invoice amounts by EN 16931, with the awkward cases from public reports."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fiat.core.vat import VatCategory
from fiat.receivables.calculation import (
    ChargeInput,
    InvoiceAmountError,
    LineInput,
    compute_invoice_amounts,
    format_amount_for_xml,
)

STANDARD = VatCategory.STANDARD_RATE


def test_gross_price_79_20_at_19_percent():
    line = LineInput(Decimal(1), Decimal("79.20"), STANDARD, Decimal(19))

    amounts = compute_invoice_amounts([line], "EUR", prices_include_vat=True)

    assert amounts.total_net_amount == Decimal("66.55")
    assert amounts.total_vat_amount == Decimal("12.64")
    assert amounts.total_gross_amount == Decimal("79.19")
    assert amounts.rounding_amount == Decimal("0.01")
    assert amounts.payable_amount == Decimal("79.20")
    assert amounts.lines[0].net_unit_price == Decimal("66.55")


def test_freight_charge_joins_tax_basis():
    line = LineInput(Decimal(1), Decimal("135.27"), STANDARD, Decimal(19))
    freight = ChargeInput(Decimal("5.99"), STANDARD, Decimal(19), reason="Freight")

    amounts = compute_invoice_amounts([line], "EUR", charges=[freight])

    assert amounts.line_total_amount == Decimal("135.27")
    assert amounts.charge_total_amount == Decimal("5.99")
    assert amounts.vat.breakdown[0].base_amount == Decimal("141.26")
    assert amounts.total_net_amount == Decimal("141.26")
    assert amounts.total_vat_amount == Decimal("26.84")
    assert amounts.total_gross_amount == Decimal("168.10")
    assert amounts.payable_amount == Decimal("168.10")


def test_freight_amounts_written_with_two_decimals():
    line = LineInput(Decimal(1), Decimal("135.27"), STANDARD, Decimal(19))
    freight = ChargeInput(Decimal("5.99"), STANDARD, Decimal(19))

    amounts = compute_invoice_amounts([line], "EUR", charges=[freight])

    written = [
        format_amount_for_xml(value, "EUR")
        for value in (
            amounts.total_net_amount,
            amounts.total_vat_amount,
            amounts.total_gross_amount,
            amounts.payable_amount,
            amounts.rounding_amount,
        )
    ]
    assert written == ["141.26", "26.84", "168.10", "168.10", "0.00"]


def test_return_as_credit_note_is_positive():
    line = LineInput(Decimal(2), Decimal("7.50"), STANDARD, Decimal(19))

    amounts = compute_invoice_amounts([line], "EUR")

    assert amounts.lines[0].quantity == Decimal(2)
    assert amounts.lines[0].net_unit_price == Decimal("7.50")
    assert amounts.lines[0].net_amount == Decimal("15.00")
    assert amounts.total_vat_amount == Decimal("2.85")
    assert amounts.payable_amount == Decimal("17.85")


def test_return_as_corrective_invoice_is_negative():
    line = LineInput(Decimal(-2), Decimal("7.50"), STANDARD, Decimal(19))

    amounts = compute_invoice_amounts([line], "EUR")

    assert amounts.lines[0].quantity == Decimal(-2)
    assert amounts.lines[0].net_unit_price == Decimal("7.50")
    assert amounts.lines[0].net_amount == Decimal("-15.00")
    assert amounts.total_vat_amount == Decimal("-2.85")
    assert amounts.payable_amount == Decimal("-17.85")


def test_negative_price_rejected():
    with pytest.raises(InvoiceAmountError, match="never negative"):
        LineInput(Decimal(2), Decimal("-7.50"), STANDARD, Decimal(19))


def test_discount_is_line_allowance():
    line = LineInput(
        Decimal(3), Decimal("33.33"), STANDARD, Decimal(21),
        discount_percent=Decimal(10),
    )  # fmt: skip

    amounts = compute_invoice_amounts([line], "EUR")

    # 3 x 33.33 = 99.99, 10 % of it is 9.999, rounded 10.00.
    assert amounts.lines[0].allowance_amount == Decimal("10.00")
    assert amounts.lines[0].net_amount == Decimal("89.99")
    assert amounts.total_vat_amount == Decimal("18.90")


def test_discount_on_negative_line_lowers_credit():
    line = LineInput(
        Decimal(-1), Decimal("100.00"), STANDARD, Decimal(21),
        discount_percent=Decimal(10),
    )  # fmt: skip

    amounts = compute_invoice_amounts([line], "EUR")

    assert amounts.lines[0].net_amount == Decimal("-90.00")


def test_document_allowance_lowers_base():
    line = LineInput(Decimal(1), Decimal("200.00"), STANDARD, Decimal(21))
    allowance = ChargeInput(Decimal("20.00"), STANDARD, Decimal(21), is_charge=False)

    amounts = compute_invoice_amounts([line], "EUR", charges=[allowance])

    assert amounts.allowance_total_amount == Decimal("20.00")
    assert amounts.total_net_amount == Decimal("180.00")
    assert amounts.total_vat_amount == Decimal("37.80")


def test_several_rates_are_separate_groups():
    lines = [
        LineInput(Decimal(1), Decimal("100.00"), STANDARD, Decimal(21)),
        LineInput(Decimal(1), Decimal("50.00"), STANDARD, Decimal(9)),
        LineInput(Decimal(1), Decimal("10.00"), VatCategory.ZERO_RATED, Decimal(0)),
    ]

    amounts = compute_invoice_amounts(lines, "EUR")

    groups = [
        (g.category, g.rate, g.base_amount, g.vat_amount) for g in amounts.vat.breakdown
    ]
    assert groups == [
        (STANDARD, Decimal(21), Decimal("100.00"), Decimal("21.00")),
        (STANDARD, Decimal(9), Decimal("50.00"), Decimal("4.50")),
        (VatCategory.ZERO_RATED, Decimal(0), Decimal("10.00"), Decimal("0.00")),
    ]
    assert amounts.payable_amount == Decimal("185.50")


def test_gross_prices_with_quantity_keep_quoted_total():
    line = LineInput(Decimal(10), Decimal("79.20"), STANDARD, Decimal(19))

    amounts = compute_invoice_amounts([line], "EUR", prices_include_vat=True)

    # Net unit price 66.55, line 665.50, VAT 126.45, total 791.95.
    assert amounts.total_net_amount == Decimal("665.50")
    assert amounts.total_vat_amount == Decimal("126.45")
    assert amounts.rounding_amount == Decimal("0.05")
    assert amounts.payable_amount == Decimal("792.00")


def test_zero_decimal_currency():
    line = LineInput(Decimal(3), Decimal("1234"), STANDARD, Decimal(10))

    amounts = compute_invoice_amounts([line], "JPY")

    assert amounts.total_vat_amount == Decimal("370")
    assert amounts.payable_amount == Decimal("4072")


@given(
    quantities=st.lists(
        st.integers(min_value=-50, max_value=50), min_size=1, max_size=8
    ),
    cents=st.lists(st.integers(min_value=0, max_value=100_000), min_size=8, max_size=8),
)
def test_totals_add_up(quantities, cents):
    lines = [
        LineInput(Decimal(quantity), Decimal(price) / 100, STANDARD, Decimal(21))
        for quantity, price in zip(quantities, cents, strict=False)
    ]

    amounts = compute_invoice_amounts(lines, "EUR")

    line_sum = sum((line.net_amount for line in amounts.lines), Decimal(0))
    assert amounts.total_net_amount == line_sum
    assert amounts.payable_amount == amounts.total_net_amount + amounts.total_vat_amount


@given(cents=st.integers(min_value=1, max_value=10_000_000))
def test_gross_price_always_payable_as_quoted(cents):
    gross = Decimal(cents) / 100
    line = LineInput(Decimal(1), gross, STANDARD, Decimal(21))

    amounts = compute_invoice_amounts([line], "EUR", prices_include_vat=True)

    assert amounts.payable_amount == gross
    assert abs(amounts.rounding_amount) <= Decimal("0.01")
