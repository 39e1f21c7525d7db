"""Layout hints: where a supplier's layout prints a field, learned from one value."""

from datetime import date
from decimal import Decimal

import pytest

from fiat.documents.extraction.einvoice import read_einvoice
from fiat.documents.extraction.layout import Word
from fiat.documents.extraction.layout_hints import (
    LayoutHint,
    Placement,
    apply_hints,
    learn_hint,
)
from fiat.documents.extraction.pdftext import read_pdf_text, read_pdf_words
from fiat.documents.extraction.result import ExtractionResult, Source


def _words(rows: list[tuple[float, list[tuple[float, str]]]]) -> list[Word]:
    """Lay out (top, [(left, text), ...]) rows as 10 pt words, 6 pt a letter."""
    words = []
    for top, cells in rows:
        for left, text in cells:
            position = left
            for part in text.split():
                right = position + 6 * len(part)
                words.append(Word(part, position, top, right, top + 10))
                position = right + 3
    return words


def _layout(number: str, amount: str) -> list[Word]:
    return _words(
        [
            (40, [(40, "Kantoor Direct B.V.")]),
            (80, [(40, "Ref."), (300, number)]),
            (100, [(40, "Datum 5 maart 2025")]),
            (400, [(300, "Te voldoen"), (420, "Kosten")]),
            (414, [(300, amount), (420, "12,00")]),
            (700, [(40, "Bedankt voor uw bestelling")]),
        ]
    )


def _empty_result() -> ExtractionResult:
    return ExtractionResult(file="invoice.pdf", source=Source.PDF_TEXT)


def test_learn_value_right_of_label():
    hint = learn_hint(_layout("KD-2025-118", "86,40"), "invoice_number", "KD-2025-118")

    assert hint is not None
    assert hint.label == "ref"
    assert hint.placement == Placement.RIGHT


def test_learn_value_below_label():
    hint = learn_hint(_layout("KD-2025-118", "86,40"), "total_gross", Decimal("86.40"))

    assert hint is not None
    assert hint.label == "tevoldoen"
    assert hint.placement == Placement.BELOW


def test_learn_value_inline_after_label():
    hint = learn_hint(_layout("KD-2025-118", "86,40"), "issue_date", date(2025, 3, 5))

    assert hint is not None
    assert hint.label == "datum"
    assert hint.placement == Placement.INLINE


def test_learn_value_not_printed():
    hint = learn_hint(_layout("KD-2025-118", "86,40"), "total_gross", Decimal("99.99"))

    assert hint is None


def test_learn_rejects_unknown_field():
    hint = learn_hint(_layout("KD-2025-118", "86,40"), "supplier.name", "Kantoor")

    assert hint is None


def test_hints_read_next_invoice():
    first = _layout("KD-2025-118", "86,40")
    hints = [
        learn_hint(first, "invoice_number", "KD-2025-118"),
        learn_hint(first, "total_gross", Decimal("86.40")),
        learn_hint(first, "issue_date", date(2025, 3, 5)),
    ]
    result = _empty_result()

    applied = apply_hints(result, _layout("KD-2025-131", "1.204,75"), hints)

    assert sorted(applied) == ["invoice_number", "issue_date", "total_gross"]
    assert result.invoice_number == "KD-2025-131"
    assert result.total_gross == Decimal("1204.75")
    assert result.issue_date == date(2025, 3, 5)
    assert result.confidence["total_gross"] == 0.9


def test_hint_without_label_uses_position():
    hint = LayoutHint("total_gross", "", Placement.POSITION, 0, 0.9, 0.55)
    words = _words([(40, [(40, "Shop")]), (400, [(300, "86,40")]), (700, [(40, "x")])])
    result = _empty_result()

    applied = apply_hints(result, words, [hint])

    assert applied == ["total_gross"]
    assert result.total_gross == Decimal("86.40")


def test_hint_position_too_far():
    hint = LayoutHint("total_gross", "", Placement.POSITION, 0, 0.1, 0.1)
    words = _words([(40, [(40, "Shop")]), (400, [(300, "86,40")]), (700, [(40, "x")])])
    result = _empty_result()

    assert apply_hints(result, words, [hint]) == []
    assert result.total_gross is None


def test_hint_json_round_trip():
    hint = LayoutHint("supplier.iban", "iban", Placement.INLINE, 1, 0.25, 0.875)

    assert LayoutHint.from_json(hint.to_json()) == hint


def test_hint_sets_nested_field():
    words = _words([(40, [(40, "IBAN NL91 ABNA 0417 1643 00")])])
    hint = learn_hint(words, "supplier.iban", "NL91ABNA0417164300")
    result = _empty_result()

    apply_hints(result, words, [hint])

    assert hint.label == "iban"
    assert result.supplier.iban == "NL91ABNA0417164300"


@pytest.fixture
def correction_pair(corpus_dir):
    """Two credit notes of one supplier layout whose VAT total the reader misses.

    Both print the VAT total on a line of its own under "Steuerbetrag in",
    with its minus sign on the line above.
    """
    folder = corpus_dir / "facturx-zugferd/ZUGFeRD-corpus/ZUGFeRDv2/correct/intarsys"
    return (
        folder / "BASIC/zugferd_2p0_BASIC_Rechnungskorrektur.pdf",
        folder / "EXTENDED/zugferd_2p0_EXTENDED_Rechnungskorrektur.pdf",
    )


def test_pair_second_read_right_after_correction(correction_pair):
    first, second = correction_pair
    corrected = read_einvoice(first, first.name).total_vat
    assert corrected == Decimal("-1.12")
    hint = learn_hint(read_pdf_words(first), "total_vat", corrected)
    result = read_pdf_text(second)
    assert result.total_vat != Decimal("1.12")

    applied = apply_hints(result, read_pdf_words(second), [hint])

    assert applied == ["total_vat"]
    assert result.total_vat == Decimal("1.12")
    assert read_einvoice(second, second.name).total_vat == Decimal("-1.12")
