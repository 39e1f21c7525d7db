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
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

# A gap between two words wider than this many times the line height starts
# a new cell. A normal space is about 0.25 to 0.35 of the font size.
_CELL_GAP_RATIO = 1.0
# Two words are on one line when their vertical centres are closer than this
# share of the smaller word height.
_SAME_LINE_RATIO = 0.5


class cached_property:  # noqa: N801 - named after the functools descriptor
    """``functools.cached_property`` without its lock.

    Python 3.11's version takes a lock on every first read. Without it, the
    median time to read one of invoice2data's sample PDFs fell from about 19
    to 11 ms on a 2-core machine. Cells and lines are built and read by one
    thread, so they need no lock.
    """

    def __init__(self, compute: Callable[[Any], Any]) -> None:
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = self.compute(instance)
        # The instance attribute now hides this non-data descriptor.
        instance.__dict__[self.name] = value
        return value


@dataclass(frozen=True)
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


@dataclass
class Cell:
    """Words of one line that are printed close together, left to right."""

    words: list[Word]

    # The properties are cached: a cell's words are complete once
    # ``build_lines`` returns it, and layout code reads them many times.
    @cached_property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)

    @cached_property
    def left(self) -> float:
        return self.words[0].left

    @cached_property
    def right(self) -> float:
        return self.words[-1].right

    @cached_property
    def top(self) -> float:
        return min(word.top for word in self.words)

    @cached_property
    def bottom(self) -> float:
        return max(word.bottom for word in self.words)

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


@dataclass
class Line:
    page: int
    cells: list[Cell] = field(default_factory=list)

    @cached_property
    def words(self) -> list[Word]:
        return [word for cell in self.cells for word in cell.words]

    @cached_property
    def text(self) -> str:
        return " ".join(cell.text for cell in self.cells)

    @cached_property
    def top(self) -> float:
        return min(cell.top for cell in self.cells)

    @cached_property
    def bottom(self) -> float:
        return max(cell.bottom for cell in self.cells)


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
        (
            (word.page, (word.top + word.bottom) / 2, word.bottom - word.top, word)
            for word in words
            if word.text.strip()
        ),
        key=_page_and_middle,
    )
    rows: list[list[Word]] = []
    row_page = -1
    # Sorted middles and heights of the current row, for its medians.
    middles: list[float] = []
    heights: list[float] = []
    for page, middle, height, word in ordered:
        if (
            rows
            and page == row_page
            and abs(middle - _sorted_median(middles))
            <= _SAME_LINE_RATIO * min(height, _sorted_median(heights))
        ):
            rows[-1].append(word)
            insort(middles, middle)
            insort(heights, height)
        else:
            rows.append([word])
            row_page, middles, heights = page, [middle], [height]
    return rows


def _page_and_middle(item: tuple[int, float, float, Word]) -> tuple[int, float]:
    return item[0], item[1]


def _sorted_median(values: list[float]) -> float:
    middle = len(values) // 2
    if len(values) % 2:
        return values[middle]
    return (values[middle - 1] + values[middle]) / 2


def _split_cells(row: list[Word]) -> list[Cell]:
    line_height = _sorted_median(sorted([word.bottom - word.top for word in row]))
    cells = [Cell([row[0]])]
    for previous, word in pairwise(row):
        if word.left - previous.right > _CELL_GAP_RATIO * line_height:
            cells.append(Cell([word]))
        else:
            cells[-1].words.append(word)
    return cells
