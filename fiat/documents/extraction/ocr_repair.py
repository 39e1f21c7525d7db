"""Repairs of common Tesseract misreadings in the words of a receipt.

Thermal receipts are printed in small, faint type, and Tesseract splits or
misreads the characters that matter most:

- an amount split at its decimal mark ("42. 65", "18, 40");
- an amount after a currency whose decimal mark was lost ("RM 36 15");
- the letter "l" of a label read as "i", "1", "!" or "|" ("Totai", "Inci");
- letters in a date's digits ("2O/03/2Ol8", "l4-03-18");
- a numeric date split after a separator ("24- 11- 17", "09/08/ 17");
- a year that lies in the future, with one digit misread ("04 Jun 2619",
  "11/04/2071"): one look-alike digit is swapped back when exactly one
  swap gives a year that is not in the future.

Each repair needs the shape of an amount, a label or a date around it, so
ordinary words are left alone.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime

from fiat.documents.extraction.dates import MONTHS
from fiat.documents.extraction.layout import Word, build_lines

# Two words are parts of one amount only when the gap between them is at
# most this share of the line height (about one space).
_MAX_SPLIT_GAP = 0.8
_AMOUNT_HEAD = re.compile(r"^(?:.*\D)?\d{1,6}[.,]$")
_INTEGER = re.compile(r"^\d{1,6}$")
_CENTS = re.compile(r"^\d{2}$")
_CURRENCY_WORD = re.compile(r"^(?:RM|MYR|\$|€|EUR|£)$", re.IGNORECASE)
# "l" misread as a look-alike in the labels that receipts print.
_LOOK_ALIKE_L = "il1!|"
_LABEL_WORDS = {
    re.compile(rf"^(tota)[{_LOOK_ALIKE_L}](\W*)$", re.IGNORECASE): "l",
    re.compile(rf"^(inc)[{_LOOK_ALIKE_L}](\.?)$", re.IGNORECASE): "l",
}
_DATE_SHAPE = re.compile(r"^[\dOoIl|SB]{1,2}([/.-])[\dOoIl|SB]{1,2}\1[\dOoIl|SB]{2,4}$")
_DIGIT_LOOK_ALIKES = str.maketrans("OoIl|SB", "0011158")
_DATE_HEAD = re.compile(r"^\d{1,2}[/.-]$|^\d{1,2}([/.-])\d{1,2}\1$")
_WHOLE_DATE = re.compile(r"^\d{1,2}([/.-])\d{1,2}\1\d{2}(?:\d{2})?$")
_NUMERIC_DATE = re.compile(r"^(\d{1,2}[/.-]\d{1,2}[/.-])(\d{4})$")
_YEAR = re.compile(r"^\d{4}$")
# Digits that Tesseract reads in place of the true one in a receipt's small
# type, as misread digit to true digit.
_YEAR_LOOK_ALIKES = {"6": "0", "8": "0", "9": "0", "7": "1", "4": "1"}


def repair_ocr_words(
    words: list[Word], *, latest_year: int | None = None
) -> list[Word]:
    """Return the words with split amounts and dates joined, misreadings fixed.

    ``latest_year`` is the last year a document can be dated in, by default
    the next calendar year.
    """
    if latest_year is None:
        latest_year = datetime.now(UTC).year + 1
    repaired: list[Word] = []
    for line in build_lines(words):
        height = line.bottom - line.top
        line_words = [_repair_characters(word) for word in line.words]
        line_words = _join_split_dates(line_words, height)
        line_words = _repair_future_years(line_words, latest_year)
        repaired.extend(_join_split_amounts(line_words, height))
    return repaired


def _repair_characters(word: Word) -> Word:
    for pattern, letter in _LABEL_WORDS.items():
        match = pattern.match(word.text)
        if match:
            head = match[1]
            fixed = letter.upper() if head.isupper() else letter
            return replace(word, text=head + fixed + match[2])
    if _DATE_SHAPE.match(word.text) and any(c.isdigit() for c in word.text):
        return replace(word, text=word.text.translate(_DIGIT_LOOK_ALIKES))
    return word


def _repair_future_years(words: list[Word], latest_year: int) -> list[Word]:
    repaired = []
    for index, word in enumerate(words):
        numeric = _NUMERIC_DATE.match(word.text)
        previous = words[index - 1].text.strip(".,").lower() if index else ""
        if numeric:
            year = _plausible_year(numeric[2], latest_year)
            word = replace(word, text=numeric[1] + year)
        elif _YEAR.match(word.text) and previous in MONTHS:
            word = replace(word, text=_plausible_year(word.text, latest_year))
        repaired.append(word)
    return repaired


def _plausible_year(year: str, latest_year: int) -> str:
    """Return ``year``, or its one-digit repair when it lies in the future."""
    if int(year) <= latest_year:
        return year
    repairs = {
        year[:position] + _YEAR_LOOK_ALIKES[digit] + year[position + 1 :]
        for position, digit in enumerate(year)
        if digit in _YEAR_LOOK_ALIKES
    }
    plausible = [text for text in repairs if 2000 <= int(text) <= latest_year]
    return plausible[0] if len(plausible) == 1 else year


def _join_split_amounts(words: list[Word], height: float) -> list[Word]:
    joined: list[Word] = []
    for word in words:
        previous = joined[-1] if joined else None
        before = joined[-2] if len(joined) > 1 else None
        close = previous is not None and (
            word.left - previous.right <= _MAX_SPLIT_GAP * height
        )
        if close and _CENTS.match(word.text):
            if _AMOUNT_HEAD.match(previous.text):
                joined[-1] = _merge(previous, word, "")
                continue
            if (
                _INTEGER.match(previous.text)
                and before is not None
                and _CURRENCY_WORD.match(before.text)
            ):
                joined[-1] = _merge(previous, word, ".")
                continue
        joined.append(word)
    return joined


def _join_split_dates(words: list[Word], height: float) -> list[Word]:
    """Join the parts of a numeric date that OCR split after a separator.

    Parts are joined only when each one before the last ends with the
    separator and the joined text is a whole date ("24-11-17"), so a code
    such as "KF12 - 12/240" stays apart.
    """
    joined: list[Word] = []
    for word in words:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and _DATE_HEAD.match(previous.text)
            and word.left - previous.right <= _MAX_SPLIT_GAP * height
        ):
            text = previous.text + word.text
            if _DATE_HEAD.match(text) or _WHOLE_DATE.match(text):
                joined[-1] = _merge(previous, word, "")
                continue
        joined.append(word)
    return joined


def _merge(first: Word, second: Word, separator: str) -> Word:
    return replace(
        first,
        text=first.text + separator + second.text,
        right=second.right,
        top=min(first.top, second.top),
        bottom=max(first.bottom, second.bottom),
        confidence=min(first.confidence, second.confidence),
    )
