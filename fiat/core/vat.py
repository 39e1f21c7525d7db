"""VAT totals of an invoice, computed by the rules of EN 16931.

EN 16931 (the European standard for e-invoices) groups the invoice lines by
VAT category code (UNCL5305) and rate. For each group, the VAT breakdown
(BG-23) gives the taxable amount (BT-116), the sum of the line net amounts,
and the VAT amount (BT-117), that sum times the rate, rounded once. Rounding
each line's VAT instead would let the total drift by up to half a minor unit
per line, and the invoice would fail rule BR-CO-17, which requires each
category's VAT to equal its taxable amount times its rate.

All amounts are Decimal and all rounding goes through ``round_money``.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from fiat.core.money import MoneyInput, round_money, to_decimal

_HUNDRED = Decimal(100)


class VatCategory(StrEnum):
    """VAT category code from UNCL5305 allowed in EN 16931 (BT-151, BT-118)."""

    STANDARD_RATE = "S"
    ZERO_RATED = "Z"
    EXEMPT = "E"
    REVERSE_CHARGE = "AE"
    INTRA_COMMUNITY_SUPPLY = "K"
    EXPORT_OUTSIDE_EU = "G"
    NOT_SUBJECT_TO_VAT = "O"
    CANARY_ISLANDS_IGIC = "L"
    CEUTA_MELILLA_IPSI = "M"


# EN 16931 business rules BR-Z-05, BR-E-05, BR-AE-05, BR-IC-05 and BR-G-05
# require a rate of 0 in these categories.
_ZERO_RATE_CATEGORIES = frozenset(
    {
        VatCategory.ZERO_RATED,
        VatCategory.EXEMPT,
        VatCategory.REVERSE_CHARGE,
        VatCategory.INTRA_COMMUNITY_SUPPLY,
        VatCategory.EXPORT_OUTSIDE_EU,
    }
)
# Breakdown order: the category's position in VatCategory, then rate.
_CATEGORY_POSITIONS = {category: index for index, category in enumerate(VatCategory)}


class VatError(ValueError):
    """Input that the VAT calculation rejects."""


class InvalidVatCategoryError(VatError):
    """A VAT category code that is not in VatCategory."""

    def __init__(self, value: object) -> None:
        codes = ", ".join(category.value for category in VatCategory)
        super().__init__(
            f"Invalid VAT category code {value!r}: expected one of {codes}."
        )
        self.value = value


class InvalidVatRateError(VatError):
    """A VAT rate that the category does not allow."""

    def __init__(self, category: VatCategory, rate: object, rule: str) -> None:
        super().__init__(
            f"Invalid VAT rate {rate!r} for category {category.value} "
            f"({category.name}): {rule}"
        )
        self.category = category
        self.rate = rate


class UnroundedAmountError(VatError):
    """An amount with more decimals than its currency's minor unit allows."""

    def __init__(self, amount: Decimal, currency: str, field: str) -> None:
        super().__init__(
            f"The {field} {amount} has more decimals than {currency} allows. "
            "Round it with round_money first."
        )
        self.amount = amount
        self.currency = currency
        self.field = field


@dataclass(frozen=True)
class VatLine:
    """An invoice line net amount (BT-131) with its VAT category and rate.

    ``rate`` is a percentage ("21" for 21 %). Category O (not subject to VAT)
    has no rate, so a rate of 0 there is stored as None. The constructor
    converts amount, category and rate. It raises InvalidVatCategoryError
    for an unknown code and InvalidVatRateError for a rate that the category
    does not allow.
    """

    net_amount: Decimal
    category: VatCategory
    rate: Decimal | None = None

    def __post_init__(self) -> None:
        category = _to_category(self.category)
        object.__setattr__(self, "net_amount", to_decimal(self.net_amount))
        object.__setattr__(self, "category", category)
        object.__setattr__(self, "rate", _check_rate(category, self.rate))


@dataclass(frozen=True)
class VatBreakdown:
    """One VAT breakdown group (BG-23) with its taxable and VAT amount."""

    category: VatCategory
    rate: Decimal | None
    base_amount: Decimal
    vat_amount: Decimal


@dataclass(frozen=True)
class VatTotals:
    """VAT breakdown and document totals of an invoice.

    ``total_net_amount`` is the total without VAT (BT-109),
    ``total_vat_amount`` the VAT total (BT-110) and ``total_gross_amount``
    the total with VAT (BT-112).
    """

    currency: str
    breakdown: tuple[VatBreakdown, ...]
    total_net_amount: Decimal
    total_vat_amount: Decimal
    total_gross_amount: Decimal


class GrossSplit(NamedTuple):
    """Net amount and VAT of a price that includes VAT.

    ``rounding_amount`` (BT-114) is gross - (net + VAT), which makes the
    rounded parts add up to the gross amount again.
    """

    net_amount: Decimal
    vat_amount: Decimal
    rounding_amount: Decimal


def compute_vat(lines: Iterable[VatLine], currency: str) -> VatTotals:
    """Compute the VAT breakdown and totals of invoice lines in ``currency``.

    Each group's VAT is its taxable amount times the rate, rounded once,
    half up. Groups are ordered as VatCategory lists the categories, and by
    rate from highest to lowest within a category. Each line net amount must
    already be rounded to the currency (UnroundedAmountError otherwise).

    NOTE: document level allowances and charges (BG-20, BG-21) also count in
    the taxable amount, so pass them as lines with a negative or positive net
    amount.
    """
    taxable_amounts: dict[tuple[VatCategory, Decimal | None], Decimal] = {}
    for line in lines:
        _require_rounded(line.net_amount, currency, "line net amount")
        key = (line.category, line.rate)
        taxable_amounts[key] = taxable_amounts.get(key, Decimal(0)) + line.net_amount
    breakdown = tuple(
        _compute_group(category, rate, base_amount, currency)
        for (category, rate), base_amount in sorted(
            taxable_amounts.items(), key=_breakdown_sort_key
        )
    )
    return _sum_totals(breakdown, currency)


def line_net_amount(
    quantity: MoneyInput,
    unit_price: MoneyInput,
    currency: str,
    *,
    allowance: MoneyInput = 0,
    charge: MoneyInput = 0,
) -> Decimal:
    """Compute an invoice line net amount (BT-131), rounded once, half up.

    The net amount is quantity (BT-129) times the net unit price (BT-146),
    minus the line allowance (BT-136), plus the line charge (BT-141).
    Allowance and charge are amounts and must not be negative. A negative
    quantity gives a negative net amount, as on a credit line.

    NOTE: ``unit_price`` is the price of one unit. Divide a price given per
    base quantity (BT-149, such as a price per 100 pieces) before calling.
    """
    allowance_amount = _to_non_negative(allowance, "allowance")
    charge_amount = _to_non_negative(charge, "charge")
    gross_line = to_decimal(quantity) * to_decimal(unit_price)
    return round_money(gross_line - allowance_amount + charge_amount, currency)


def split_gross(
    gross_amount: MoneyInput, rate: MoneyInput, currency: str
) -> GrossSplit:
    """Split a price that includes VAT at ``rate`` percent into net and VAT.

    The net amount is gross / (1 + rate / 100), rounded. The VAT is net times
    rate / 100, rounded, so it matches what ``compute_vat`` computes for the
    net amount. For rates up to 100 % their sum can miss the gross amount by
    up to one minor unit, and the difference is returned as
    ``rounding_amount``.
    """
    gross = to_decimal(gross_amount)
    _require_rounded(gross, currency, "gross amount")
    percent = to_decimal(rate)
    if percent < 0:
        raise VatError(f"Invalid VAT rate {percent}: a rate must not be negative.")
    net_amount = round_money(gross / (1 + percent / _HUNDRED), currency)
    vat_amount = round_money(net_amount * percent / _HUNDRED, currency)
    rounding_amount = round_money(gross - net_amount - vat_amount, currency)
    return GrossSplit(net_amount, vat_amount, rounding_amount)


def _to_category(value: object) -> VatCategory:
    try:
        return VatCategory(value)
    except ValueError as error:
        raise InvalidVatCategoryError(value) from error


def _check_rate(category: VatCategory, rate: MoneyInput | None) -> Decimal | None:
    """Return the rate in canonical form or raise InvalidVatRateError."""
    if rate is None:
        if category is VatCategory.NOT_SUBJECT_TO_VAT:
            return None
        raise InvalidVatRateError(category, rate, "this category needs a rate.")
    percent = to_decimal(rate)
    if category is VatCategory.NOT_SUBJECT_TO_VAT:
        if percent != 0:
            raise InvalidVatRateError(category, rate, "pass no rate or 0.")
        return None
    if category in _ZERO_RATE_CATEGORIES and percent != 0:
        raise InvalidVatRateError(category, rate, "the rate must be 0.")
    if category is VatCategory.STANDARD_RATE and percent <= 0:
        raise InvalidVatRateError(category, rate, "the rate must be greater than 0.")
    if percent < 0:
        raise InvalidVatRateError(category, rate, "the rate must not be negative.")
    return _canonical_rate(percent)


def _canonical_rate(percent: Decimal) -> Decimal:
    """Drop trailing zeros so that "21.00" and "21" print the same."""
    if percent == percent.to_integral_value():
        return percent.quantize(Decimal(1))
    return percent.normalize()


def _require_rounded(amount: Decimal, currency: str, field: str) -> None:
    if round_money(amount, currency) != amount:
        raise UnroundedAmountError(amount, currency, field)


def _to_non_negative(value: MoneyInput, field: str) -> Decimal:
    amount = to_decimal(value)
    if amount < 0:
        raise VatError(
            f"Invalid {field} {amount}: it must not be negative. Use an allowance "
            "to lower the line net amount and a charge to raise it."
        )
    return amount


def _breakdown_sort_key(
    item: tuple[tuple[VatCategory, Decimal | None], Decimal],
) -> tuple[int, Decimal]:
    (category, rate), _ = item
    return _CATEGORY_POSITIONS[category], -(rate or Decimal(0))


def _compute_group(
    category: VatCategory, rate: Decimal | None, base_amount: Decimal, currency: str
) -> VatBreakdown:
    vat_amount = base_amount * (rate or Decimal(0)) / _HUNDRED
    return VatBreakdown(
        category=category,
        rate=rate,
        base_amount=round_money(base_amount, currency),
        vat_amount=round_money(vat_amount, currency),
    )


def _sum_totals(breakdown: tuple[VatBreakdown, ...], currency: str) -> VatTotals:
    # The group amounts are already rounded, so round_money only sets the
    # currency's number of decimals on the sums.
    total_net_amount = round_money(
        sum((group.base_amount for group in breakdown), Decimal(0)), currency
    )
    total_vat_amount = round_money(
        sum((group.vat_amount for group in breakdown), Decimal(0)), currency
    )
    return VatTotals(
        currency=currency,
        breakdown=breakdown,
        total_net_amount=total_net_amount,
        total_vat_amount=total_vat_amount,
        total_gross_amount=total_net_amount + total_vat_amount,
    )
