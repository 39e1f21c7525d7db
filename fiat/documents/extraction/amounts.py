"""Money amounts and VAT rates found in a line of printed text.

``fiat.core.money.parse_amount`` parses one amount; this module finds the
amounts in a line such as "Tax 15% on $ 112.90 $ 16.94" or "Total 1 278.61
40.39 319.00". A space can separate thousands ("1 234,56 €") or columns
("1 278.61"), so a number with space grouping yields both readings and the
caller lets the arithmetic of the totals choose.

A bare integer counts as an amount only next to a currency marker ("Rs
1939", "34 EUR"), because invoices print many other integers (customer
numbers, quantities, phone numbers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from fiat.core.money import AmountError, parse_amount

# Currency markers printed next to amounts, to their ISO 4217 code.
CURRENCY_MARKERS = {
    "€": "EUR", "EUR": "EUR", "EURO": "EUR", "EUROS": "EUR",
    "$": "USD", "US$": "USD", "USD": "USD",
    "£": "GBP", "GBP": "GBP",
    "CHF": "CHF", "Fr.": "CHF",
    "PLN": "PLN", "zł": "PLN",
    "₹": "INR", "INR": "INR", "Rs": "INR", "Rs.": "INR",
    "RM": "MYR", "MYR": "MYR",
    "SEK": "SEK", "DKK": "DKK", "NOK": "NOK", "CZK": "CZK", "Kč": "CZK",
    "JPY": "JPY", "¥": "JPY", "CAD": "CAD", "AUD": "AUD",
}  # fmt: skip

_CURRENCY = "|".join(
    re.escape(marker) for marker in sorted(CURRENCY_MARKERS, key=len, reverse=True)
)
_MINUS = "-\u2212\u2013"


def _amount_pattern(group_separators: str) -> re.Pattern[str]:
    # Digits grouped by thousands, with an optional decimal part of one to
    # three digits ("12,5", "1.234,56", "0.125" for three-decimal units).
    grouped = rf"\d{{1,3}}(?:[{group_separators}]\d{{3}})+(?:[.,]\d{{1,3}})?"
    plain = r"\d+(?:[.,]\d{1,3})?"
    return re.compile(
        rf"(?<![\w.,/%@#-])(?P<open_bracket>\()?"
        rf"(?P<lead_sign>[{_MINUS}])?\s?(?P<lead_currency>{_CURRENCY})?\s?"
        rf"(?P<sign>[{_MINUS}])?\s?(?P<number>{grouped}|{plain})"
        rf"(?:\s?(?P<trail_currency>{_CURRENCY}))?(?P<trail_sign>-(?!\d))?"
        rf"(?P<close_bracket>\))?"
        rf"(?![\w%]|[.,/]\d|\s?%)"
    )


_SPACES = " \u00a0\u202f"
_PATTERN_WITH_SPACE_GROUPING = _amount_pattern(".,'\u2019" + _SPACES)
_PATTERN_WITHOUT_SPACE_GROUPING = _amount_pattern(".,'\u2019")
_SPACE_GROUPING = re.compile(r"[ \u00a0\u202f]")
_CURRENCY_WEIGHT = 3
# A number with two decimals after one mark, with the currency printed
# before or after it, if any.
_TWO_DECIMALS = re.compile(
    rf"(?P<lead>(?<![\w.-])(?:{_CURRENCY})\s?)?(?<![\d.,])\d{{1,3}}"
    rf"(?:[., ]\d{{3}})*"
    rf"(?P<mark>[.,])\d{{2}}(?!\d|[.,]\d)(?P<trail>\s?(?:{_CURRENCY}))?"
)
_RATE_PATTERN = re.compile(r"(?<![\d.,])(\d{1,2}(?:[.,]\d{1,2})?)\s?%")


@dataclass(frozen=True)
class AmountMatch:
    value: Decimal
    start: int
    end: int
    currency: str | None
    # True when the number was read from space-grouped digits that could also
    # be separate numbers ("1 278.61").
    space_grouped: bool = False


def find_amounts(
    text: str, *, decimal_separator: str | None = None
) -> list[AmountMatch]:
    """Return the amounts in ``text``, including both readings of "1 278.61".

    ``decimal_separator`` ("," or ".") settles numbers such as "1.355";
    without it they are skipped.
    """
    found = _scan(text, decimal_separator, allow_space_grouping=True)
    if any(match.space_grouped for match in found):
        split = _scan(text, decimal_separator, allow_space_grouping=False)
        known = {(match.start, match.end) for match in found}
        found += [match for match in split if (match.start, match.end) not in known]
    return sorted(found, key=lambda match: (match.start, -match.end))


def find_rates(text: str) -> list[Decimal]:
    """Return the percentages printed in ``text`` ("21%", "5,5 %")."""
    return [
        Decimal(match.group(1).replace(",", "."))
        for match in _RATE_PATTERN.finditer(text)
    ]


def detect_decimal_separator(texts: list[str]) -> str | None:
    """Return "," or "." when the document's amounts use one of them.

    Only numbers with exactly two decimals after a single mark count, the
    usual way to print a money amount.
    """
    counts = {",": 0, ".": 0}
    for text in texts:
        for match in _TWO_DECIMALS.finditer(text):
            # Times ("08.30 - 12.30 Uhr") look like amounts too; a number
            # printed with a currency is surely one, so it weighs more.
            with_currency = match["lead"] or match["trail"]
            counts[match["mark"]] += _CURRENCY_WEIGHT if with_currency else 1
    if counts[","] == counts["."]:
        return None
    return "," if counts[","] > counts["."] else "."


def _scan(
    text: str, decimal_separator: str | None, *, allow_space_grouping: bool
) -> list[AmountMatch]:
    pattern = (
        _PATTERN_WITH_SPACE_GROUPING
        if allow_space_grouping
        else _PATTERN_WITHOUT_SPACE_GROUPING
    )
    found = []
    for match in pattern.finditer(text):
        grouped = bool(_SPACE_GROUPING.search(match["number"]))
        amount = _to_amount(match, decimal_separator, space_grouped=grouped)
        if amount is not None:
            found.append(amount)
    return found


def _to_amount(
    match: re.Match[str], decimal_separator: str | None, *, space_grouped: bool
) -> AmountMatch | None:
    number = match["number"]
    currency_marker = match["lead_currency"] or match["trail_currency"]
    try:
        value = parse_amount(number, decimal_separator=decimal_separator)
    except AmountError:
        return None
    has_decimals = value.as_tuple().exponent < 0
    if not has_decimals and currency_marker is None:
        return None
    # Accountants print a negative amount in brackets: "(120.00)".
    # NOTE: an amount given as an aside in brackets ("enthaltene Steuer
    # (35,13 €)") is read as negative too, so it fits no positive totals.
    bracketed = bool(match["open_bracket"] and match["close_bracket"])
    if bracketed or any(match[name] for name in ("lead_sign", "sign", "trail_sign")):
        value = -value
    return AmountMatch(
        value=value,
        start=match.start(),
        end=match.end(),
        currency=CURRENCY_MARKERS.get(currency_marker) if currency_marker else None,
        space_grouped=space_grouped,
    )
