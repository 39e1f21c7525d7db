"""Labels paired with the text printed after them, to their right or below.

For every label on a line (``labels.find_labels``) this module collects the
text where its value can be, in order of preference:

1. inline: the rest of the label's cell, up to the next label
   ("Factuurnummer: 993548900");
2. right: the next cells of the same line, up to a cell that starts with a
   label ("Total TTC" ... "171,36 €" printed in another column);
3. next line: the start of the next line, for a label that ends a line of
   running text ("... onder vermelding van betalingskenmerk" and then
   "F2025-0437." at the start of the next line);
4. below: the cell of one of the next two lines that lies under the label
   ("Invoice Date:" above "03/20/2023", table headers above their values).

Each place carries a factor that lowers the confidence of what is found
there, because a value below a label is often the first row of a table.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from fiat.documents.extraction.amounts import find_amounts
from fiat.documents.extraction.labels import (
    CUSTOMER_IN_LABEL,
    CUSTOMER_MARKER,
    Label,
    find_labels,
)
from fiat.documents.extraction.layout import Cell, Line

INLINE = 1.0
RIGHT = 0.9
NEXT_LINE = 0.8
BELOW = 0.5
# The value below a label is at most this many label heights lower.
_MAX_BELOW_DISTANCE = 3.0
_MAX_LINES_BELOW = 2
# A value two lines below its label is less likely to be its value than one
# directly below.
_FARTHER_LINE_FACTOR = 0.6
_TOTAL_LABELS = frozenset(
    {Label.TOTAL_NET, Label.TOTAL_VAT, Label.TOTAL_GROSS, Label.AMOUNT_DUE}
)
# A column of a totals table: the rows per VAT rate and the row of their sum.
_MIN_COLUMN_ROWS = 3
_MAX_COLUMN_ROWS = 8
# The sum row may stand apart by a blank line; this many label heights.
_MAX_COLUMN_GAP = 2.0


@dataclass(frozen=True)
class Region:
    text: str
    placement: float


@dataclass
class LabelHit:
    label: Label
    strength: float
    line_index: int
    # The label's own text and the text of its line before it.
    label_text: str
    prefix: str
    left: float
    right: float
    regions: list[Region]

    @property
    def for_customer(self) -> bool:
        """Whether the label names the customer's value ("Uw BTW-nummer")."""
        return bool(
            CUSTOMER_MARKER.search(self.prefix)
            or CUSTOMER_IN_LABEL.search(self.label_text)
        )


def find_label_hits(lines: list[Line]) -> list[LabelHit]:
    """Return every label of the document with the places of its value."""
    hits = []
    for line_index, line in enumerate(lines):
        for cell_index, cell in enumerate(line.cells):
            hits.extend(_cell_hits(lines, line_index, cell_index, cell))
    return hits


def starts_with_label(text: str) -> bool:
    matches = find_labels(text)
    return bool(matches) and matches[0].start <= 1


def _cell_hits(
    lines: list[Line], line_index: int, cell_index: int, cell: Cell
) -> list[LabelHit]:
    text = cell.text
    matches = find_labels(text)
    line = lines[line_index]
    hits = []
    for position, match in enumerate(matches):
        next_start = (
            matches[position + 1].start if position + 1 < len(matches) else len(text)
        )
        inline = text[match.end : next_start].strip(" :=")
        is_last = next_start == len(text)
        left, right = cell.span(match.start, match.end)
        regions = [Region(inline, INLINE)] if inline else []
        if is_last:
            regions += _right_regions(line.cells[cell_index + 1 :])
            if match.start > 0 and cell_index == len(line.cells) - 1:
                regions += _next_line_regions(lines, line_index, cell)
            regions += _below_regions(lines, line_index, left, right, match.label)
        prefix = " ".join(
            [*(other.text for other in line.cells[:cell_index]), text[: match.start]]
        )
        hits.append(
            LabelHit(
                label=match.label,
                strength=match.strength,
                line_index=line_index,
                label_text=text[match.start : match.end],
                prefix=prefix,
                left=left,
                right=right,
                regions=regions,
            )
        )
    return hits


def _right_regions(cells: list[Cell]) -> list[Region]:
    texts = []
    for cell in cells:
        if starts_with_label(cell.text):
            break
        texts.append(cell.text)
    return [Region(" ".join(texts), RIGHT)] if texts else []


def _next_line_regions(lines: list[Line], line_index: int, cell: Cell) -> list[Region]:
    """Return the start of the next line when ``cell`` is wrapped running text."""
    if line_index + 1 >= len(lines) or cell.text.endswith("."):
        return []
    line, following = lines[line_index], lines[line_index + 1]
    first = following.cells[0]
    height = line.bottom - line.top
    wrapped = (
        following.page == line.page
        and abs(first.left - cell.left) <= height
        and following.top - line.bottom <= height
    )
    return [Region(first.text, NEXT_LINE)] if wrapped else []


def _below_regions(
    lines: list[Line], line_index: int, left: float, right: float, label: Label
) -> list[Region]:
    line = lines[line_index]
    height = line.bottom - line.top
    if label in _TOTAL_LABELS:
        column_total = _column_total(lines, line_index, left, right)
        if column_total is not None:
            return [Region(column_total, BELOW)]
    placement = BELOW
    for below in lines[line_index + 1 : line_index + 1 + _MAX_LINES_BELOW]:
        if below.page != line.page or below.top - line.bottom > (
            _MAX_BELOW_DISTANCE * height
        ):
            break
        for cell in below.cells:
            if cell.left < right and left < cell.right:
                if starts_with_label(cell.text):
                    return []
                return [Region(cell.text, placement)]
        placement *= _FARTHER_LINE_FACTOR
    return []


def _column_total(
    lines: list[Line], line_index: int, left: float, right: float
) -> str | None:
    """Return the last cell of a column under a header that sums the cells above.

    A totals table prints one row per VAT rate and a last row with their
    sum under headers such as "Nettobetrag" and "Endbetrag". The sum is the
    document's total, not the first row.
    """
    line = lines[line_index]
    height = line.bottom - line.top
    cells: list[Cell] = []
    previous = line
    for below in lines[line_index + 1 : line_index + 1 + _MAX_COLUMN_ROWS]:
        gap = below.top - previous.bottom
        if below.page != line.page or gap > _MAX_COLUMN_GAP * height:
            break
        overlapping = [
            cell for cell in below.cells if cell.left < right and left < cell.right
        ]
        if not overlapping or starts_with_label(overlapping[0].text):
            break
        cells.append(overlapping[0])
        previous = below
    if len(cells) < _MIN_COLUMN_ROWS:
        return None
    values = []
    for cell in cells:
        amounts = find_amounts(cell.text)
        if len(amounts) != 1:
            return None
        values.append(amounts[0].value)
    if sum(values[:-1], Decimal(0)) != values[-1]:
        return None
    return cells[-1].text
