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


def _read_receipt_rows(rows: list[list[str]]):
    return read_receipt_words(
        _receipt_words(rows), file="receipt.png", source=Source.OCR
    )


def test_receipt_total_from_payment_printed_elsewhere():
    # OCR misread the total label, but cash minus change equals an amount
    # printed on the receipt.
    rows = [
        ["NOODLE HOUSE SDN BHD"],
        ["Wonton noodles", "1", "12.80"],
        ["Nett T0ta1", "12.80"],
        ["CASH", "20.00"],
        ["CHANGE", "7.20"],
    ]

    result = _read_receipt_rows(rows)

    assert result.total_gross == Decimal("12.80")


def test_receipt_tax_summary_row_not_total():
    # Without the rule, the rounding line would make 2.52 of the tax sum and
    # prefer it as a rounded total.
    rows = [
        ["HARDWARE SDN BHD"],
        ["Paint roller", "42.40"],
        ["Rounding", "-0.02"],
        ["Total", "RM", "44.95"],
        ["Tax Code", "Amount", "GST"],
        ["SR", "42.40", "2.54"],
        ["Total:", "42.40", "2.54"],
    ]

    result = _read_receipt_rows(rows)

    assert result.total_gross == Decimal("44.95")


def test_receipt_rounding_skips_total_on_cash_step():
    # The rounding line belongs to a total that is already on 5 cents;
    # adding it again would give 44.93.
    rows = [
        ["HARDWARE SDN BHD"],
        ["Subtotal", "42.40"],
        ["GST 6%", "2.57"],
        ["Rounding", "-0.02"],
        ["Total", "44.95"],
    ]

    result = _read_receipt_rows(rows)

    assert result.total_gross == Decimal("44.95")


def test_receipt_date_printed_most_often():
    rows = [
        ["CAFE SDN BHD"],
        ["Date:", "14/06/2019"],
        ["Total", "8.50"],
        ["14/08/2019 13:02"],
        ["Thank you 14/08/2019"],
    ]

    result = _read_receipt_rows(rows)

    assert result.issue_date == date(2019, 8, 14)


def test_receipt_total_after_rounding_on_cash_step():
    # OCR misread the last total ("31.49" for 31.40). With a rounding line
    # printed, the total that pays is the one on 5 cents.
    rows = [
        ["GRILL HOUSE SDN BHD"],
        ["Total Amount:", "31.40"],
        ["Rounding Adj", "-0.02"],
        ["TOTAL:", "RM", "31.49"],
    ]

    result = _read_receipt_rows(rows)

    assert result.total_gross == Decimal("31.40")


def test_receipt_total_from_cash_and_change_alone():
    # The total line was lost to OCR, so only the payment shows it.
    rows = [
        ["FRUIT STALL ENTERPRISE"],
        ["Papaya", "2", "7.60"],
        ["TL:", "RM", "?"],
        ["CASH", "50.00"],
        ["CHANGE", "21.60"],
    ]

    result = _read_receipt_rows(rows)

    assert result.total_gross == Decimal("28.40")


def test_receipt_zero_rounding_keeps_labelled_total():
    # A rounding line of 0.00 does not show which total was rounded,
    # so the tax summary's "Total:" row after it does not win.
    rows = [
        ["BAKERY SDN BHD"],
        ["Total Sales (Inclusive of GST) :", "63.60"],
        ["Rounding", "0.00"],
        ["Tax Code", "Amount", "Tax"],
        ["Total:", "60.00", "3 60"],
    ]

    result = _read_receipt_rows(rows)

    assert result.total_gross == Decimal("63.60")


def test_receipt_total_confirmed_by_tax_rate_and_cash():
    # The total's tenths digit is misread ("89.80" for 89.60). Subtotal
    # plus 6% tax plus rounding gives 89.60, and so does cash minus change.
    rows = [
        ["STATIONERY SDN BHD"],
        ["Total Sales (Excluding GST) :", "84.50"],
        ["Rounding :", "0.03"],
        ["Total Sales (Inclusive of GST) :", "89.80"],
        ["CASH :", "100.00"],
        ["Change :", "10.40"],
        ["Tax Code", "%", "Amt", "Tax"],
        ["SR", "6", "84.50", "5.07"],
    ]

    result = _read_receipt_rows(rows)

    assert result.total_gross == Decimal("89.60")


def test_receipt_total_misread_digit_fixed_by_tax_rate():
    rows = [
        ["HARDWARE SDN BHD"],
        ["Sub Total", "42.00"],
        ["GST 6%", "2.52"],
        ["Total", "44.82"],
    ]

    result = _read_receipt_rows(rows)

    assert result.total_gross == Decimal("44.52")


def test_receipt_total_last_digit_not_changed_by_tax_rate():
    # The rounding line (-0.02) was lost, so subtotal plus tax is 112.47,
    # one cent off the printed total, which stays.
    rows = [
        ["HARDWARE SDN BHD"],
        ["Sub Total", "106.10"],
        ["Total", "112.45"],
        ["SR", "6", "106.10", "6.37"],
    ]

    result = _read_receipt_rows(rows)

    assert result.total_gross == Decimal("112.45")
