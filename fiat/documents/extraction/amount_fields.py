"""Totals, amount due, VAT breakdown, currency and credit notes of a document.

Every amount printed after a total, VAT or amount-due label becomes a
candidate; ``totals.choose_totals`` picks the combination that adds up. A
credit note is recognised by its title ("Creditnota", "Credit note",
"Gutschrift", "Avoir") or by negative totals, and its amounts are reported
as positive numbers with document type ``credit_note``.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from itertools import combinations

from fiat.core.money import round_money
from fiat.documents.extraction.amounts import CURRENCY_MARKERS, AmountMatch
from fiat.documents.extraction.breakdown import (
    VatRow,
    apply_vat_breakdown,
    is_base,
    read_vat_rows,
)
from fiat.documents.extraction.context import DocumentContext, scored_regions
from fiat.documents.extraction.labels import Label
from fiat.documents.extraction.layout import Line
from fiat.documents.extraction.pairing import BELOW, LabelHit
from fiat.documents.extraction.result import DocumentType, ExtractionResult
from fiat.documents.extraction.totals import (
    AmountCandidate,
    Totals,
    adds_up,
    choose_totals,
)

_KINDS = {
    Label.TOTAL_NET: "net",
    Label.TOTAL_VAT: "vat",
    Label.TOTAL_GROSS: "gross",
    Label.AMOUNT_DUE: "due",
}
# Score factor for an amount that is not the last one after its label
# ("112.90" in "Tax 15% on $ 112.90 $ 16.94").
_EARLIER_AMOUNT_FACTOR = 0.5
# Score factor for an amount due used as the gross total.
_DUE_AS_GROSS_FACTOR = 0.7
_MIN_DUE_SCORE = 0.55
CONFIDENCE_DUE_AS_GROSS = 0.5
_CREDIT_NOTE_TITLE = re.compile(
    r"^(?:credit\s*nota|creditfactuur|credit\s*note|credit\s+memo|gutschrift"
    r"|rechnungskorrektur|stornorechnung|facture\s+d['\u2019]avoir|avoir)(?![^\W_])",
    re.IGNORECASE,
)
_MAX_TITLE_WORDS = 4
# ISO codes and currency signs that are not part of a word. "$" and "Fr."
# are left out: "$" also marks other dollars and "Fr." abbreviates names.
_STANDALONE_CURRENCY = re.compile(
    r"(?<![A-Za-z])(?:EUR|USD|GBP|CHF|PLN|SEK|DKK|NOK|CZK|JPY|CAD|AUD|INR|MYR|€|£)"
    r"(?![A-Za-z])"
)
# Any currency marker. An amount is read with a currency only where its line
# contains one, so the other lines need no reading for the currency.
_ANY_CURRENCY_MARKER = re.compile(
    "|".join(re.escape(marker) for marker in CURRENCY_MARKERS)
)
# Scores of VAT totals that follow from the VAT rows: the sum of several
# rows, and a row amount computed from its rate and base.
_ROWS_SUM_SCORE = 0.9
_DERIVED_ROW_SCORE = 0.6


def read_amounts(
    result: ExtractionResult, hits: list[LabelHit], context: DocumentContext
) -> None:
    """Set the totals, amount due, VAT breakdown, currency and document type.

    The amount due is the gross total unless a label such as "Te betalen"
    or "Amount due" prints another amount.
    """
    candidates, triples = _collect_candidates(hits, context)
    vat_rows = read_vat_rows(hits, context)
    candidates["vat"] += _row_candidates(vat_rows)
    gross_pool = candidates["gross"] + [
        AmountCandidate(item.value, item.score * _DUE_AS_GROSS_FACTOR)
        for item in candidates["due"]
    ]
    totals = choose_totals(candidates["net"], candidates["vat"], gross_pool, triples)
    _apply_totals(result, totals, candidates["due"])
    apply_vat_breakdown(result, vat_rows)
    _apply_currency(result, context)
    _apply_document_type(result, context.lines)


def _collect_candidates(
    hits: list[LabelHit], context: DocumentContext
) -> tuple[
    dict[str, list[AmountCandidate]], list[tuple[Decimal, Decimal, Decimal, float]]
]:
    """Return the amounts after each total label, by kind, and the row triples."""
    candidates: dict[str, list[AmountCandidate]] = {
        kind: [] for kind in _KINDS.values()
    }
    triples: list[tuple[Decimal, Decimal, Decimal, float]] = []
    for hit in hits:
        kind = _KINDS.get(hit.label)
        found = _label_amounts(hit, context) if kind else None
        if found is None:
            continue
        amounts, score, text = found
        if kind != "due":
            triples += _row_triples(amounts, score)
        if kind == "vat":
            # "over € 34,90" in "Btw 21% over € 34,90" is the base.
            amounts = [amount for amount in amounts if not is_base(text, amount)]
        if not amounts:
            continue
        last = _last_amount(amounts)
        for amount in amounts:
            factor = 1.0 if amount is last else _EARLIER_AMOUNT_FACTOR
            candidates[kind].append(AmountCandidate(amount.value, score * factor))
    return candidates, triples


def _row_candidates(rows: list[VatRow]) -> list[AmountCandidate]:
    """Return VAT totals that the VAT rows give: a derived row, their sum."""
    rated = [row for row in rows if not row.reverse_charge]
    candidates = [
        AmountCandidate(row.derived_amount, _DERIVED_ROW_SCORE)
        for row in rated
        if row.amount is None and row.derived_amount is not None
    ]
    amounts = [row.derived_amount for row in rated]
    if len(rated) > 1 and None not in amounts:
        candidates.append(AmountCandidate(sum(amounts, Decimal(0)), _ROWS_SUM_SCORE))
    return candidates


def _label_amounts(
    hit: LabelHit, context: DocumentContext
) -> tuple[list[AmountMatch], float, str] | None:
    """Return the amounts after a label, their score and the text they are in.

    The label's own cell and the cells to its right are read as one text
    ("Tax 15% on $ 112.90" then "$ 16.94"). The cell below is read only when
    they contain no amount.
    """
    beside = [(text, score) for text, score in scored_regions(hit) if score > BELOW]
    below = [(text, score) for text, score in scored_regions(hit) if score <= BELOW]
    options = []
    if beside:
        options.append((" ".join(text for text, _ in beside), beside[0][1]))
    options += below
    for text, score in options:
        amounts = context.amounts(text)
        if amounts:
            return amounts, score, text
    return None


def _last_amount(amounts: list[AmountMatch]) -> AmountMatch:
    """Return the amount printed last, preferring "1 234,56" to "234,56"."""
    end = max(amount.end for amount in amounts)
    at_end = [amount for amount in amounts if amount.end == end]
    return min(at_end, key=lambda amount: amount.start)


def _row_triples(
    amounts: list[AmountMatch], score: float
) -> list[tuple[Decimal, Decimal, Decimal, float]]:
    """Return (net, VAT, gross) read from one row, such as "24.99 5.00 29.99"."""
    triples = []
    for first, second, third in combinations(amounts, 3):
        in_order = first.end <= second.start and second.end <= third.start
        if in_order and third.value and adds_up(first.value, second.value, third.value):
            triples.append((first.value, second.value, third.value, score))
    return triples


def _apply_totals(
    result: ExtractionResult, totals: Totals, due: list[AmountCandidate]
) -> None:
    result.total_net, result.total_vat = totals.net, totals.vat
    result.total_gross = totals.gross
    result.confidence.update(totals.confidence)
    result.warnings.extend(totals.warnings)
    usable_due = [item for item in due if item.score >= _MIN_DUE_SCORE]
    if usable_due:
        best = max(usable_due, key=lambda item: item.score)
        result.amount_due = best.value
        result.confidence["amount_due"] = round(0.9 * best.score, 2)
        if result.total_gross is None:
            result.total_gross = best.value
            result.confidence["total_gross"] = CONFIDENCE_DUE_AS_GROSS
    elif result.total_gross is not None:
        result.amount_due = result.total_gross
        result.confidence["amount_due"] = result.confidence.get("total_gross", 0.0)


def _apply_currency(result: ExtractionResult, context: DocumentContext) -> None:
    counts: Counter[str] = Counter()
    for line in context.lines:
        if _ANY_CURRENCY_MARKER.search(line.text) is None:
            continue
        counts.update(
            amount.currency for amount in context.amounts(line.text) if amount.currency
        )
    if counts:
        currency, count = counts.most_common(1)[0]
        share = count / sum(counts.values())
        confidence = 0.9 if count >= 2 and share >= 0.8 else 0.6
    else:
        # No amount carries a currency: look for one printed on its own
        # ("Währung: EUR", "Beträge in EUR", "Einzel/€").
        counts = _standalone_currencies(context.lines)
        if not counts:
            return
        currency, count = counts.most_common(1)[0]
        confidence = 0.6 if count == sum(counts.values()) else 0.4
    result.currency = currency
    result.confidence["currency"] = confidence
    for name in ("total_net", "total_vat", "total_gross", "amount_due"):
        value = getattr(result, name)
        if value is not None:
            setattr(result, name, round_money(value, currency))
    for breakdown in result.vat_breakdown:
        if breakdown.amount is not None:
            breakdown.amount = round_money(breakdown.amount, currency)
        if breakdown.base is not None:
            breakdown.base = round_money(breakdown.base, currency)


def _standalone_currencies(lines: list[Line]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for line in lines:
        for match in _STANDALONE_CURRENCY.finditer(line.text):
            counts[CURRENCY_MARKERS[match.group()]] += 1
    return counts


def _apply_document_type(result: ExtractionResult, lines: list[Line]) -> None:
    titled = any(
        _CREDIT_NOTE_TITLE.match(cell.text) and len(cell.words) <= _MAX_TITLE_WORDS
        for line in lines
        for cell in line.cells
    )
    reference_total = next(
        (
            value
            for value in (result.total_gross, result.total_net, result.amount_due)
            if value is not None
        ),
        None,
    )
    negative = reference_total is not None and reference_total < 0
    if titled or negative:
        result.document_type = DocumentType.CREDIT_NOTE
    if negative:
        _make_positive(result)


def _make_positive(result: ExtractionResult) -> None:
    for name in ("total_net", "total_vat", "total_gross", "amount_due"):
        value = getattr(result, name)
        if value is not None:
            setattr(result, name, abs(value))
    for breakdown in result.vat_breakdown:
        breakdown.amount = (
            abs(breakdown.amount) if breakdown.amount is not None else None
        )
        breakdown.base = abs(breakdown.base) if breakdown.base is not None else None
