"""Arithmetic checks of an invoice's amounts, after EN 16931.

EN 16931 requires that net plus VAT is the gross total (BR-CO-15) and that
the VAT breakdown adds up to the totals (BR-CO-13, BR-CO-14). Each
breakdown's VAT must be its base times its rate (BR-CO-17), and the lines
must add up to the net total (BR-CO-10). Paper invoices break these rules
more often than e-invoices, and a reader can misread a digit. So every rule
is checked, and every mismatch is reported with the expected value, the
value found and the difference. The module has no Django imports.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from fiat.core.money import round_money
from fiat.payables.findings import CheckCode, Finding, Severity

# A total must match to the cent: the supplier's own sums are exact.
TOTALS_TOLERANCE = Decimal("0.00")
# One VAT breakdown's amount may differ by a cent from base times rate, as a
# supplier that rounds VAT per line gets a different last digit.
VAT_ROUNDING_TOLERANCE = Decimal("0.01")
# A line's net amount may differ by a cent from quantity times unit price,
# because unit prices are often printed rounded.
LINE_ROUNDING_TOLERANCE = Decimal("0.01")


@dataclass(frozen=True)
class VatSubtotal:
    rate: Decimal | None
    base_amount: Decimal | None
    vat_amount: Decimal | None


@dataclass(frozen=True)
class LineAmounts:
    quantity: Decimal | None
    unit_price: Decimal | None
    net_amount: Decimal | None


@dataclass(frozen=True)
class InvoiceAmounts:
    """The amounts of one invoice, as positive numbers for a credit note too."""

    currency: str
    total_net_amount: Decimal | None
    total_vat_amount: Decimal | None
    total_gross_amount: Decimal | None
    amount_due: Decimal | None = None
    vat_breakdown: list[VatSubtotal] = field(default_factory=list)
    lines: list[LineAmounts] = field(default_factory=list)


def check_amounts(amounts: InvoiceAmounts) -> list[Finding]:
    """Return a finding for every arithmetic rule that ``amounts`` breaks."""
    return [
        *_check_totals(amounts),
        *_check_breakdown_sums(amounts),
        *_check_breakdown_rates(amounts),
        *_check_line_sum(amounts),
        *_check_line_amounts(amounts),
        *_check_amount_due(amounts),
    ]


def _mismatch(
    code: CheckCode,
    severity: Severity,
    *,
    field_name: str,
    source: str,
    expected: Decimal,
    found: Decimal,
    tolerance: Decimal,
    params: dict[str, str] | None = None,
) -> Iterator[Finding]:
    """Yield a finding when ``found`` is further than ``tolerance`` away."""
    difference = found - expected
    if abs(difference) <= tolerance:
        return
    yield Finding(
        code=code,
        severity=severity,
        field=field_name,
        source=source,
        expected=format(expected, "f"),
        found=format(found, "f"),
        difference=difference,
        params={
            "difference": format(difference, "f"),
            "tolerance": format(tolerance, "f"),
            **(params or {}),
        },
    )


def _check_totals(amounts: InvoiceAmounts) -> Iterator[Finding]:
    net, vat = amounts.total_net_amount, amounts.total_vat_amount
    gross = amounts.total_gross_amount
    if net is None or vat is None or gross is None:
        return
    yield from _mismatch(
        CheckCode.TOTALS_MISMATCH,
        Severity.BLOCKING,
        field_name="total_gross_amount",
        source="total_net_amount + total_vat_amount",
        expected=net + vat,
        found=gross,
        tolerance=TOTALS_TOLERANCE,
    )


def _check_breakdown_sums(amounts: InvoiceAmounts) -> Iterator[Finding]:
    breakdown = amounts.vat_breakdown
    bases = [subtotal.base_amount for subtotal in breakdown]
    if breakdown and None not in bases and amounts.total_net_amount is not None:
        yield from _mismatch(
            CheckCode.BREAKDOWN_BASE_MISMATCH,
            Severity.WARNING,
            field_name="total_net_amount",
            source="vat_breakdown",
            expected=sum(bases, Decimal(0)),
            found=amounts.total_net_amount,
            tolerance=TOTALS_TOLERANCE,
        )
    vat_amounts = [subtotal.vat_amount for subtotal in breakdown]
    if breakdown and None not in vat_amounts and amounts.total_vat_amount is not None:
        yield from _mismatch(
            CheckCode.BREAKDOWN_VAT_MISMATCH,
            Severity.WARNING,
            field_name="total_vat_amount",
            source="vat_breakdown",
            expected=sum(vat_amounts, Decimal(0)),
            found=amounts.total_vat_amount,
            tolerance=TOTALS_TOLERANCE,
        )


def _check_breakdown_rates(amounts: InvoiceAmounts) -> Iterator[Finding]:
    for position, subtotal in enumerate(amounts.vat_breakdown, start=1):
        rate, base = subtotal.rate, subtotal.base_amount
        if rate is None or base is None or subtotal.vat_amount is None:
            continue
        yield from _mismatch(
            CheckCode.BREAKDOWN_RATE_MISMATCH,
            Severity.WARNING,
            field_name="total_vat_amount",
            source=f"vat_breakdown[{position}] {format(rate, 'f')}%",
            expected=round_money(base * rate / 100, amounts.currency),
            found=subtotal.vat_amount,
            tolerance=VAT_ROUNDING_TOLERANCE,
            params={"rate": format(rate, "f")},
        )


def _check_line_sum(amounts: InvoiceAmounts) -> Iterator[Finding]:
    line_amounts = [line.net_amount for line in amounts.lines]
    if not line_amounts or None in line_amounts:
        return
    if amounts.total_net_amount is None:
        return
    yield from _mismatch(
        CheckCode.LINES_MISMATCH,
        Severity.WARNING,
        field_name="total_net_amount",
        source="lines",
        expected=sum(line_amounts, Decimal(0)),
        found=amounts.total_net_amount,
        tolerance=TOTALS_TOLERANCE,
    )


def _check_line_amounts(amounts: InvoiceAmounts) -> Iterator[Finding]:
    for position, line in enumerate(amounts.lines, start=1):
        if None in (line.quantity, line.unit_price, line.net_amount):
            continue
        yield from _mismatch(
            CheckCode.LINE_AMOUNT_MISMATCH,
            Severity.WARNING,
            field_name="lines",
            source=f"lines[{position}]",
            expected=round_money(line.quantity * line.unit_price, amounts.currency),
            found=line.net_amount,
            tolerance=LINE_ROUNDING_TOLERANCE,
            params={"line": str(position)},
        )


def _check_amount_due(amounts: InvoiceAmounts) -> Iterator[Finding]:
    due, gross = amounts.amount_due, amounts.total_gross_amount
    if due is None or gross is None:
        return
    # Less due than the total is normal after a prepayment, so it is only
    # pointed out; the amount due is what will be paid.
    yield from _mismatch(
        CheckCode.AMOUNT_DUE_DIFFERS,
        Severity.INFO,
        field_name="amount_due",
        source="total_gross_amount",
        expected=gross,
        found=due,
        tolerance=Decimal(0),
    )
