"""Invoices read from the text layer of a born-digital PDF.

pypdfium2 gives every character of a page with its box. Characters are
joined into words at spaces and at gaps, the words are rebuilt into lines
and cells (``layout``), and the field logic shared with OCR (``fields``)
picks the invoice fields. A PDF without a text layer (a scan) returns None,
so the caller falls back to OCR.
"""

from __future__ import annotations

import ctypes
import logging
import math
import re
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
POINTS_PER_INCH = 72
# The maximum number of pixels of a rendered page: an A2 page at 300 dpi. A larger
# page is rendered at a lower resolution.
MAX_RENDER_PIXELS = 35_000_000
# A gap between two characters wider than this share of the character height
# splits a word even without a space: tables often position each cell
# without printing a space between them.
_WORD_GAP_RATIO = 0.35
# A run of printed characters: whitespace and NUL end a word.
_PRINTED_RUN = re.compile(r"[^\s\x00]+")
# FPDFText_GetLooseCharBox(text_page, index, rect) declared without argument
# types, so that ctypes converts no argument: the caller passes a c_void_p,
# an int and a byref() pointer, which ctypes passes as they are. pypdfium2's
# declaration checks the type of every argument, which took about a quarter
# of the time of reading the boxes of invoice2data's sample invoices. With
# the three types declared, reading the boxes took about a fifth longer.
_GET_LOOSE_CHAR_BOX = ctypes.CFUNCTYPE(ctypes.c_int)(
    ctypes.cast(pdfium_c.FPDFText_GetLooseCharBox, ctypes.c_void_p).value
)
_RECT_SIZE = ctypes.sizeof(pdfium_c.FS_RECTF)
# Control characters other than tab and line breaks, specials and surrogates.
_CONTROL_CHARACTER = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufff0-\uffff]"
)


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
    count = 0
    for word in words:
        count += len(word.text)
        if count >= _MIN_TEXT_CHARS:
            return True
    return False


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
        if "password" in str(error).lower():
            raise ExtractionError(
                "encrypted_pdf",
                f"The PDF {path} is protected with a password, so Fiat cannot "
                "read it. Ask the sender for a copy without a password.",
            ) from error
        reason = str(error).rstrip(".")
        raise ExtractionError(
            "not_a_pdf", f"The file {path} is not a readable PDF: {reason}."
        ) from error
    if len(document) == 0:
        document.close()
        raise ExtractionError("no_pages", f"The PDF {path} has no pages.")
    return document


def render_scale(page: pypdfium2.PdfPage, dpi: float) -> float:
    """Return the pypdfium2 render scale for ``dpi``, capped at MAX_RENDER_PIXELS.

    A PDF can declare a page many metres wide in a few bytes, and rendering
    it at full resolution would take gigabytes of memory.
    """
    scale = dpi / POINTS_PER_INCH
    area = page.get_width() * page.get_height() * scale * scale
    if area > MAX_RENDER_PIXELS:
        scale *= math.sqrt(MAX_RENDER_PIXELS / area)
    return scale


def _page_words(page: pypdfium2.PdfPage, page_index: int) -> list[Word]:
    """Return the words of one page, joined from its characters.

    A word ends at a space (printed, or generated by pdfium between text
    runs) and at a gap between two characters (``_WORD_GAP_RATIO``).
    """
    # NOTE: boxes are in the unrotated page space, so on a page with /Rotate
    # 90 or 270 the lines run vertically and labels pair badly with values.
    text_page = page.get_textpage()
    page_height = page.get_height()
    text = _page_text(text_page)
    runs = [run.span() for run in _PRINTED_RUN.finditer(text)]
    boxes = _char_boxes(text_page, runs, len(text))
    words: list[Word] = []
    for start, end, left, bottom, right, top in _split_runs(boxes, runs):
        # Positional arguments take about half the time of keywords here.
        words.append(
            Word(
                text[start:end],
                left,
                page_height - top,
                right,
                page_height - bottom,
                page_index,
            )
        )
    return words


def _page_text(text_page: pypdfium2.PdfTextPage) -> str:
    """Return the page's text with one character per index of pdfium's list.

    One call for the whole page took a tenth of the time of one call per
    character on invoice2data's sample invoices. Its text is used only when
    its length and the position of the last character show that pdfium left
    no character out and added none. pdfium writes some control characters
    differently there (U+0002 as U+FFFE), so control and special characters
    are read again one by one.
    """
    count = text_page.count_chars()
    if count == 0:
        return ""
    raw_page = text_page.raw
    get_unicode = pdfium_c.FPDFText_GetUnicode
    text = text_page.get_text_range()
    last_index = pdfium_c.FPDFText_GetTextIndexFromCharIndex(raw_page, count - 1)
    if len(text) != count or last_index != count - 1:
        return "".join(chr(get_unicode(raw_page, index)) for index in range(count))
    return _CONTROL_CHARACTER.sub(
        lambda match: chr(get_unicode(raw_page, match.start())), text
    )


def _char_boxes(
    text_page: pypdfium2.PdfTextPage, runs: list[tuple[int, int]], count: int
) -> list[float]:
    """Return the loose box of every character in ``runs``, four floats each.

    The box of character ``i`` is at ``4 * i``: left, top, right, bottom in
    points from the bottom left. Characters outside the runs get zeros.
    """
    boxes = (ctypes.c_float * (4 * count))()
    raw_page = ctypes.cast(text_page.raw, ctypes.c_void_p)
    get_box = _GET_LOOSE_CHAR_BOX
    byref = ctypes.byref
    for start, end in runs:
        for index in range(start, end):
            get_box(raw_page, index, byref(boxes, _RECT_SIZE * index))
    return boxes[:]


def _split_runs(
    boxes: list[float], runs: list[tuple[int, int]]
) -> list[tuple[int, int, float, float, float, float]]:
    """Split each run of characters (start, end) of a page at gaps.

    Return (start, end, left, bottom, right, top) per word, in PDF points
    from the bottom left. The loop is written out flat, because it runs once
    for every character of every page. A function call per character
    doubled its time, and a call per run with a slice of ``boxes`` per
    character made it about 50% slower on invoice2data's sample invoices.
    """
    lefts, tops, rights, bottoms = boxes[0::4], boxes[1::4], boxes[2::4], boxes[3::4]
    words = []
    for start, end in runs:
        left, right = lefts[start], rights[start]
        top, bottom = tops[start], bottoms[start]
        previous_bottom, previous_right, previous_top = bottom, right, top
        word_start = start
        for index in range(start + 1, end):
            char_left = lefts[index]
            char_top = tops[index]
            char_right = rights[index]
            char_bottom = bottoms[index]
            height = previous_top - previous_bottom
            if char_top - char_bottom > height:
                height = char_top - char_bottom
            if height < 1.0:
                height = 1.0
            horizontal_gap = char_left - previous_right
            # The centres of the two characters differ by more than half a
            # height, up or down.
            vertical_shift = (char_bottom + char_top) - (previous_bottom + previous_top)
            if (
                horizontal_gap > _WORD_GAP_RATIO * height
                or horizontal_gap < -height
                or vertical_shift > height
                or vertical_shift < -height
            ):
                words.append((word_start, index, left, bottom, right, top))
                word_start = index
                left, bottom, right, top = char_left, char_bottom, char_right, char_top
            else:
                if char_left < left:
                    left = char_left
                if char_bottom < bottom:
                    bottom = char_bottom
                if char_right > right:
                    right = char_right
                if char_top > top:
                    top = char_top
            previous_bottom, previous_right, previous_top = (
                char_bottom,
                char_right,
                char_top,
            )
        words.append((word_start, end, left, bottom, right, top))
    return words
