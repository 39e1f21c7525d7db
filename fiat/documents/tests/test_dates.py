"""Dates printed on invoices: numeric orders and month names in four languages."""

from datetime import date

import pytest

from fiat.documents.extraction.dates import detect_day_first, find_dates, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rechnungsdatum: 02.10.2020", date(2020, 10, 2)),
        ("Invoice date 2023-12-06", date(2023, 12, 6)),
        ("Factuurdatum 8-9-2022", date(2022, 9, 8)),
        ("Zahlungsziel 21.05.14", date(2014, 5, 21)),
        ("5 april 2018", date(2018, 4, 5)),
        ("19 mei 2015", date(2015, 5, 19)),
        ("29 maart 2014", date(2014, 3, 29)),
        ("12. März 2021", date(2021, 3, 12)),
        ("7. Mai 2014", date(2014, 5, 7)),
        ("3 janvier 2022", date(2022, 1, 3)),
        ("1er février 2022", date(2022, 2, 1)),
        ("le 05 Juillet 2015", date(2015, 7, 5)),
        ("August 3 , 2014", date(2014, 8, 3)),
        ("Jan 1, 2022", date(2022, 1, 1)),
        ("10 MAR 2018", date(2018, 3, 10)),
        ("21 Feb 19 09:14:02", date(2019, 2, 21)),
        ("07 DEC 23", date(2023, 12, 7)),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["Open 1 Jan 15:30", "3 May 20.50"])
def test_short_year_not_time_or_amount(text):
    assert parse_date(text) is None


def test_numeric_date_day_first_by_default():
    assert parse_date("05/04/2018") == date(2018, 4, 5)


def test_numeric_date_month_first_when_asked():
    assert parse_date("05/04/2018", day_first=False) == date(2018, 5, 4)


def test_unambiguous_date_ignores_order():
    assert parse_date("03/20/2023", day_first=True) == date(2023, 3, 20)


def test_day_first_proven_by_other_date():
    texts = ["Factuurdatum 05/04/2018", "Vervaldatum 19/04/2018"]

    assert detect_day_first(texts) is True


def test_month_first_proven_by_other_date():
    texts = ["Invoice Date: 03/05/2023", "Due Date: 04/20/2023"]

    assert detect_day_first(texts) is False


def test_day_first_without_evidence():
    assert detect_day_first(["Datum 05/04/2018"]) is True


def test_invalid_date_is_skipped():
    assert parse_date("31.02.2020") is None


def test_amounts_and_phone_numbers_are_not_dates():
    assert find_dates("Totaal 12.50 EUR, tel. 020 7604101, 1.234,56") == []


def test_all_dates_in_reading_order():
    dates = find_dates("Periode 01.05.2014 bis 31.05.2014, Rechnung vom 7. Mai 2014")

    assert [match.value for match in dates] == [
        date(2014, 5, 1),
        date(2014, 5, 31),
        date(2014, 5, 7),
    ]


def test_dotted_time_is_no_month_first_evidence():
    texts = ["Doc No. CS00065374 Date 05/02/2018", "Cashier USER Time. 11.14.00"]

    assert detect_day_first(texts) is True
