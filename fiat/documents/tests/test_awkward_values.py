"""Awkward amounts, dates and layouts named in public reader bug reports."""

from datetime import date
from decimal import Decimal

import pytest

from fiat.documents.extraction.amounts import find_amounts
from fiat.documents.extraction.dates import detect_day_first, find_dates, parse_date
from fiat.documents.extraction.fields import read_fields
from fiat.documents.extraction.layout import Word, build_lines
from fiat.documents.extraction.receipts import read_receipt_words
from fiat.documents.extraction.result import Source


def _only_amount(text: str) -> Decimal:
    found = find_amounts(text)
    assert len(found) == 1, found
    return found[0].value


@pytest.mark.parametrize(
    "text", ["1.355,90 €", "1,355.90 EUR", "CHF 1'355.90", "CHF 1\u2019355.90"]
)
def test_grouped_amount(text):
    assert _only_amount(text) == Decimal("1355.90")


@pytest.mark.parametrize("text", ["-€ 120,00", "120,00-", "(120.00)"])
def test_negative_amount(text):
    assert _only_amount(text) == Decimal("-120.00")


def test_bracketed_amount_in_line():
    found = find_amounts("Credit note total (120.00) EUR")

    assert [match.value for match in found] == [Decimal("-120.00")]


def test_half_bracket_stays_positive():
    found = find_amounts("Total (incl. VAT 120.00")

    assert [match.value for match in found] == [Decimal("120.00")]


def test_ordinal_day_with_month_name():
    assert parse_date("Date: 29th March 2006") == date(2006, 3, 29)


@pytest.mark.parametrize("day_first", [True, False])
def test_iso_date_never_reinterpreted(day_first):
    assert parse_date("2006-03-04", day_first=day_first) == date(2006, 3, 4)


def test_iso_date_is_one_match():
    found = find_dates("Issued 2006-03-04, due 2006-04-03")

    assert [match.value for match in found] == [date(2006, 3, 4), date(2006, 4, 3)]


def test_iso_date_no_evidence_of_order():
    # "2023-12-06" must not count as a month-first "12-06" date.
    assert detect_day_first(["2023-12-06", "05/04/2018"]) is True


def _receipt_words(rows: list[list[str]]) -> list[Word]:
    """Lay out rows of cells as OCR boxes, 20 px apart, cells 60 px apart."""
    words = []
    for row_index, row in enumerate(rows):
        top = 20 + 20 * row_index
        left = 20
        for text in row:
            right = left + 8 * len(text)
            words.append(Word(text, left, top, right, top + 12, confidence=0.95))
            left = right + 60
    return words


CASH_RECEIPT = [
    ["CORNER SHOP B.V."],
    ["Coffee", "4.50"],
    ["Sandwich", "14.00"],
    ["SUBTOTAL", "18.50"],
    ["VAT 21%", "3.89"],
    ["TOTAL", "22.39"],
    ["CASH", "50.00"],
    ["CHANGE", "27.61"],
]


def test_receipt_total_not_cash_or_subtotal():
    result = read_receipt_words(
        _receipt_words(CASH_RECEIPT), file="receipt.png", source=Source.OCR
    )

    assert result.total_gross == Decimal("22.39")
    assert result.total_net == Decimal("18.50")
    assert result.total_vat == Decimal("3.89")
    assert result.payment_method == "cash"


def test_receipt_total_change_before_cash():
    rows = [*CASH_RECEIPT[:-2], ["CHANGE", "27.61"], ["CASH", "50.00"]]

    result = read_receipt_words(
        _receipt_words(rows), file="receipt.png", source=Source.OCR
    )

    assert result.total_gross == Decimal("22.39")


def test_split_label_and_amount_one_line():
    # OCR boxes of one printed line rarely share a top: the amount sits a
    # few pixels lower and in a box of its own far to the right.
    words = [
        Word("Total", 40, 300, 95, 322, confidence=0.9),
        Word("amount", 101, 301, 170, 323, confidence=0.9),
        Word("EUR", 600, 306, 640, 328, confidence=0.9),
        Word("22.39", 646, 306, 700, 328, confidence=0.9),
    ]

    lines = build_lines(words)

    assert [line.text for line in lines] == ["Total amount EUR 22.39"]
    assert len(lines[0].cells) == 2


def test_split_label_and_amount_read_as_total():
    words = [
        Word("Invoice", 40, 100, 110, 122, confidence=0.9),
        Word("INV-2291", 300, 104, 400, 126, confidence=0.9),
        Word("Total", 40, 300, 95, 322, confidence=0.9),
        Word("22.39", 646, 306, 700, 328, confidence=0.9),
    ]

    result = read_fields(words, file="scan.png", source=Source.OCR)

    assert result.total_gross == Decimal("22.39")
    assert result.invoice_number == "INV-2291"
