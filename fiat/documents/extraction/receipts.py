"""Receipts for expense claims: merchant, date, total, VAT and payment method.

A receipt is read like an invoice (``fields``), then the receipt's own
conventions refine it. The merchant is printed at the top rather than beside
a VAT number. The total and the payment method follow the rules of
``receipt_totals``. An OCR reading that finds no date, or no total that the
payment confirms, is followed by a second reading of the page in black and
white (``ocr``), and each of the two fields is taken from the more confident
reading.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

from fiat.documents.extraction.context import DocumentContext
from fiat.documents.extraction.dates import detect_day_first, find_dates
from fiat.documents.extraction.fields import CONFIDENCE_FALLBACK_DATE, read_fields
from fiat.documents.extraction.labels import find_labels
from fiat.documents.extraction.layout import Line, Word, build_lines
from fiat.documents.extraction.ocr import read_ocr_words
from fiat.documents.extraction.ocr_repair import repair_ocr_words
from fiat.documents.extraction.pairing import find_label_hits
from fiat.documents.extraction.pdftext import has_text_layer, read_pdf_words
from fiat.documents.extraction.receipt_totals import (
    CONFIDENCE_TOTAL_BY_CHANGE,
    apply_total,
    payment_method,
    set_total,
)
from fiat.documents.extraction.result import DocumentType, ExtractionResult, Source

_MERCHANT_LEGAL_FORM = re.compile(
    r"(?<!\w)(?:B\.?V\.?|N\.?V\.?|GmbH|AG|SAS|SARL|Ltd\.?|Inc\.?|LLC|Sdn\.?\s*Bhd\.?"
    r"|Bhd\.?|Enterprise|Trading)(?!\w)",
    re.IGNORECASE,
)
# The merchant's name is looked for in this many lines at the top.
_MERCHANT_LINES = 6
CONFIDENCE_MERCHANT = 0.5
CONFIDENCE_DATE_REPEATED = 0.8
CONFIDENCE_DATE_WITH_TIME = 0.5
CONFIDENCE_DATE_COMPACT = 0.25
# A time of day right after a date ("19-09-17 15:39") marks the sale's date.
_TIME_AFTER = re.compile(r"^\s+\d{1,2}[:.]\d{2}(?!\d)")
# A date printed without separators, day first ("27032018").
_COMPACT_DATE = re.compile(r"(?<![\w.,/-])(\d{2})(\d{2})(20\d{2})(?![\w/-])")


def read_receipt(path: str | Path) -> ExtractionResult:
    """Read a receipt from a PDF (text layer, else OCR) or an image by OCR."""
    words: list[Word] = []
    with Path(path).open("rb") as file:
        is_pdf = file.read(5) == b"%PDF-"
    if is_pdf:
        words = read_pdf_words(path)
    if has_text_layer(words):
        return read_receipt_words(words, file=str(path), source=Source.PDF_TEXT)
    result = read_receipt_words(read_ocr_words(path), file=str(path), source=Source.OCR)
    if _needs_second_reading(result):
        second = read_receipt_words(
            read_ocr_words(path, binarise=True), file=str(path), source=Source.OCR
        )
        _take_better_fields(result, second)
    return result


def _needs_second_reading(result: ExtractionResult) -> bool:
    """Return whether an OCR reading lacks a date or a payment-confirmed total."""
    total_confidence = result.confidence.get("total_gross", 0.0)
    return result.issue_date is None or total_confidence < CONFIDENCE_TOTAL_BY_CHANGE


def _take_better_fields(result: ExtractionResult, second: ExtractionResult) -> None:
    """Take the total and the date of ``second`` where it is more confident."""
    if second.total_gross is not None and _confidence(second, "total_gross") > (
        _confidence(result, "total_gross")
    ):
        set_total(result, second.total_gross, second.confidence["total_gross"])
    if second.issue_date is not None and _confidence(second, "issue_date") > (
        _confidence(result, "issue_date")
    ):
        result.issue_date = second.issue_date
        result.confidence["issue_date"] = second.confidence["issue_date"]


def _confidence(result: ExtractionResult, name: str) -> float:
    if getattr(result, name) is None:
        return -1.0
    return result.confidence.get(name, 0.0)


def read_receipt_words(
    words: list[Word], *, file: str, source: Source
) -> ExtractionResult:
    """Read receipt fields from positioned words (text layer or OCR)."""
    if source == Source.OCR:
        words = repair_ocr_words(words)
    result = read_fields(words, file=file, source=source)
    result.document_type = DocumentType.RECEIPT
    lines = build_lines(words)
    texts = [line.text for line in lines]
    context = DocumentContext(
        lines=lines,
        day_first=detect_day_first(texts),
        # OCR of a till receipt often reads "30.90" as "30,90", so both marks
        # count as decimal marks before two digits, whatever the majority.
        decimal_separator=None,
    )
    hits = find_label_hits(lines)
    apply_total(result, hits, context)
    _apply_date_with_time(result, context)
    _apply_repeated_date(result, context)
    _apply_year_from_reference(result, context)
    if result.issue_date is None:
        _apply_compact_date(result, context)
    merchant = _merchant(lines)
    if merchant is not None:
        result.supplier.name = merchant
        result.confidence["supplier.name"] = CONFIDENCE_MERCHANT
    result.payment_method = payment_method(lines)
    return result


def _apply_repeated_date(result: ExtractionResult, context: DocumentContext) -> None:
    """Take the date printed most often when the chosen one is printed once.

    A till receipt repeats its date (at the top, beside the payment, in the
    footer), and OCR misreads a digit of one of them ("14/06/2019" for
    "14/08/2019"), so the majority is the likelier reading.
    """
    counts = Counter(day for line in context.lines for day in context.dates(line.text))
    if not counts:
        return
    repeated, count = counts.most_common(1)[0]
    if count >= 2 and counts[result.issue_date] < count:
        result.issue_date = repeated
        result.confidence["issue_date"] = CONFIDENCE_DATE_REPEATED


def _apply_date_with_time(result: ExtractionResult, context: DocumentContext) -> None:
    """Take the first date printed with a time of day over an unlabelled date.

    A date found by no label may be part of a product code ("HD03-04-06"),
    while the till prints the sale's date with its time ("19-09-17 15:39").
    """
    if result.issue_date is not None and _confidence(result, "issue_date") > (
        CONFIDENCE_FALLBACK_DATE
    ):
        return
    for line in context.lines:
        for match in find_dates(line.text, day_first=context.day_first):
            if _TIME_AFTER.match(line.text[match.end :]):
                result.issue_date = match.value
                result.confidence["issue_date"] = CONFIDENCE_DATE_WITH_TIME
                return


def _apply_year_from_reference(
    result: ExtractionResult, context: DocumentContext
) -> None:
    """Correct a misread digit of the date's year from a reference number.

    Tills often build the receipt number from the date ("OR18031202170432"
    for 12 Mar 2018). When the digits of the date with a year one digit away
    are printed, and the digits with the read year are not, the year was
    misread ("2013" for "2018").
    """
    value = result.issue_date
    if value is None or (value.month, value.day) == (2, 29):
        # Another year may have no 29 February.
        return
    runs = [run for line in context.lines for run in re.findall(r"\d{6,}", line.text)]
    if _printed_compact(value, runs):
        return
    latest_year = datetime.now(UTC).year + 1
    found = [
        value.replace(year=year)
        for year in range(2000, latest_year + 1)
        if _one_digit_apart(year, value.year)
        and _printed_compact(value.replace(year=year), runs)
    ]
    if len(found) == 1:
        result.issue_date = found[0]


def _printed_compact(value: date, runs: list[str]) -> bool:
    """Return whether a run of digits contains ``value`` as YYYYMMDD or YYMMDD."""
    forms = (value.strftime("%Y%m%d"), value.strftime("%y%m%d"))
    return any(form in run for run in runs for form in forms)


def _one_digit_apart(first: int, second: int) -> bool:
    pairs = zip(f"{first:04d}", f"{second:04d}", strict=True)
    return sum(a != b for a, b in pairs) == 1


def _apply_compact_date(result: ExtractionResult, context: DocumentContext) -> None:
    """Take a date printed as eight digits, day first, when no other is found.

    Only a valid date that is not after the next calendar year counts, so
    most phone and account numbers do not.
    """
    latest_year = datetime.now(UTC).year + 1
    for line in context.lines:
        for match in _COMPACT_DATE.finditer(line.text):
            day, month, year = (int(part) for part in match.groups())
            if year > latest_year:
                continue
            try:
                value = date(year, month, day)
            except ValueError:
                continue
            result.issue_date = value
            result.confidence["issue_date"] = CONFIDENCE_DATE_COMPACT
            return


def _merchant(lines: list[Line]) -> str | None:
    """Return the merchant's name from the top lines of the receipt."""
    best: tuple[int, int, str] | None = None
    for index, line in enumerate(lines[:_MERCHANT_LINES]):
        text = line.text.strip(" -*.")
        score = _merchant_score(text)
        if score > 0 and (best is None or score > best[0]):
            best = (score, -index, text)
    return best[2] if best else None


def _merchant_score(text: str) -> int:
    letters = [character for character in text if character.isalpha()]
    if len(letters) < 3 or find_labels(text):
        return 0
    score = 1
    if _MERCHANT_LEGAL_FORM.search(text):
        score += 2
    if all(character.isupper() for character in letters) or text.istitle():
        score += 1
    if any(character.isdigit() for character in text):
        # Addresses, phone and registration numbers.
        score -= 1
    return score
