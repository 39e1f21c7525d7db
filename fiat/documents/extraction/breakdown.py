"""VAT breakdown rows: rate, taxable base and VAT amount per rate.

Invoices print one row per VAT rate in the totals: "Btw 21% over € 34,90
€ 7,33", "Tax 15% on $ 112.90 $ 16.94", "TVA 20% 9,34 €". An amount after
"over", "on", "sur" or "über" is the row's base, never its VAT amount nor a
VAT total. A row whose VAT amount cannot be read (OCR) gets the amount that
its rate and base give, rounded half up, as a derived value.

A reverse-charge row ("Btw verlegd", "VAT reverse charged",
"Steuerschuldnerschaft des Leistungsempfängers", "Autoliquidation") is
EN 16931 category AE: rate 0, no VAT, and the net amount not taxed at
another rate as its base.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from fiat.core.money import round_money
from fiat.documents.extraction.amounts import AmountMatch, find_rates
from fiat.documents.extraction.context import DocumentContext
from fiat.documents.extraction.labels import Label
from fiat.documents.extraction.pairing import BELOW, LabelHit
from fiat.documents.extraction.result import ExtractionResult, VatBreakdownFields

_BASE_MARKER = re.compile(
    r"(?:over|on|of|op|from|[üu]ber|auf|von|sur|base|basis|grondslag)\s*:?\s*$",
    re.IGNORECASE,
)
_REVERSE_CHARGE = re.compile(
    r"verlegd|reverse[\s-]charged?|omgekeerde\s+heffing|steuerschuldnerschaft"
    r"|autoliquidation",
    re.IGNORECASE,
)
# ISO 4217 "no currency": amounts round to two decimals.
_NO_CURRENCY = "XXX"
REVERSE_CHARGE_CATEGORY = "AE"


@dataclass(frozen=True)
class VatRow:
    """One printed VAT row. ``amount`` is None when it could not be read."""

    rate: Decimal | None
    base: Decimal | None
    amount: Decimal | None
    reverse_charge: bool = False

    @property
    def derived_amount(self) -> Decimal | None:
        """Return the printed amount, else the one that rate and base give."""
        if self.amount is not None:
            return self.amount
        if self.rate is None or self.base is None:
            return None
        return round_money(self.base * self.rate / 100, _NO_CURRENCY)


def read_vat_rows(hits: list[LabelHit], context: DocumentContext) -> list[VatRow]:
    """Return the VAT rows of the document in reading order, without repeats."""
    rows: list[VatRow] = []
    for hit in hits:
        if hit.label != Label.TOTAL_VAT or hit.for_customer:
            continue
        text = " ".join(
            [hit.label_text, *(region.text for region in hit.regions
                               if region.placement > BELOW)]
        )  # fmt: skip
        row = _vat_row(text, context)
        if row is not None and row not in rows:
            rows.append(row)
    return rows


def is_base(text: str, amount: AmountMatch) -> bool:
    """Check whether ``amount`` is printed as a base ("over € 34,90")."""
    return bool(_BASE_MARKER.search(text[: amount.start]))


def _vat_row(text: str, context: DocumentContext) -> VatRow | None:
    rates = find_rates(text)
    reverse_charge = bool(_REVERSE_CHARGE.search(text))
    if len(rates) != 1 and not reverse_charge:
        return None
    amounts = context.amounts(text)
    bases = [amount for amount in amounts if is_base(text, amount)]
    base = bases[0] if bases else None
    after = [
        amount
        for amount in amounts
        if amount not in bases and (base is None or amount.start >= base.end)
    ]
    if reverse_charge:
        value = after[-1].value if after else Decimal(0)
        return VatRow(Decimal(0), None, value, reverse_charge=True)
    return VatRow(
        rates[0], base.value if base else None, after[-1].value if after else None
    )


def apply_vat_breakdown(result: ExtractionResult, rows: list[VatRow]) -> None:
    """Record the breakdown that fits the chosen VAT total.

    One rate row is recorded when its amount is the VAT total. Several are
    recorded when their amounts add up to it. A reverse-charge row takes the
    net total that the other rows do not cover as its base.
    """
    if result.total_vat is None and not rows:
        return
    rated = [row for row in rows if not row.reverse_charge]
    reverse = [row for row in rows if row.reverse_charge]
    if len(rated) == 1:
        _apply_single(result, rated[0])
    elif len(rated) > 1:
        _apply_several(result, rated)
    if reverse and not result.total_vat:
        covered = sum((item.base or Decimal(0) for item in result.vat_breakdown),
                      Decimal(0))  # fmt: skip
        base = result.total_net - covered if result.total_net is not None else None
        result.vat_breakdown.append(
            VatBreakdownFields(
                rate=Decimal(0),
                base=base,
                amount=reverse[0].amount,
                category=REVERSE_CHARGE_CATEGORY,
            )
        )


def _apply_single(result: ExtractionResult, row: VatRow) -> None:
    amount = row.derived_amount
    if amount is None or amount != result.total_vat:
        return
    base = row.base if row.base is not None else result.total_net
    result.vat_breakdown.append(VatBreakdownFields(row.rate, base, amount))
    if base is not None and not is_rate_of(base, amount, row.rate):
        result.warnings.append(f"VAT {amount} is not {row.rate}% of {base}")


def _apply_several(result: ExtractionResult, rows: list[VatRow]) -> None:
    amounts = [row.derived_amount for row in rows]
    if None in amounts or sum(amounts, Decimal(0)) != result.total_vat:
        return
    for row, amount in zip(rows, amounts, strict=True):
        result.vat_breakdown.append(VatBreakdownFields(row.rate, row.base, amount))


def is_rate_of(base: Decimal, vat: Decimal, rate: Decimal) -> bool:
    """Check whether ``vat`` is ``rate`` percent of ``base``, within rounding."""
    tolerance = Decimal("0.02") + abs(base) * Decimal("0.0005")
    return abs(base * rate / 100 - vat) <= tolerance
