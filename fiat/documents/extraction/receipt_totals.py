"""The total of a receipt, and how it was paid.

The total is chosen by the first rule that applies:

1. the printed total that the cash handed over minus the change given back
   equals;
2. that paid amount, when the receipt prints it elsewhere (an item's sum, a
   total whose label OCR misread);
3. the subtotal plus tax at the printed rate (plus rounding), when the
   payment or a printed total with one misread digit agrees;
4. the total rounded for cash payment (on the 5-cent step when a rounding
   line is printed);
5. the largest amount after a total label;
6. the payment alone, when no total label has an amount.

The payment method is "card" (pin, Maestro, V PAY,
Visa, Mastercard, credit card...) or "cash" (contant, Bar, espèces...) when
the receipt prints one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from fiat.documents.extraction.context import DocumentContext
from fiat.documents.extraction.labels import Label
from fiat.documents.extraction.layout import Line
from fiat.documents.extraction.pairing import LabelHit
from fiat.documents.extraction.result import ExtractionResult

_CARD = (
    r"pin(?:betaling|nen)?|maestro|v\s?pay|visa|master\s?card|amex|american\s+express"
    r"|debit(?:\s+card)?|credit\s*card|creditcard|betaalkaart|bankkaart|card|kaart"
    r"|contactless|girocard|ec[\s-]?karte|karte|carte(?:\s+bancaire|\s+bleue)?|cb"
    r"|bancontact|apple\s+pay|google\s+pay"
)
_CASH = r"contant(?:en)?|cash|bar(?:geld|zahlung)?|esp[èe]ces|tunai"
_PAID_WITH = (
    r"betaald\s+met|betaalwijze|paid\s+(?:by|with)|payment(?:\s+method)?\s*:"
    r"|bezahlt\s+mit|zahlungsart|pay[ée]\s+par|mode\s+de\s+(?:paiement|r[èe]glement)"
)
_METHOD_AT_START = re.compile(rf"^(?:(?P<card>{_CARD})|(?P<cash>{_CASH}))(?!\w)", re.I)
_METHOD_AFTER_PHRASE = re.compile(
    rf"(?:{_PAID_WITH})\s*(?:(?P<card>{_CARD})|(?P<cash>{_CASH}))(?!\w)", re.I
)
_PAYMENT_AT_START = re.compile(r"^(?:amount\s+)?(?:paid|payment)(?!\w)", re.I)
_MASKED_CARD_NUMBER = re.compile(r"[*xX]{4}")
CONFIDENCE_TOTAL_BY_CHANGE = 0.95
CONFIDENCE_TOTAL_PAID_PRINTED = 0.85
CONFIDENCE_TOTAL_ROUNDED = 0.85
CONFIDENCE_TOTAL_LAST = 0.7
CONFIDENCE_TOTAL_CARD_ONLY = 0.6
CONFIDENCE_TOTAL_PAID_ONLY = 0.5
CONFIDENCE_TOTAL_BY_TAX_RATE = 0.9
# A receipt's "Net Total" or "Net Amt" is the total to pay, after discounts
# and rounding, unlike an invoice's net total before VAT.
_RECEIPT_NET_TOTAL = re.compile(r"^net+(?:\s+(?:total|amt|amount))?$", re.IGNORECASE)
_RECEIPT_NET_TOTAL_SCORE = 0.9
# The rate printed on a tax line ("GST 6%", "SR (@ 6%)", "VAT 21%"), or in
# the rate column of a tax summary row before its base ("SR 6 95.17 5.71").
_TAX_RATE = re.compile(
    r"(?<![^\W\d_])(?:GST|SST|VAT|BTW|TVA|MwSt|SR)\W{0,4}"
    r"(\d{1,2}(?:[.,]\d{1,2})?)(?:\s*%|\s+(?=\d+[.,]\d{2}(?!\d)))",
    re.IGNORECASE,
)
_CENT = Decimal("0.01")
# Cash totals are rounded to this step (5 cents in the Netherlands, 5 sen in
# Malaysia), so a total on the step needs no rounding line added.
_CASH_ROUNDING_STEP = Decimal("0.05")


def payment_method(lines: list[Line]) -> str | None:
    """Return "card" or "cash" when the receipt prints how it was paid.

    A payment word counts at the start of a line with an amount or a masked
    card number ("PIN  € 12,50", "VISA **** 1234"), or after a phrase such
    as "betaald met" or "paid by". Words elsewhere ("No cash refund", an
    item called "privilege card") do not count.
    """
    for line in lines:
        text = line.text
        match = _METHOD_AFTER_PHRASE.search(text)
        start_match = _METHOD_AT_START.match(text)
        if match is None and start_match is not None and _has_payment_detail(text):
            match = start_match
        if match is not None:
            return "card" if match["card"] else "cash"
    return None


def _has_payment_detail(text: str) -> bool:
    return bool(_MASKED_CARD_NUMBER.search(text) or re.search(r"\d[.,]\d{2}", text))


@dataclass(frozen=True)
class _Total:
    value: Decimal
    score: float
    line_index: int
    rounded: bool


def apply_total(
    result: ExtractionResult, hits: list[LabelHit], context: DocumentContext
) -> None:
    """Set the receipt's total by the rules of this module, if one applies."""
    totals = _total_candidates(hits, context)
    paid = _amount_paid(hits, context)

    if not totals:
        if paid is not None and _printed_elsewhere(paid, context):
            set_total(result, paid.value, CONFIDENCE_TOTAL_PAID_PRINTED)
        elif paid is not None and paid.by_card:
            # A card is charged the total exactly.
            set_total(result, paid.value, CONFIDENCE_TOTAL_CARD_ONLY)
        elif (
            paid is not None
            and len(paid.line_indexes) == 2
            and result.total_gross is None
        ):
            # The total's label or amount was lost to OCR, and cash minus
            # change, from two lines, is the only trace of it left.
            set_total(result, paid.value, CONFIDENCE_TOTAL_PAID_ONLY)
        return

    if paid is not None:
        confirmed = [total for total in totals if total.value == paid.value]
        if confirmed:
            set_total(result, confirmed[-1].value, CONFIDENCE_TOTAL_BY_CHANGE)
            return
        if _printed_elsewhere(paid, context):
            set_total(result, paid.value, CONFIDENCE_TOTAL_PAID_PRINTED)
            return

    expected = _total_from_tax_rate(hits, context)
    if expected is not None and _confirms(expected, totals, paid):
        set_total(result, expected, CONFIDENCE_TOTAL_BY_TAX_RATE)
        return

    rounded = [total for total in totals if total.rounded]
    if rounded:
        set_total(result, rounded[-1].value, CONFIDENCE_TOTAL_ROUNDED)
        return

    # Other totals on a receipt are parts of the one paid: a VAT summary's
    # total, a total before a service charge. Subtotals are net labels and
    # not among the candidates.
    best = max(totals, key=lambda total: (total.score, total.value))
    if result.confidence.get("total_gross", 0) < CONFIDENCE_TOTAL_LAST:
        set_total(result, best.value, CONFIDENCE_TOTAL_LAST * best.score)


def _total_from_tax_rate(
    hits: list[LabelHit], context: DocumentContext
) -> Decimal | None:
    """Return the subtotal plus tax at the printed rate plus any rounding.

    Only a subtotal labelled as such counts, and only when the receipt
    prints a single tax rate.
    """
    rates = {
        Decimal(match[1].replace(",", "."))
        for line in context.lines
        for match in _TAX_RATE.finditer(line.text)
    }
    rates.discard(Decimal(0))
    subtotal = _subtotal(hits, context)
    if len(rates) != 1 or subtotal is None:
        return None
    tax = (subtotal * rates.pop() / 100).quantize(_CENT, rounding=ROUND_HALF_UP)
    rounding = _labelled_amount(hits, context, Label.ROUNDING) or Decimal(0)
    return subtotal + tax + rounding


def _subtotal(hits: list[LabelHit], context: DocumentContext) -> Decimal | None:
    """Return the first amount before tax, leaving out a receipt's "Net Total"."""
    for hit in hits:
        if hit.label != Label.TOTAL_NET or _RECEIPT_NET_TOTAL.match(hit.label_text):
            continue
        value = _first_region_amount(hit, context)
        if value is not None:
            return value if _has_cents(value) else None
    return None


def _confirms(expected: Decimal, totals: list[_Total], paid: _Paid | None) -> bool:
    """Return whether a second reading agrees with the computed total.

    The payment agrees when it equals the computed total. A printed total
    agrees when it equals it or differs in one digit that OCR misread, but
    not in the last digit, because a rounding line that OCR missed changes
    that digit too.
    """
    if paid is not None and paid.value == expected:
        return True
    return any(_one_digit_misread(total.value, expected) for total in totals)


def _one_digit_misread(printed: Decimal, expected: Decimal) -> bool:
    printed_text, expected_text = f"{printed:.2f}", f"{expected:.2f}"
    if len(printed_text) != len(expected_text):
        return False
    differences = [
        index
        for index, (first, second) in enumerate(
            zip(printed_text, expected_text, strict=True)
        )
        if first != second
    ]
    if not differences:
        return True
    return len(differences) == 1 and differences[0] < len(expected_text) - 1


@dataclass(frozen=True)
class _Paid:
    value: Decimal
    by_card: bool
    # The lines of the cash, change or card payment that gave the value.
    line_indexes: frozenset[int]


def _printed_elsewhere(paid: _Paid, context: DocumentContext) -> bool:
    """Return whether the amount paid is printed apart from the payment lines.

    The sum of an item line, or a total whose label OCR misread ("Nett
    Tota1"), confirms a paid amount that no total label does.
    """
    return any(
        match.value == paid.value
        for index, line in enumerate(context.lines)
        if index not in paid.line_indexes
        for match in context.amounts(line.text)
    )


def _amount_paid(hits: list[LabelHit], context: DocumentContext) -> _Paid | None:
    """Return what the customer paid: cash handed over minus change, or by card.

    Cash handed over without a change line counts as paid exactly.
    """
    tendered = _labelled_hit_amount(hits, context, Label.TENDERED)
    if tendered is None:
        tendered = _payment_line_amount(context)
    change = _labelled_hit_amount(hits, context, Label.CHANGE)
    if tendered is not None and _has_cents(tendered[0]):
        change_value = abs(change[0]) if change else Decimal(0)
        indexes = {tendered[1], change[1]} if change else {tendered[1]}
        return _Paid(
            tendered[0] - change_value, by_card=False, line_indexes=frozenset(indexes)
        )
    for index, line in enumerate(context.lines):
        match = _METHOD_AT_START.match(line.text)
        if match is None or not match["card"]:
            continue
        amounts = context.amounts(line.text)
        if amounts and _has_cents(amounts[-1].value):
            return _Paid(
                abs(amounts[-1].value), by_card=True, line_indexes=frozenset({index})
            )
    return None


def _payment_line_amount(context: DocumentContext) -> tuple[Decimal, int] | None:
    """Return the amount of a line that starts "Paid" or "Payment", and its index.

    Such a line gives the amount handed over when no cash label does
    ("Paid RM4.00", "Payment 6.00").
    """
    for index, line in enumerate(context.lines):
        if _PAYMENT_AT_START.match(line.text):
            amounts = context.amounts(line.text)
            if amounts:
                return amounts[-1].value, index
    return None


def _has_cents(value: Decimal) -> bool:
    # OCR drops the decimal mark ("RM 85 54"), leaving a whole number that
    # must not confirm a total.
    return value.as_tuple().exponent < 0


def set_total(result: ExtractionResult, value: Decimal, confidence: float) -> None:
    if result.total_gross != value:
        # The invoice logic chose other totals; their net and VAT no longer fit.
        result.total_net = None
        result.confidence.pop("total_net", None)
    if result.amount_due == result.total_gross:
        # The amount due was the gross total for lack of a label of its own.
        result.amount_due = value
    result.total_gross = value
    result.confidence["total_gross"] = round(confidence, 2)


def _total_candidates(hits: list[LabelHit], context: DocumentContext) -> list[_Total]:
    totals = []
    rounding = _labelled_amount(hits, context, Label.ROUNDING)
    for hit in hits:
        strength = hit.strength
        if hit.label == Label.TOTAL_NET and _RECEIPT_NET_TOTAL.match(hit.label_text):
            strength = _RECEIPT_NET_TOTAL_SCORE
        elif hit.label not in (Label.TOTAL_GROSS, Label.AMOUNT_DUE):
            continue
        value = _first_region_amount(hit, context)
        if value is None or _is_summary_row(hit, context):
            continue
        on_step = not value % _CASH_ROUNDING_STEP
        # With a rounding adjustment printed, the total after rounding is
        # the one on the step, whatever its label.
        is_rounded = "round" in hit.label_text.lower() or bool(rounding and on_step)
        totals.append(_Total(value, strength, hit.line_index, is_rounded))
        if rounding and not is_rounded and not on_step:
            rounded = value + rounding
            if not rounded % _CASH_ROUNDING_STEP:
                totals.append(
                    _Total(rounded, strength * 0.8, hit.line_index, rounded=True)
                )
    return sorted(totals, key=lambda total: total.line_index)


def _is_summary_row(hit: LabelHit, context: DocumentContext) -> bool:
    """Return whether a total label starts a table's sums row ("Total 42.40 2.54").

    A tax summary's last row gives the sum of the bases and of the tax, two
    or more amounts of which none is the total paid.
    """
    text = " ".join(region.text for region in hit.regions if region.placement >= 0.9)
    cents = [match for match in context.amounts(text) if _has_cents(match.value)]
    return len(cents) >= 2


def _labelled_amount(
    hits: list[LabelHit], context: DocumentContext, label: Label
) -> Decimal | None:
    found = _labelled_hit_amount(hits, context, label)
    return found[0] if found else None


def _labelled_hit_amount(
    hits: list[LabelHit], context: DocumentContext, label: Label
) -> tuple[Decimal, int] | None:
    """Return the first amount labelled ``label`` and the index of its line."""
    for hit in hits:
        if hit.label == label:
            value = _first_region_amount(hit, context)
            if value is not None:
                return value, hit.line_index
    return None


def _first_region_amount(hit: LabelHit, context: DocumentContext) -> Decimal | None:
    text = " ".join(region.text for region in hit.regions if region.placement >= 0.9)
    amounts = context.amounts(text)
    return amounts[-1].value if amounts else None
