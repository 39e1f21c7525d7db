"""Positioned words rebuilt into lines and cells.

The PDF text layer and OCR both give words with a bounding box. Invoices
print labels and values in tables and columns, so the order of the text in
the file shows little of what belongs together. This module groups words
into lines by their vertical position and splits each line into cells at wide
horizontal gaps, so that a label and its value can be paired by where they
are printed ("to the right of" or "below").

Coordinates are in points (PDF) or pixels (images) with the origin at the
top left of the page: ``top`` is smaller than ``bottom``.
"""

from __future__ import annotations

from bisect import insort
from dataclasses import dataclass, field
from itertools import pairwise
from operator import itemgetter

# A gap between two words wider than this many times the line height starts
# a new cell. A normal space is about 0.25 to 0.35 of the font size.
_CELL_GAP_RATIO = 1.0
# Two words are on one line when their vertical centres are closer than this
# share of the smaller word height.
_SAME_LINE_RATIO = 0.5


# Word, Cell and Line have slots and are not frozen, because creating them
# is a large part of reading a PDF. A frozen dataclass sets each field through
# ``object.__setattr__``: on Python 3.11, creating a Word took about 1
# microsecond that way and 0.16 with slots and positional arguments. The
# readers never change them once built.
@dataclass(slots=True)
class Word:
    text: str
    left: float
    top: float
    right: float
    bottom: float
    page: int = 0
    # OCR confidence from 0 to 1; 1 for the text layer of a PDF.
    confidence: float = 1.0

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class Cell:
    """Words of one line that are printed close together, left to right.

    The text and the box are computed from ``words`` once, when the cell is
    created, because layout code reads them many times.
    """

    words: list[Word]
    text: str = field(init=False, repr=False, compare=False)
    left: float = field(init=False, repr=False, compare=False)
    right: float = field(init=False, repr=False, compare=False)
    top: float = field(init=False, repr=False, compare=False)
    bottom: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        words = self.words
        if len(words) == 1:
            word = words[0]
            self.text, self.left, self.right = word.text, word.left, word.right
            self.top, self.bottom = word.top, word.bottom
            return
        self.text = " ".join([word.text for word in words])
        self.left = words[0].left
        self.right = words[-1].right
        self.top = min([word.top for word in words])
        self.bottom = max([word.bottom for word in words])

    def overlaps_horizontally(self, other: Cell) -> bool:
        return self.left < other.right and other.left < self.right

    def span(self, start: int, end: int) -> tuple[float, float]:
        """Return the horizontal extent of the words that hold text[start:end]."""
        position = 0
        lefts, rights = [], []
        for word in self.words:
            word_end = position + len(word.text)
            if position < end and start < word_end:
                lefts.append(word.left)
                rights.append(word.right)
            position = word_end + 1
        return min(lefts), max(rights)


@dataclass(slots=True)
class Line:
    """Cells printed on one line, left to right, with their joined text and box."""

    page: int
    cells: list[Cell]
    words: list[Word] = field(init=False, repr=False, compare=False)
    text: str = field(init=False, repr=False, compare=False)
    top: float = field(init=False, repr=False, compare=False)
    bottom: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        cells = self.cells
        self.words = [word for cell in cells for word in cell.words]
        self.text = " ".join([cell.text for cell in cells])
        self.top = min([cell.top for cell in cells])
        self.bottom = max([cell.bottom for cell in cells])


def build_lines(words: list[Word]) -> list[Line]:
    """Group words into lines, top to bottom and page by page.

    Each line is split into cells wherever the gap between two neighbouring
    words is wider than the line height.
    """
    lines = []
    for group in _group_rows(words):
        group.sort(key=_left_of)
        lines.append(Line(page=group[0].page, cells=_split_cells(group)))
    return lines


def _left_of(word: Word) -> float:
    return word.left


def _group_rows(words: list[Word]) -> list[list[Word]]:
    """Group words whose vertical centres are close, in order of the centres.

    A word joins the current row when its centre is within half the smaller
    of its height and the row's median height from the row's median centre.
    """
    # (page, middle, height, word): computed once, because the loop reads
    # them for every word. The sort key leaves out the word, so words with
    # the same page and middle keep their order.
    ordered = sorted(
        [
            (word.page, (word.top + word.bottom) / 2, word.bottom - word.top, word)
            for word in words
            if word.text.strip()
        ],
        key=_PAGE_AND_MIDDLE,
    )
    rows: list[list[Word]] = []
    row_page = -1
    # Sorted middles and heights of the current row, and their medians.
    middles: list[float] = []
    heights: list[float] = []
    row_middle = row_height = 0.0
    for page, middle, height, word in ordered:
        if page == row_page and abs(middle - row_middle) <= _SAME_LINE_RATIO * (
            height if height < row_height else row_height
        ):
            rows[-1].append(word)
            insort(middles, middle)
            insort(heights, height)
            row_middle = _sorted_median(middles)
            row_height = _sorted_median(heights)
        else:
            rows.append([word])
            row_page, middles, heights = page, [middle], [height]
            row_middle, row_height = middle, height
    return rows


_PAGE_AND_MIDDLE = itemgetter(0, 1)


def _sorted_median(values: list[float]) -> float:
    middle = len(values) // 2
    if len(values) % 2:
        return values[middle]
    return (values[middle - 1] + values[middle]) / 2


def _split_cells(row: list[Word]) -> list[Cell]:
    line_height = _sorted_median(sorted([word.bottom - word.top for word in row]))
    max_gap = _CELL_GAP_RATIO * line_height
    groups = [[row[0]]]
    for previous, word in pairwise(row):
        if word.left - previous.right > max_gap:
            groups.append([word])
        else:
            groups[-1].append(word)
    return [Cell(group) for group in groups]
