"""Where a supplier's layout prints a field, learned from a clerk's correction.

When the clerk corrects a field, ``learn_hint`` looks for the corrected value
among the document's words and records how to find it again: the label
printed before it in its cell, in the cell to its left or in the cell above
it, and where on the page the value is printed. ``apply_hints`` reads the next
document of that layout with the hints; a hint that finds a value overrides
what the generic reader chose, because the clerk has shown it to be right
for this layout.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from fiat.documents.extraction.amounts import detect_decimal_separator, find_amounts
from fiat.documents.extraction.dates import detect_day_first, find_dates
from fiat.documents.extraction.layout import Cell, Line, Word, build_lines
from fiat.documents.extraction.result import ExtractionResult

AMOUNT_FIELDS = frozenset({"total_net", "total_vat", "total_gross", "amount_due"})
DATE_FIELDS = frozenset({"issue_date", "due_date"})
TEXT_FIELDS = frozenset(
    {
        "invoice_number",
        "po_reference",
        "payment_reference",
        "supplier.vat_number",
        "supplier.iban",
    }
)
LEARNABLE_FIELDS = AMOUNT_FIELDS | DATE_FIELDS | TEXT_FIELDS
CONFIDENCE_LEARNED = 0.9
# A value found only by its position must lie this close to the learned
# place, as a share of the page's width and height.
_POSITION_TOLERANCE = 0.05
_LABEL_NOISE = re.compile(r"[\s:#.=]+")
# IBANs and VAT numbers are printed in groups ("NL91 ABNA 0417 1643 00").
_IDENTIFIER_PATTERNS = {
    "supplier.iban": re.compile(r"(?<![A-Z0-9])[A-Z]{2}\d{2}(?:\s?[A-Z0-9]){11,30}"),
    "supplier.vat_number": re.compile(
        r"(?<![A-Z0-9])(?:ATU|[A-Z]{2})[\s.-]?\d(?:[\s.-]?[0-9A-Z]){6,13}"
    ),
}


class Placement:
    INLINE = "inline"  # after the label, in the label's cell
    RIGHT = "right"  # in a cell to the right of the label's cell
    BELOW = "below"  # in the cell under the label
    POSITION = "position"  # no label: only the place on the page


@dataclass(frozen=True)
class LayoutHint:
    field: str
    # The label, lower case, without spaces and punctuation ("factuurnummer").
    label: str
    placement: str
    page: int
    # The value's left edge and top as a share of the page's printed area.
    left: float
    top: float

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LayoutHint:
        return cls(**data)


@dataclass
class _Page:
    """The words of a document rebuilt into lines, with its number formats."""

    lines: list[Line]
    day_first: bool
    decimal_separator: str | None
    # Page number to (right edge, bottom) of its printed area.
    extent: dict[int, tuple[float, float]]

    @classmethod
    def from_words(cls, words: list[Word]) -> _Page:
        lines = build_lines(words)
        texts = [line.text for line in lines]
        extent: dict[int, tuple[float, float]] = {}
        for word in words:
            right, bottom = extent.get(word.page, (1.0, 1.0))
            extent[word.page] = (max(right, word.right), max(bottom, word.bottom))
        return cls(
            lines, detect_day_first(texts), detect_decimal_separator(texts), extent
        )

    def relative(self, cell: Cell, page: int) -> tuple[float, float]:
        right, bottom = self.extent.get(page, (1.0, 1.0))
        return cell.left / right, cell.top / bottom

    def values(self, field: str, text: str) -> list[tuple[int, object]]:
        """Return (start, value) of each value of ``field``'s kind in ``text``."""
        if field in AMOUNT_FIELDS:
            return [
                (match.start, abs(match.value))
                for match in find_amounts(
                    text, decimal_separator=self.decimal_separator
                )
            ]
        if field in DATE_FIELDS:
            return [
                (match.start, match.value)
                for match in find_dates(text, day_first=self.day_first)
            ]
        if field in _IDENTIFIER_PATTERNS:
            return [
                (match.start(), re.sub(r"[\s.-]", "", match.group()))
                for match in _IDENTIFIER_PATTERNS[field].finditer(text.upper())
            ]
        return [
            (match.start(), match.group().strip(".,;:()[]"))
            for match in re.finditer(r"[^\s:]{3,}", text)
            if any(character.isdigit() for character in match.group())
        ]


def learn_hint(words: list[Word], field: str, value: object) -> LayoutHint | None:
    """Return how to find ``value`` of ``field`` again, or None when not printed.

    ``value`` is the clerk's corrected value: a Decimal, a date or a string.
    """
    if field not in LEARNABLE_FIELDS or value in (None, ""):
        return None
    page = _Page.from_words(words)
    expected = _comparable(field, value)
    for line_index, line in enumerate(page.lines):
        for cell_index, cell in enumerate(line.cells):
            for start, found in page.values(field, cell.text):
                if _comparable(field, found) != expected:
                    continue
                label, placement = _label_of(page, line_index, cell_index, start)
                left, top = page.relative(cell, line.page)
                return LayoutHint(field, label, placement, line.page, left, top)
    return None


def apply_hints(
    result: ExtractionResult, words: list[Word], hints: list[LayoutHint]
) -> list[str]:
    """Set the fields that the hints find in ``words``; return their names."""
    if not hints:
        return []
    page = _Page.from_words(words)
    applied = []
    for hint in hints:
        value = find_with_hint(page, hint)
        if value is None:
            continue
        target: Any = result
        *parents, name = hint.field.split(".")
        for parent in parents:
            target = getattr(target, parent)
        setattr(target, name, value)
        result.confidence[hint.field] = CONFIDENCE_LEARNED
        applied.append(hint.field)
    return applied


def find_with_hint(page: _Page, hint: LayoutHint) -> object | None:
    """Return the value that ``hint`` points at, nearest its learned place."""
    found: list[tuple[float, object]] = []
    for line_index, line in enumerate(page.lines):
        for cell_index in range(len(line.cells)):
            value_cell, text = _value_place(page, hint, line_index, cell_index)
            if value_cell is None:
                continue
            values = page.values(hint.field, text)
            if values:
                distance = _distance(page, hint, value_cell, line.page)
                found.append((distance, values[0][1]))
    if not found:
        return None
    distance, value = min(found, key=lambda item: item[0])
    if hint.placement == Placement.POSITION and distance > _POSITION_TOLERANCE:
        return None
    return value


def _value_place(
    page: _Page, hint: LayoutHint, line_index: int, cell_index: int
) -> tuple[Cell | None, str]:
    """Return the cell and text where ``hint``'s value would be, for this cell."""
    line = page.lines[line_index]
    cell = line.cells[cell_index]
    if hint.placement == Placement.POSITION:
        return cell, cell.text
    if hint.placement == Placement.INLINE:
        prefix = _prefix_matching(cell.text, hint.label)
        if prefix is None:
            return None, ""
        return cell, cell.text[prefix:]
    if normalise_label(cell.text) != hint.label:
        return None, ""
    if hint.placement == Placement.RIGHT:
        if cell_index + 1 >= len(line.cells):
            return None, ""
        following = line.cells[cell_index + 1]
        return following, following.text
    below = _cell_below(page.lines, line_index, cell)
    return (below, below.text) if below is not None else (None, "")


def _label_of(
    page: _Page, line_index: int, cell_index: int, start: int
) -> tuple[str, str]:
    line = page.lines[line_index]
    cell = line.cells[cell_index]
    before = normalise_label(cell.text[:start])
    if before:
        return before, Placement.INLINE
    if cell_index > 0:
        label = normalise_label(line.cells[cell_index - 1].text)
        if label:
            return label, Placement.RIGHT
    above = _cell_above(page.lines, line_index, cell)
    if above is not None and normalise_label(above.text):
        return normalise_label(above.text), Placement.BELOW
    return "", Placement.POSITION


def normalise_label(text: str) -> str:
    """Return a label's text in lower case, without spaces and punctuation."""
    return _LABEL_NOISE.sub("", text).lower()


def _prefix_matching(text: str, label: str) -> int | None:
    """Return where the value starts when ``text`` begins with ``label``."""
    if not label:
        return None
    squeezed = ""
    for index, character in enumerate(text):
        if not _LABEL_NOISE.fullmatch(character):
            squeezed += character.lower()
        if squeezed == label:
            return index + 1
        if not label.startswith(squeezed):
            return None
    return None


def _cell_above(lines: list[Line], line_index: int, cell: Cell) -> Cell | None:
    for line in reversed(lines[max(0, line_index - 2) : line_index]):
        for other in line.cells:
            if other.overlaps_horizontally(cell):
                return other
    return None


def _cell_below(lines: list[Line], line_index: int, cell: Cell) -> Cell | None:
    for line in lines[line_index + 1 : line_index + 3]:
        for other in line.cells:
            if other.overlaps_horizontally(cell):
                return other
    return None


def _distance(page: _Page, hint: LayoutHint, cell: Cell, page_index: int) -> float:
    left, top = page.relative(cell, page_index)
    penalty = 0.0 if page_index == hint.page else 1.0
    return abs(left - hint.left) + abs(top - hint.top) + penalty


def _comparable(field: str, value: object) -> object:
    if field in AMOUNT_FIELDS:
        return abs(Decimal(str(value)))
    if field in DATE_FIELDS:
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    return re.sub(r"[\s.-]", "", str(value)).upper()
