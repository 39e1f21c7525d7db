"""Receipt dates read beside a time, as eight digits or from a receipt number."""

from datetime import date

from fiat.documents.extraction.receipts import read_receipt_words
from fiat.documents.extraction.result import Source
from fiat.documents.tests.test_awkward_values import _receipt_words


def _read(rows: list[list[str]]):
    return read_receipt_words(
        _receipt_words(rows), file="receipt.png", source=Source.OCR
    )


def test_date_with_time_beats_product_code():
    rows = [
        ["HARDWARE TRADING SDN BHD"],
        ["HD03-04-06"],
        ["9067860", "1X 2.70", "2.70"],
        ["TOTAL", "2.70"],
        ["19-09-17 15:39 SH01 T3"],
    ]

    result = _read(rows)

    assert result.issue_date == date(2017, 9, 19)


def test_labelled_date_kept_over_date_with_time():
    rows = [
        ["CORNER SHOP"],
        ["Date: 05/02/2018"],
        ["TOTAL", "2.70"],
        ["06/02/2018 10:15"],
    ]

    result = _read(rows)

    assert result.issue_date == date(2018, 2, 5)


def test_compact_date_when_no_other_date():
    rows = [
        ["GARDEN SUPPLY ENTERPRISE"],
        ["27032018", "NO. CS-20242"],
        ["TOTAL", "75.00"],
    ]

    result = _read(rows)

    assert result.issue_date == date(2018, 3, 27)


def test_compact_date_rejects_phone_number():
    rows = [
        ["GARDEN SUPPLY ENTERPRISE"],
        ["TEL 03-87322070"],
        ["TOTAL", "75.00"],
    ]

    result = _read(rows)

    assert result.issue_date is None


def test_compact_date_rejects_future_year():
    rows = [
        ["GARDEN SUPPLY ENTERPRISE"],
        ["ACC 12052099"],
        ["TOTAL", "75.00"],
    ]

    result = _read(rows)

    assert result.issue_date is None


def test_year_misread_fixed_from_receipt_number():
    rows = [
        ["NOODLE HOUSE SDN BHD"],
        ["12 Mar 2013 18:19"],
        ["Invoice # : OR18031202170432"],
        ["TOTAL", "8.70"],
    ]

    result = _read(rows)

    assert result.issue_date == date(2018, 3, 12)


def test_year_kept_when_receipt_number_agrees():
    rows = [
        ["NOODLE HOUSE SDN BHD"],
        ["12 Mar 2013 18:19"],
        ["Invoice # : OR13031202170432"],
        ["TOTAL", "8.70"],
    ]

    result = _read(rows)

    assert result.issue_date == date(2013, 3, 12)


def test_year_kept_without_matching_number():
    rows = [
        ["NOODLE HOUSE SDN BHD"],
        ["12 Mar 2013 18:19"],
        ["Invoice # : OR00417"],
        ["TOTAL", "8.70"],
    ]

    result = _read(rows)

    assert result.issue_date == date(2013, 3, 12)
