"""Dates printed on invoices and receipts, in Dutch, English, German and French.

Numeric dates are ambiguous: "05/04/2018" is 5 April in Europe and May 4 in
the United States. One document uses one order, so ``detect_day_first``
looks at every numeric date of the document and decides by those that can be
read only one way ("19/04/2018" proves day first, "03/20/2023" month first).
When no date settles it, day first is assumed, the order used in the EU.
ISO dates ("2023-12-06") and dates with a month name are never ambiguous.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS = {
    # Dutch
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6,
    "juli": 7, "augustus": 8, "september": 9, "oktober": 10, "november": 11,
    "december": 12, "mrt": 3, "okt": 10,
    # English
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7,
    "august": 8, "october": 10,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    # German
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "mai": 5,
    "dezember": 12, "dez": 12, "mär": 3,
    # French
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4,
    "juin": 6, "juillet": 7, "août": 8, "aout": 8, "septembre": 9,
    "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
    "janv": 1, "févr": 2, "fév": 2, "avr": 4, "juil": 7, "déc": 12,
}  # fmt: skip

_MONTH_NAMES = "|".join(
    sorted((re.escape(name) for name in MONTHS), key=len, reverse=True)
)
_YEAR = r"(?P<year>(?:19|20)\d{2})"
# "2023-12-06" or "2023/12/06"
_ISO_PATTERN = re.compile(
    rf"(?<![\d.,/-]){_YEAR}[-/.](?P<month>\d{{1,2}})[-/.](?P<day>\d{{1,2}})(?![\d/])"
)
# "05/04/2018", "02.10.2020", "8-9-2022", "21.05.14"
_NUMERIC_PATTERN = re.compile(
    r"(?<![\d.,/-])(?P<first>\d{1,2})(?P<separator>[-/.])(?P<second>\d{1,2})"
    r"(?P=separator)(?P<year>(?:19|20)?\d{2})(?![\d/]|[.,]\d)"
)
# "5 april 2018", "12. März 2021", "02 Juillet 2015", "1er janvier 2022"
_DAY_MONTH_PATTERN = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})(?:er|st|nd|rd|th)?\.?\s*(?P<month>{_MONTH_NAMES})"
    rf"\.?,?\s*{_YEAR}(?!\d)",
    re.IGNORECASE,
)
# "28 Mar 18", "5 DEC 19" on till receipts: a two-digit year, which must not
# be followed by a colon or digits, so that "1 Jan 15:30" is no date.
_DAY_MONTH_SHORT_YEAR_PATTERN = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})\s*(?P<month>{_MONTH_NAMES})\.?\s*"
    r"(?P<year>\d{2})(?![\d:]|[.,]\d)",
    re.IGNORECASE,
)
# "August 3, 2014", "Jan 1, 2022", "August 3 , 2014"
_MONTH_DAY_PATTERN = re.compile(
    rf"(?<![^\W\d])(?P<month>{_MONTH_NAMES})\.?\s+(?P<day>\d{{1,2}})"
    rf"(?:st|nd|rd|th)?\s*,?\s*{_YEAR}(?!\d)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMatch:
    value: date
    start: int
    end: int


def detect_day_first(texts: list[str]) -> bool:
    """Decide the order of numeric dates from the document's own dates.

    Return True (day first) unless a date such as "03/20/2023" can only be
    month first and no date of the document can only be day first.
    """
    day_first_seen = month_first_seen = False
    for text in texts:
        for match in _NUMERIC_PATTERN.finditer(text):
            first, second = int(match["first"]), int(match["second"])
            day_first_seen |= first > 12 and second <= 12
            # Month-first dates are written with slashes or hyphens. A dotted
            # one such as "11.14.00" is a time of day or a code, not a date.
            month_first_seen |= (
                second > 12 and first <= 12 and match["separator"] != "."
            )
    return not (month_first_seen and not day_first_seen)


def find_dates(text: str, *, day_first: bool = True) -> list[DateMatch]:
    """Return every valid date in ``text`` in reading order."""
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    for pattern in (
        _ISO_PATTERN,
        _DAY_MONTH_PATTERN,
        _MONTH_DAY_PATTERN,
        _DAY_MONTH_SHORT_YEAR_PATTERN,
    ):
        for match in pattern.finditer(text):
            _add_match(found, taken, match, _named_date(match))
    for match in _NUMERIC_PATTERN.finditer(text):
        _add_match(found, taken, match, _numeric_date(match, day_first=day_first))
    return sorted(found, key=lambda item: item.start)


def parse_date(text: str, *, day_first: bool = True) -> date | None:
    """Return the first date in ``text``, or None when there is none."""
    dates = find_dates(text, day_first=day_first)
    return dates[0].value if dates else None


def _add_match(
    found: list[DateMatch],
    taken: list[tuple[int, int]],
    match: re.Match[str],
    value: date | None,
) -> None:
    start, end = match.span()
    overlaps = any(
        start < other_end and other_start < end for other_start, other_end in taken
    )
    if value is None or overlaps:
        return
    found.append(DateMatch(value, start, end))
    taken.append((start, end))


def _named_date(match: re.Match[str]) -> date | None:
    month = match["month"]
    month_number = int(month) if month.isdigit() else MONTHS[month.lower()]
    year = int(match["year"])
    if year < 100:
        year += 2000
    return _safe_date(year, month_number, int(match["day"]))


def _numeric_date(match: re.Match[str], *, day_first: bool) -> date | None:
    first, second = int(match["first"]), int(match["second"])
    year = int(match["year"])
    if year < 100:
        # Two-digit years on invoices are this century's ("21.05.14").
        year += 2000
    if first > 12 or second > 12:
        day_first = first > 12
    day, month = (first, second) if day_first else (second, first)
    return _safe_date(year, month, day)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
