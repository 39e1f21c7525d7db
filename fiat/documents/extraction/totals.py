"""The choice of net, VAT and gross totals by their arithmetic.

A document prints many amounts after labels that could be a total
("Subtotaal", "Totaal", "BTW 21%", a column of line totals below a header).
The totals are chosen as the combination that adds up: net + VAT = gross,
with a VAT amount that is a legal rate of the net amount as further support.
The largest number is never taken for the total just because it is the
largest. When no combination adds up, each total is the best-labelled
candidate on its own and the result carries a warning: printed values are
flagged, never swapped for ones that fit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import product

# VAT rates in percent in use in the EU member states (standard, reduced and
# super-reduced), plus a few common elsewhere, used as supporting evidence.
LEGAL_VAT_RATES = frozenset(
    Decimal(rate)
    for rate in (
        "0", "2.1", "3", "4", "5", "5.5", "6", "7", "8", "8.5", "9", "10",
        "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22",
        "23", "24", "25", "27",
    )
)  # fmt: skip
# Net + VAT may differ from gross by this much (rounding per line).
ARITHMETIC_TOLERANCE = Decimal("0.01")
# A candidate needs this score to be used without arithmetic support.
_MIN_UNSUPPORTED_SCORE = 0.55
_MAX_CANDIDATES = 16
_FULL_MATCH_BONUS = 1.0
_PARTIAL_MATCH_BONUS = 0.3
_RATE_BONUS = 0.3
CONFIDENCE_DERIVED = 0.6
_NEGATED_FACTOR = 0.8


@dataclass(frozen=True)
class AmountCandidate:
    value: Decimal
    # 0 to 1, from the label's strength and where the value was printed.
    score: float


@dataclass
class Totals:
    net: Decimal | None = None
    vat: Decimal | None = None
    gross: Decimal | None = None
    confidence: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def choose_totals(
    net: list[AmountCandidate],
    vat: list[AmountCandidate],
    gross: list[AmountCandidate],
    triples: list[tuple[Decimal, Decimal, Decimal, float]],
) -> Totals:
    """Choose the net, VAT and gross totals from the candidates.

    ``triples`` are (net, VAT, gross, score) read together from one row that
    adds up, such as "Total facture 24.99 5.00 29.99".
    """
    vat = vat + _negated_for_credit(net, vat, gross)
    net, vat, gross = (_best_per_value(candidates) for candidates in (net, vat, gross))
    combination = _best_consistent(net, vat, gross, triples)
    if combination is not None:
        return combination
    return _unsupported(net, vat, gross)


def _negated_for_credit(
    net: list[AmountCandidate],
    vat: list[AmountCandidate],
    gross: list[AmountCandidate],
) -> list[AmountCandidate]:
    """Return positive VAT candidates negated when the other totals are negative.

    A credit note may print the minus sign of its VAT total apart from the
    number ("EUR -" on one line, "1,12" on the next).
    """
    if not any(item.value < 0 for item in net + gross):
        return []
    return [
        AmountCandidate(-item.value, item.score * _NEGATED_FACTOR)
        for item in vat
        if item.value > 0
    ]


def is_legal_rate(net: Decimal, vat: Decimal) -> bool:
    """Check whether ``vat`` is a legal VAT rate of ``net``, within rounding."""
    if net == 0:
        return vat == 0
    tolerance = ARITHMETIC_TOLERANCE * 2 + abs(net) * Decimal("0.0005")
    return any(abs(net * rate / 100 - vat) <= tolerance for rate in LEGAL_VAT_RATES)


def adds_up(net: Decimal, vat: Decimal, gross: Decimal) -> bool:
    same_sign = all(value >= 0 for value in (net, vat, gross)) or all(
        value <= 0 for value in (net, vat, gross)
    )
    return same_sign and abs(net + vat - gross) <= ARITHMETIC_TOLERANCE


def _best_per_value(candidates: list[AmountCandidate]) -> list[AmountCandidate]:
    best: dict[Decimal, float] = {}
    for candidate in candidates:
        best[candidate.value] = max(best.get(candidate.value, 0.0), candidate.score)
    ranked = sorted(best.items(), key=lambda item: -item[1])[:_MAX_CANDIDATES]
    return [AmountCandidate(value, score) for value, score in ranked]


def _score_of(candidates: list[AmountCandidate], value: Decimal) -> float:
    return max((item.score for item in candidates if item.value == value), default=0.0)


def _best_consistent(
    net: list[AmountCandidate],
    vat: list[AmountCandidate],
    gross: list[AmountCandidate],
    triples: list[tuple[Decimal, Decimal, Decimal, float]],
) -> Totals | None:
    options: list[tuple[float, Totals]] = []
    for net_value, vat_value, gross_value, triple_score in triples:
        score = triple_score + sum(
            _score_of(candidates, value)
            for candidates, value in (
                (net, net_value),
                (vat, vat_value),
                (gross, gross_value),
            )
        )
        options.append(
            (
                score + _FULL_MATCH_BONUS,
                _confirmed(net_value, vat_value, gross_value, score),
            )
        )
    for first, second, third in product(net, vat, gross):
        if adds_up(first.value, second.value, third.value):
            score = first.score + second.score + third.score + _FULL_MATCH_BONUS
            if is_legal_rate(first.value, second.value):
                score += _RATE_BONUS
            options.append(
                (score, _confirmed(first.value, second.value, third.value, score - 1))
            )
    options += _partial_options(net, vat, gross)
    if not options:
        return None
    return max(options, key=lambda option: option[0])[1]


def _partial_options(
    net: list[AmountCandidate],
    vat: list[AmountCandidate],
    gross: list[AmountCandidate],
) -> list[tuple[float, Totals]]:
    """Return combinations of two totals that imply the third by a legal rate.

    The implied total must not contradict a well-labelled candidate of its
    own: a printed gross that does not add up is flagged, not replaced.
    """
    options = []
    for first, third in product(net, gross):
        implied = third.value - first.value
        if is_legal_rate(first.value, implied) and _free_slot(vat, implied):
            options.append(_partial(first, None, third, implied, "total_vat"))
    for second, third in product(vat, gross):
        implied = third.value - second.value
        if is_legal_rate(implied, second.value) and _free_slot(net, implied):
            options.append(_partial(None, second, third, implied, "total_net"))
    for first, second in product(net, vat):
        implied = first.value + second.value
        if is_legal_rate(first.value, second.value) and _free_slot(gross, implied):
            options.append(_partial(first, second, None, implied, "total_gross"))
    return options


def _free_slot(candidates: list[AmountCandidate], implied: Decimal) -> bool:
    return not any(
        item.score >= _MIN_UNSUPPORTED_SCORE and item.value != implied
        for item in candidates
    )


def _partial(
    net: AmountCandidate | None,
    vat: AmountCandidate | None,
    gross: AmountCandidate | None,
    implied: Decimal,
    implied_field: str,
) -> tuple[float, Totals]:
    present = [item for item in (net, vat, gross) if item is not None]
    score = sum(item.score for item in present)
    values = {
        "total_net": net.value if net else None,
        "total_vat": vat.value if vat else None,
        "total_gross": gross.value if gross else None,
        implied_field: implied,
    }
    totals = _confirmed(
        values["total_net"], values["total_vat"], values["total_gross"], score / 2 * 3
    )
    totals.confidence[implied_field] = CONFIDENCE_DERIVED
    return score + _PARTIAL_MATCH_BONUS, totals


def _confirmed(net: Decimal, vat: Decimal, gross: Decimal, score: float) -> Totals:
    confidence = round(min(0.98, 0.75 + 0.2 * score / 3), 2)
    return Totals(
        net=net,
        vat=vat,
        gross=gross,
        confidence=dict.fromkeys(("total_net", "total_vat", "total_gross"), confidence),
    )


def _unsupported(
    net: list[AmountCandidate],
    vat: list[AmountCandidate],
    gross: list[AmountCandidate],
) -> Totals:
    totals = Totals()
    for name, candidates in (("net", net), ("vat", vat), ("gross", gross)):
        usable = [item for item in candidates if item.score >= _MIN_UNSUPPORTED_SCORE]
        if usable:
            setattr(totals, name, usable[0].value)
            totals.confidence[f"total_{name}"] = round(0.75 * usable[0].score, 2)
    if None not in (totals.net, totals.vat, totals.gross):
        totals.warnings.append(
            f"net {totals.net} + VAT {totals.vat} does not equal gross {totals.gross}"
        )
    return totals
