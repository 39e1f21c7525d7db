"""Invoices read from the text layer of a born-digital PDF.

pypdfium2 gives every character of a page with its box. Characters are
joined into words at spaces and at gaps, the words are rebuilt into lines
and cells (``layout``), and the field logic shared with OCR (``fields``)
picks the invoice fields. A PDF without a text layer (a scan) returns None,
so the caller falls back to OCR.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c

from fiat.documents.extraction.fields import read_fields
from fiat.documents.extraction.layout import Word
from fiat.documents.extraction.result import ExtractionError, ExtractionResult, Source

logger = logging.getLogger(__name__)

# A page with fewer readable characters than this counts as having no text
# layer. Scans often carry a few stray characters (a page number, a stamp).
_MIN_TEXT_CHARS = 20
# A gap between two characters wider than this share of the character height
# splits a word even without a space: tables often position each cell
# without printing a space between them.
_WORD_GAP_RATIO = 0.35


def read_pdf_text(
    path: str | Path, *, own_identifiers: frozenset[str] = frozenset()
) -> ExtractionResult | None:
    """Read invoice fields from the PDF's text layer.

    ``own_identifiers`` are the receiving company's VAT numbers, KvK
    numbers, IBANs and names, which are never taken for the supplier's.
    Return None when the PDF has no usable text layer. Raise
    ExtractionError when the file is not a readable PDF.
    """
    words = read_pdf_words(path)
    if not has_text_layer(words):
        logger.info("PDF %s has no text layer", path)
        return None
    return read_fields(
        words, file=str(path), source=Source.PDF_TEXT, own_identifiers=own_identifiers
    )


def has_text_layer(words: list[Word]) -> bool:
    """Check whether the words of a PDF are enough to read it without OCR."""
    return sum(len(word.text) for word in words) >= _MIN_TEXT_CHARS


def read_pdf_words(path: str | Path) -> list[Word]:
    """Return the words of every page, with boxes in points from the top left.

    Raise ExtractionError when the file is not a readable PDF.
    """
    document = open_pdf(path)
    try:
        words = []
        for index in range(len(document)):
            page = document[index]
            words.extend(_page_words(page, index))
        return words
    finally:
        document.close()


def open_pdf(path: str | Path) -> pypdfium2.PdfDocument:
    """Open a PDF with pypdfium2, raising ExtractionError when it cannot."""
    if Path(path).stat().st_size == 0:
        raise ExtractionError("empty_file", f"The file {path} is empty.")
    try:
        document = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError as error:
        raise ExtractionError(
            "not_a_pdf", f"The file {path} is not a readable PDF: {error}."
        ) from error
    if len(document) == 0:
        document.close()
        raise ExtractionError("no_pages", f"The PDF {path} has no pages.")
    return document


def _page_words(page: pypdfium2.PdfPage, page_index: int) -> list[Word]:
    # NOTE: boxes are in the unrotated page space, so on a page with /Rotate
    # 90 or 270 the lines run vertically and labels pair badly with values.
    text_page = page.get_textpage()
    page_height = page.get_height()
    words: list[Word] = []
    current: list[tuple[str, tuple[float, float, float, float]]] = []
    for index in range(text_page.count_chars()):
        character = chr(pdfium_c.FPDFText_GetUnicode(text_page, index))
        if pdfium_c.FPDFText_IsGenerated(text_page, index) == 1 or (
            character.isspace() or character == "\x00"
        ):
            _flush_word(current, words, page_index, page_height)
            continue
        box = text_page.get_charbox(index, loose=True)
        if current and _is_gap(current[-1][1], box):
            _flush_word(current, words, page_index, page_height)
        current.append((character, box))
    _flush_word(current, words, page_index, page_height)
    return words


def _is_gap(
    previous: tuple[float, float, float, float], box: tuple[float, float, float, float]
) -> bool:
    height = max(previous[3] - previous[1], box[3] - box[1], 1.0)
    horizontal_gap = box[0] - previous[2]
    vertical_shift = abs((box[1] + box[3]) - (previous[1] + previous[3])) / 2
    return (
        horizontal_gap > _WORD_GAP_RATIO * height
        or horizontal_gap < -height
        or vertical_shift > height / 2
    )


def _flush_word(
    current: list[tuple[str, tuple[float, float, float, float]]],
    words: list[Word],
    page_index: int,
    page_height: float,
) -> None:
    if not current:
        return
    text = "".join(character for character, _ in current)
    lefts, bottoms, rights, tops = zip(*(box for _, box in current), strict=True)
    words.append(
        Word(
            text=text,
            left=min(lefts),
            top=page_height - max(tops),
            right=max(rights),
            bottom=page_height - min(bottoms),
            page=page_index,
        )
    )
    current.clear()
