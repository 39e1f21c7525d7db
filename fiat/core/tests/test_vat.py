"""Tests for EN 16931 VAT breakdowns, line net amounts and gross splits."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fiat.core.money import currency_exponent, round_money
from fiat.core.vat import (
    InvalidVatCategoryError,
    InvalidVatRateError,
    UnroundedAmountError,
    VatCategory,
    VatError,
    VatLine,
    compute_vat,
    line_net_amount,
    split_gross,
)


def test_vat_of_one_line_rounds_half_up():
    lines = [VatLine(Decimal("97.50"), VatCategory.STANDARD_RATE, Decimal("19"))]

    totals = compute_vat(lines, "EUR")

    assert totals.total_vat_amount == Decimal("18.53")
    assert totals.total_gross_amount == Decimal("116.03")


def test_vat_is_rounded_once_per_category():
    lines = [VatLine(Decimal("241.67"), "S", Decimal("20"))] * 50

    totals = compute_vat(lines, "EUR")

    assert totals.total_net_amount == Decimal("12083.50")
    assert totals.total_vat_amount == Decimal("2416.70")
    assert totals.total_gross_amount == Decimal("14500.20")


def test_vat_of_quantity_lines():
    net_amount = line_net_amount(2, Decimal("348.11"), "EUR")
    lines = [VatLine(net_amount, "S", Decimal("25"))] * 3

    totals = compute_vat(lines, "EUR")

    assert net_amount == Decimal("696.22")
    assert totals.breakdown[0].base_amount == Decimal("2088.66")
    assert totals.breakdown[0].vat_amount == Decimal("522.17")
    assert totals.total_gross_amount == Decimal("2610.83")


def test_vat_in_yen_has_no_decimals():
    lines = [VatLine(1127, "S", 10)]

    totals = compute_vat(lines, "JPY")

    assert str(totals.total_vat_amount) == "113"
    assert str(totals.total_gross_amount) == "1240"


def test_vat_totals_have_currency_decimals():
    lines = [VatLine(10, "S", 21)]

    totals = compute_vat(lines, "EUR")

    assert str(totals.total_net_amount) == "10.00"
    assert str(totals.total_vat_amount) == "2.10"
    assert str(totals.total_gross_amount) == "12.10"


def test_vat_breakdown_groups_by_category_and_rate():
    lines = [
        VatLine(Decimal("100.00"), "S", Decimal("9")),
        VatLine(Decimal("3.00"), "O"),
        VatLine(Decimal("10.00"), "S", Decimal("21.00")),
        VatLine(Decimal("50.00"), "AE", Decimal("0")),
        VatLine(Decimal("2.50"), "S", Decimal("21")),
        VatLine(Decimal("1.00"), "E", 0),
    ]

    totals = compute_vat(lines, "EUR")

    assert [group.category for group in totals.breakdown] == [
        VatCategory.STANDARD_RATE,
        VatCategory.STANDARD_RATE,
        VatCategory.EXEMPT,
        VatCategory.REVERSE_CHARGE,
        VatCategory.NOT_SUBJECT_TO_VAT,
    ]
    assert [group.rate for group in totals.breakdown] == [
        Decimal("21"),
        Decimal("9"),
        Decimal("0"),
        Decimal("0"),
        None,
    ]
    assert [group.base_amount for group in totals.breakdown] == [
        Decimal("12.50"),
        Decimal("100.00"),
        Decimal("1.00"),
        Decimal("50.00"),
        Decimal("3.00"),
    ]
    assert [group.vat_amount for group in totals.breakdown] == [
        Decimal("2.63"),
        Decimal("9.00"),
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("0.00"),
    ]
    assert totals.total_net_amount == Decimal("166.50")
    assert totals.total_vat_amount == Decimal("11.63")
    assert totals.total_gross_amount == Decimal("178.13")


def test_vat_credit_lines_lower_the_base():
    lines = [VatLine("100.00", "S", 21), VatLine("-40.00", "S", 21)]

    totals = compute_vat(lines, "EUR")

    assert totals.total_net_amount == Decimal("60.00")
    assert totals.total_vat_amount == Decimal("12.60")


def test_vat_of_no_lines_is_zero():
    totals = compute_vat([], "EUR")

    assert totals.breakdown == ()
    assert str(totals.total_gross_amount) == "0.00"


def test_vat_rejects_unrounded_line_amount():
    lines = [VatLine(Decimal("10.005"), "S", 21)]

    with pytest.raises(UnroundedAmountError) as raised:
        compute_vat(lines, "EUR")

    assert raised.value.amount == Decimal("10.005")
    assert "round_money" in str(raised.value)


def test_vat_line_converts_text_input():
    line = VatLine("12.50", "S", "21.00")

    assert line.net_amount == Decimal("12.50")
    assert line.category is VatCategory.STANDARD_RATE
    assert str(line.rate) == "21"


def test_vat_line_keeps_fractional_rate():
    line = VatLine("12.50", "S", "5.50")

    assert str(line.rate) == "5.5"


@pytest.mark.parametrize("category", ["Z", "E", "AE", "K", "G"])
def test_vat_line_zero_rate_category_rejects_rate(category):
    with pytest.raises(InvalidVatRateError) as raised:
        VatLine(Decimal("10.00"), category, Decimal("21"))

    assert raised.value.category == VatCategory(category)


@pytest.mark.parametrize("category", ["Z", "E", "AE", "K", "G"])
def test_vat_line_zero_rate_category_accepts_zero(category):
    line = VatLine(Decimal("10.00"), category, Decimal("0.00"))

    assert line.rate == Decimal("0")


@pytest.mark.parametrize("rate", [None, 0, Decimal("0.00")])
def test_vat_line_not_subject_has_no_rate(rate):
    line = VatLine(Decimal("10.00"), "O", rate)

    assert line.rate is None


def test_vat_line_not_subject_rejects_rate():
    with pytest.raises(InvalidVatRateError, match="NOT_SUBJECT_TO_VAT"):
        VatLine(Decimal("10.00"), "O", Decimal("9"))


@pytest.mark.parametrize("rate", [None, 0, -21])
def test_vat_line_standard_rate_needs_positive_rate(rate):
    with pytest.raises(InvalidVatRateError):
        VatLine(Decimal("10.00"), "S", rate)


@pytest.mark.parametrize("category", ["L", "M"])
def test_vat_line_canary_and_ceuta_reject_negative(category):
    with pytest.raises(InvalidVatRateError):
        VatLine(Decimal("10.00"), category, Decimal("-1"))


@pytest.mark.parametrize("category", ["X", "s", "", None])
def test_vat_line_rejects_unknown_category(category):
    with pytest.raises(InvalidVatCategoryError) as raised:
        VatLine(Decimal("10.00"), category, Decimal("21"))

    assert raised.value.value == category


def test_vat_line_rejects_float_amount():
    with pytest.raises(TypeError):
        VatLine(10.5, "S", Decimal("21"))


@pytest.mark.parametrize(
    ("quantity", "unit_price", "currency", "extra", "expected"),
    [
        (2, Decimal("348.11"), "EUR", {}, "696.22"),
        (Decimal("1.5"), Decimal("33.333"), "EUR", {}, "50.00"),
        (3, Decimal("19.99"), "EUR", {"allowance": Decimal("5.00")}, "54.97"),
        (3, Decimal("19.99"), "EUR", {"charge": Decimal("2.50")}, "62.47"),
        (-1, Decimal("80.00"), "EUR", {}, "-80.00"),
        (3, Decimal("333.3"), "JPY", {}, "1000"),
        ("0.333", "10", "EUR", {}, "3.33"),
    ],
)
def test_line_net_amount_rounds_once(quantity, unit_price, currency, extra, expected):
    net_amount = line_net_amount(quantity, unit_price, currency, **extra)

    assert str(net_amount) == expected


@pytest.mark.parametrize("field", ["allowance", "charge"])
def test_line_net_amount_rejects_negative_adjustment(field):
    with pytest.raises(VatError, match=field):
        line_net_amount(1, Decimal("10.00"), "EUR", **{field: Decimal("-1.00")})


def test_split_gross_returns_rounding_amount():
    split = split_gross(Decimal("79.20"), Decimal("19"), "EUR")

    assert split.net_amount == Decimal("66.55")
    assert split.vat_amount == Decimal("12.64")
    assert split.rounding_amount == Decimal("0.01")


@pytest.mark.parametrize(
    ("gross", "rate", "currency", "net", "vat", "rounding"),
    [
        ("121.00", "21", "EUR", "100.00", "21.00", "0.00"),
        ("10.00", "0", "EUR", "10.00", "0.00", "0.00"),
        ("-121.00", "21", "EUR", "-100.00", "-21.00", "0.00"),
        ("1100", "10", "JPY", "1000", "100", "0"),
        ("9.99", "9", "EUR", "9.17", "0.83", "-0.01"),
    ],
)
def test_split_gross_table(gross, rate, currency, net, vat, rounding):
    split = split_gross(gross, rate, currency)

    assert str(split.net_amount) == net
    assert str(split.vat_amount) == vat
    assert str(split.rounding_amount) == rounding


def test_split_gross_rejects_negative_rate():
    with pytest.raises(VatError, match="negative"):
        split_gross(Decimal("10.00"), Decimal("-1"), "EUR")


def test_split_gross_rejects_unrounded_gross():
    with pytest.raises(UnroundedAmountError):
        split_gross(Decimal("10.001"), Decimal("21"), "EUR")


@st.composite
def invoices(draw):
    """Draw a currency and VAT lines whose amounts fit its minor unit."""
    currency = draw(st.sampled_from(["EUR", "JPY", "KWD"]))
    places = currency_exponent(currency)
    amounts = st.decimals(
        min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=places
    )
    rates = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100), places=2)
    lines = draw(
        st.lists(st.builds(VatLine, amounts, st.just("S"), rates), max_size=30)
    )
    return currency, lines


@given(invoices())
def test_vat_gross_is_net_plus_vat(invoice):
    currency, lines = invoice

    totals = compute_vat(lines, currency)

    assert (
        totals.total_gross_amount == totals.total_net_amount + totals.total_vat_amount
    )


@given(invoices())
def test_vat_per_group_within_half_minor_unit(invoice):
    currency, lines = invoice
    half_minor_unit = Decimal(1).scaleb(-currency_exponent(currency)) / 2

    totals = compute_vat(lines, currency)

    for group in totals.breakdown:
        exact_vat = group.base_amount * group.rate / 100
        assert abs(group.vat_amount - exact_vat) <= half_minor_unit


@given(invoices())
def test_vat_net_is_sum_of_lines(invoice):
    currency, lines = invoice

    totals = compute_vat(lines, currency)

    expected = round_money(
        sum((line.net_amount for line in lines), Decimal(0)), currency
    )
    assert totals.total_net_amount == expected


@given(
    st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2),
    st.decimals(min_value=Decimal(0), max_value=Decimal(100), places=2),
)
def test_split_gross_parts_add_up(gross, rate):
    split = split_gross(gross, rate, "EUR")

    assert split.net_amount + split.vat_amount + split.rounding_amount == gross
    assert abs(split.rounding_amount) <= Decimal("0.01")
