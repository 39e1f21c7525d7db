"""Repairs of Tesseract's misreadings in the words of a till receipt."""

from fiat.documents.extraction.layout import Word
from fiat.documents.extraction.ocr_repair import repair_ocr_words


def _line(*texts: str, gap: float = 8) -> list[Word]:
    """Lay out one line of OCR words, 20 px high, ``gap`` px apart."""
    words = []
    left = 10.0
    for text in texts:
        right = left + 12 * len(text)
        words.append(Word(text, left, 100, right, 120, confidence=0.9))
        left = right + gap
    return words


def _texts(words: list[Word]) -> list[str]:
    return [word.text for word in words]


def test_amount_split_at_decimal_mark():
    repaired = repair_ocr_words(_line("TOTAL", "RM", "42.", "65"))

    assert _texts(repaired) == ["TOTAL", "RM", "42.65"]
    assert repaired[-1].right == _line("TOTAL", "RM", "42.", "65")[-1].right


def test_amount_split_at_decimal_comma():
    assert _texts(repair_ocr_words(_line("Subtotal", "18,", "40"))) == [
        "Subtotal",
        "18,40",
    ]


def test_lost_decimal_mark_after_currency():
    assert _texts(repair_ocr_words(_line("Total", "RM", "36", "15"))) == [
        "Total",
        "RM",
        "36.15",
    ]


def test_integers_without_currency_stay_apart():
    assert _texts(repair_ocr_words(_line("Table", "12", "04"))) == [
        "Table",
        "12",
        "04",
    ]


def test_far_apart_numbers_stay_apart():
    repaired = repair_ocr_words(_line("Qty", "3.", "25", gap=80))

    assert _texts(repaired) == ["Qty", "3.", "25"]


def test_misread_total_label():
    assert _texts(repair_ocr_words(_line("Nett", "Totai:", "9.30"))) == [
        "Nett",
        "Total:",
        "9.30",
    ]
    assert _texts(repair_ocr_words(_line("TOTA1", "9.30"))) == ["TOTAL", "9.30"]


def test_misread_including_label():
    assert _texts(repair_ocr_words(_line("Total", "Inci", "GST", "9.30"))) == [
        "Total",
        "Incl",
        "GST",
        "9.30",
    ]


def test_letters_in_date_digits():
    assert _texts(repair_ocr_words(_line("Date:", "2O/1l/2Ol9"))) == [
        "Date:",
        "20/11/2019",
    ]


def test_ordinary_words_unchanged():
    words = _line("Taxi", "Incidental", "SOS")

    assert _texts(repair_ocr_words(words)) == ["Taxi", "Incidental", "SOS"]


def test_future_year_after_month_name():
    repaired = repair_ocr_words(_line("04", "Jun", "2619", "10:12"), latest_year=2025)

    assert _texts(repaired) == ["04", "Jun", "2019", "10:12"]


def test_future_year_of_numeric_date():
    repaired = repair_ocr_words(_line("Date:", "11/04/2071"), latest_year=2025)

    assert _texts(repaired) == ["Date:", "11/04/2011"]


def test_past_year_left_alone():
    repaired = repair_ocr_words(_line("11/04/2013"), latest_year=2025)

    assert _texts(repaired) == ["11/04/2013"]


def test_future_year_with_two_repairs_left_alone():
    # Each one-digit repair of "2899" (2099, 2809, 2890) is in the future too.
    repaired = repair_ocr_words(_line("11/04/2899"), latest_year=2025)

    assert _texts(repaired) == ["11/04/2899"]


def test_date_split_after_separators():
    repaired = repair_ocr_words(_line("21-", "06-", "19", "09:41", "POS02"))

    assert _texts(repaired) == ["21-06-19", "09:41", "POS02"]


def test_date_split_before_year():
    repaired = repair_ocr_words(_line("Date:", "03/11/", "2019"))

    assert _texts(repaired) == ["Date:", "03/11/2019"]


def test_product_code_with_pack_size_stays_apart():
    repaired = repair_ocr_words(_line("AB14", "-", "6/250"))

    assert _texts(repaired) == ["AB14", "-", "6/250"]
