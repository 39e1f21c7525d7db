"""Amounts of a sales invoice: line net amounts, VAT breakdown and totals.

The figures follow EN 16931. Each line net amount (BT-131) is quantity times
net unit price (BT-146) less the line discount (BT-136), rounded once.
Document level allowances (BG-20) and charges (BG-21), such as freight,
count in the taxable amount of their VAT category. The VAT of each category
is computed on the category's taxable amount and rounded once
(``fiat.core.vat.compute_vat``).

Prices can be entered including VAT. EN 16931 has no gross prices, so each
gross unit price becomes a net unit price (rounded to the currency), and
the invoice then is a net invoice like any other. The customer still pays
the sum of the gross line amounts they were quoted: the difference between
that and the computed total with VAT goes into the rounding amount (BT-114),
usually a cent or two. A gross price of 79.20 at 19 % gives a net amount of
66.55, VAT of 12.64, a rounding amount of 0.01 and 79.20 to pay.

A credit note carries positive quantities and amounts; a corrective invoice
carries a negative quantity with a positive price. Prices are never
negative.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from fiat.core.money import MoneyInput, round_money, to_decimal
from fiat.core.vat import VatCategory, VatLine, VatTotals, compute_vat, split_gross

_HUNDRED = Decimal(100)
_ZERO = Decimal(0)


class InvoiceAmountError(ValueError):
    """Line or charge input that no valid invoice can contain."""


@dataclass(frozen=True)
class LineInput:
    """One invoice line as entered: unit price net or gross, discount in %."""

    quantity: Decimal
    unit_price: Decimal
    category: VatCategory
    rate: Decimal | None
    discount_percent: Decimal = _ZERO

    def __post_init__(self) -> None:
        for field in ("quantity", "unit_price", "discount_percent"):
            object.__setattr__(self, field, to_decimal(getattr(self, field)))
        if self.unit_price < 0:
            raise InvoiceAmountError(
                f"Invalid unit price {self.unit_price}: a price is never negative. "
                "Enter a negative quantity to correct an earlier invoice."
            )
        if not _ZERO <= self.discount_percent <= _HUNDRED:
            raise InvoiceAmountError(
                f"Invalid discount of {self.discount_percent} %: use 0 to 100."
            )


@dataclass(frozen=True)
class ChargeInput:
    """A document level charge (freight) or allowance (discount) amount.

    ``amount`` is positive for both; ``is_charge`` says which it is.
    """

    amount: Decimal
    category: VatCategory
    rate: Decimal | None
    is_charge: bool = True
    reason: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", to_decimal(self.amount))
        if self.amount < 0:
            raise InvoiceAmountError(
                f"Invalid {self.kind} amount {self.amount}: it must not be "
                "negative. Use an allowance to lower the total."
            )

    @property
    def kind(self) -> str:
        return "charge" if self.is_charge else "allowance"


@dataclass(frozen=True)
class LineAmounts:
    """The EN 16931 amounts of one line."""

    quantity: Decimal
    net_unit_price: Decimal  # BT-146
    allowance_amount: Decimal  # BT-136, the discount
    net_amount: Decimal  # BT-131
    gross_amount: Decimal  # what the customer was quoted, for gross prices
    category: VatCategory
    rate: Decimal | None


@dataclass(frozen=True)
class ChargeAmounts:
    """The net amount of a document level allowance or charge."""

    net_amount: Decimal
    gross_amount: Decimal
    category: VatCategory
    rate: Decimal | None
    is_charge: bool
    reason: str


@dataclass(frozen=True)
class InvoiceAmounts:
    """Every amount an invoice prints, in its currency."""

    currency: str
    lines: tuple[LineAmounts, ...]
    charges: tuple[ChargeAmounts, ...]
    vat: VatTotals
    line_total_amount: Decimal  # BT-106
    allowance_total_amount: Decimal  # BT-107
    charge_total_amount: Decimal  # BT-108
    rounding_amount: Decimal  # BT-114
    payable_amount: Decimal  # BT-115

    @property
    def total_net_amount(self) -> Decimal:
        return self.vat.total_net_amount

    @property
    def total_vat_amount(self) -> Decimal:
        return self.vat.total_vat_amount

    @property
    def total_gross_amount(self) -> Decimal:
        return self.vat.total_gross_amount


def compute_invoice_amounts(
    lines: Sequence[LineInput],
    currency: str,
    *,
    prices_include_vat: bool = False,
    charges: Sequence[ChargeInput] = (),
) -> InvoiceAmounts:
    """Compute line amounts, VAT and totals of an invoice in ``currency``.

    With ``prices_include_vat`` every unit price and charge amount includes
    VAT at its line's rate, and the payable amount is the sum of the gross
    amounts as quoted.
    """
    line_amounts = tuple(
        _line_amounts(line, currency, prices_include_vat=prices_include_vat)
        for line in lines
    )
    charge_amounts = tuple(
        _charge_amounts(charge, currency, prices_include_vat=prices_include_vat)
        for charge in charges
    )
    vat = compute_vat(_vat_lines(line_amounts, charge_amounts), currency)
    line_total = _sum((line.net_amount for line in line_amounts), currency)
    allowance_total = _sum(
        (c.net_amount for c in charge_amounts if not c.is_charge), currency
    )
    charge_total = _sum((c.net_amount for c in charge_amounts if c.is_charge), currency)
    rounding_amount = round_money(_ZERO, currency)
    if prices_include_vat:
        quoted_total = _quoted_gross_total(line_amounts, charge_amounts, currency)
        rounding_amount = round_money(quoted_total - vat.total_gross_amount, currency)
    return InvoiceAmounts(
        currency=currency,
        lines=line_amounts,
        charges=charge_amounts,
        vat=vat,
        line_total_amount=line_total,
        allowance_total_amount=allowance_total,
        charge_total_amount=charge_total,
        rounding_amount=rounding_amount,
        payable_amount=vat.total_gross_amount + rounding_amount,
    )


def _line_amounts(
    line: LineInput, currency: str, *, prices_include_vat: bool
) -> LineAmounts:
    if prices_include_vat:
        net_unit_price = split_gross(
            round_money(line.unit_price, currency), line.rate or _ZERO, currency
        ).net_amount
        gross_before_discount = line.quantity * line.unit_price
        gross_amount = round_money(
            gross_before_discount * (1 - line.discount_percent / _HUNDRED), currency
        )
    else:
        net_unit_price = line.unit_price
        gross_amount = _ZERO
    before_discount = line.quantity * net_unit_price
    allowance_amount = round_money(
        abs(before_discount) * line.discount_percent / _HUNDRED, currency
    )
    # A discount lowers the amount owed, also on a negative (corrective) line.
    signed_allowance = allowance_amount if before_discount >= 0 else -allowance_amount
    net_amount = round_money(before_discount - signed_allowance, currency)
    return LineAmounts(
        quantity=line.quantity,
        net_unit_price=net_unit_price,
        allowance_amount=allowance_amount,
        net_amount=net_amount,
        gross_amount=gross_amount,
        category=line.category,
        rate=line.rate,
    )


def _charge_amounts(
    charge: ChargeInput, currency: str, *, prices_include_vat: bool
) -> ChargeAmounts:
    amount = round_money(charge.amount, currency)
    if prices_include_vat:
        net_amount = split_gross(amount, charge.rate or _ZERO, currency).net_amount
        gross_amount = amount
    else:
        net_amount, gross_amount = amount, _ZERO
    return ChargeAmounts(
        net_amount=net_amount,
        gross_amount=gross_amount,
        category=charge.category,
        rate=charge.rate,
        is_charge=charge.is_charge,
        reason=charge.reason,
    )


def _vat_lines(
    lines: Sequence[LineAmounts], charges: Sequence[ChargeAmounts]
) -> list[VatLine]:
    vat_lines = [VatLine(line.net_amount, line.category, line.rate) for line in lines]
    for charge in charges:
        signed = charge.net_amount if charge.is_charge else -charge.net_amount
        vat_lines.append(VatLine(signed, charge.category, charge.rate))
    return vat_lines


def _quoted_gross_total(
    lines: Sequence[LineAmounts], charges: Sequence[ChargeAmounts], currency: str
) -> Decimal:
    total = sum((line.gross_amount for line in lines), _ZERO)
    for charge in charges:
        total += charge.gross_amount if charge.is_charge else -charge.gross_amount
    return round_money(total, currency)


def _sum(amounts, currency: str) -> Decimal:
    return round_money(sum(amounts, _ZERO), currency)


def format_amount_for_xml(amount: MoneyInput, currency: str) -> str:
    """Return an amount as e-invoices write it: "168.10", never "168.1"."""
    return str(round_money(amount, currency))
