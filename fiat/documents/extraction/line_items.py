"""Invoice lines read from the table under a column header (``columns``).

Every line below the header with an amount in the line amount column is an
invoice line. A line with text only under the description, directly below
a row and printed as large, continues that row's description. Smaller
print below a row (an article number, a serial number) is left out. A line
that starts with a total label ("Subtotaal € 112,00") ends a section of
the table, and the next rows may continue after it.

The lines are checked against the totals: their amounts must add up to the
net total. When sections or indented sub-rows ("Incl.
Thuiskopieheffing") make the difference, the reading that adds up is kept.
Amounts that include VAT ("Prijs incl. BTW", or a column that adds up to
the gross total) are turned into net amounts (``line_values.to_net``).
When no reading adds up, the first section is kept and the result carries
a warning. A document without a net total is not checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from fiat.documents.extraction.columns import (
    Column,
    Header,
    assign_cells,
    find_header,
)
from fiat.documents.extraction.context import DocumentContext
from fiat.documents.extraction.labels import Label
from fiat.documents.extraction.layout import Line, Word
from fiat.documents.extraction.line_values import CENT, line_fields, to_net, words_text
from fiat.documents.extraction.pairing import LabelHit
from fiat.documents.extraction.result import (
    DocumentType,
    ExtractionResult,
    LineFields,
)

_TOTAL_LABELS = frozenset(
    {Label.TOTAL_NET, Label.TOTAL_GROSS, Label.TOTAL_VAT, Label.AMOUNT_DUE}
)
_TEXT_COLUMNS = frozenset({Column.DESCRIPTION, Column.ITEM})
# A continuation line is at most this many line heights below the row, and
# its print at least this share of the row's description height.
_MAX_CONTINUATION_GAP = 1.2
_MIN_CONTINUATION_HEIGHT = 0.85
# The table ends at a gap of this many line heights without rows.
_MAX_TABLE_GAP = 6.0
# A description that starts this many letter heights right of its header is
# indented: a detail of the row above.
_INDENT_RATIO = 0.5


@dataclass
class _Row:
    header: Header
    cells: dict[Column, list[Word]]
    line_index: int
    indented: bool
    description: list[str] = field(default_factory=list)


def read_line_items(
    result: ExtractionResult, hits: list[LabelHit], context: DocumentContext
) -> None:
    """Set ``result.lines`` from the document's line table, if it has one."""
    sections = _sections(context.lines, hits)
    if not sections:
        return
    lines, warning = _choose_reading(sections, result, context)
    if result.document_type == DocumentType.CREDIT_NOTE:
        # Credit notes print negative amounts; EN 16931 keeps lines positive.
        for line in lines:
            for name in ("quantity", "unit_price", "net_amount"):
                value = getattr(line, name)
                if value is not None:
                    setattr(line, name, abs(value))
    result.lines = lines
    if warning:
        result.warnings.append(warning)


def _sections(lines: list[Line], hits: list[LabelHit]) -> list[tuple[Header, list]]:
    """Return the table's sections as (header, rows), in reading order."""
    sections: list[tuple[Header, list[_Row]]] = []
    header: Header | None = None
    for index, line in enumerate(lines):
        new_header = find_header(line, index)
        if new_header is not None:
            header = new_header
            sections.append((header, []))
            continue
        if header is None or not _in_table(lines, index):
            header = None
            continue
        cells = assign_cells(header, line)
        rows = sections[-1][1]
        if _has_amount(cells) and _is_total(header, hits, index):
            sections.append((header, []))
        elif _has_amount(cells) and _description(cells):
            rows.append(_Row(header, cells, index, _is_indented(header, cells)))
        elif _continues(lines, rows, index, cells):
            rows[-1].description.append(_description(cells))
    return [section for section in sections if section[1]]


def _is_total(header: Header, hits: list[LabelHit], index: int) -> bool:
    """Check whether the line is a total: a total label starts it or is
    printed right of the descriptions ("Factuur totaal EUR 49,99")."""
    text_start = max(
        item.left for item in header.columns if item.column in _TEXT_COLUMNS
    )
    numbers_start = min(
        (
            item.left
            for item in header.columns
            if item.column not in _TEXT_COLUMNS and item.left > text_start
        ),
        default=text_start,
    )
    return any(
        hit.line_index == index
        and hit.label in _TOTAL_LABELS
        and (not hit.prefix.strip() or hit.left >= numbers_start)
        for hit in hits
    )


def _in_table(lines: list[Line], index: int) -> bool:
    previous, line = lines[index - 1], lines[index]
    height = max(previous.bottom - previous.top, 1.0)
    return line.page == previous.page and (
        line.top - previous.bottom <= _MAX_TABLE_GAP * height
    )


def _has_amount(cells: dict[Column, list[Word]]) -> bool:
    return any(
        words_text(cells, column) and _has_digit(cells, column)
        for column in (Column.AMOUNT, Column.AMOUNT_GROSS)
    )


def _has_digit(cells: dict[Column, list[Word]], column: Column) -> bool:
    return any(character.isdigit() for character in words_text(cells, column))


def _continues(
    lines: list[Line], rows: list[_Row], index: int, cells: dict[Column, list[Word]]
) -> bool:
    if not rows or set(cells) - {Column.DESCRIPTION, Column.ITEM}:
        return False
    row = rows[-1]
    previous = lines[max(row.line_index, index - 1)]
    row_words = row.cells.get(Column.DESCRIPTION) or row.cells.get(Column.ITEM)
    words = cells.get(Column.DESCRIPTION) or cells.get(Column.ITEM)
    if not row_words or not words:
        return False
    height = max(word.height for word in row_words)
    gap = lines[index].top - previous.bottom
    large = max(word.height for word in words) >= _MIN_CONTINUATION_HEIGHT * height
    return gap <= _MAX_CONTINUATION_GAP * height and large


def _is_indented(header: Header, cells: dict[Column, list[Word]]) -> bool:
    column = Column.DESCRIPTION if Column.DESCRIPTION in cells else Column.ITEM
    words = cells.get(column)
    start = next((item.left for item in header.columns if item.column == column), None)
    if not words or start is None:
        return False
    return words[0].left - start > _INDENT_RATIO * words[0].height


def _choose_reading(
    sections: list[tuple[Header, list[_Row]]],
    result: ExtractionResult,
    context: DocumentContext,
) -> tuple[list[LineFields], str | None]:
    readings = []
    for count in range(1, len(sections) + 1):
        rows = [row for _, section in sections[:count] for row in section]
        readings.append(rows)
        readings.append([row for row in rows if not row.indented])
    includes_vat = sections[0][0].includes_vat
    # Each row is read once, because the readings share most of their rows.
    read_rows: dict[int, LineFields] = {}

    def read_row(row: _Row) -> LineFields:
        if id(row) not in read_rows:
            read_rows[id(row)] = _row_fields(row, context)
        return read_rows[id(row)]

    for rows in readings:
        lines = [read_row(row) for row in rows]
        if not includes_vat and _adds_up(lines, result.total_net):
            return lines, None
        # Amounts that add up to the gross total include VAT, unless the
        # document states no net total to tell them apart.
        known_net = includes_vat or result.total_net is not None
        if known_net and _adds_up(lines, result.total_gross):
            return to_net(lines), None
    lines = [_row_fields(row, context) for row in readings[0]]
    if includes_vat:
        return to_net(lines), None
    return lines, _mismatch(lines, result)


def _adds_up(lines: list[LineFields], total: Decimal | None) -> bool:
    if total is None or any(line.net_amount is None for line in lines):
        return False
    line_sum = sum((line.net_amount for line in lines), Decimal(0))
    return abs(abs(line_sum) - abs(total)) <= CENT


def _mismatch(lines: list[LineFields], result: ExtractionResult) -> str | None:
    amounts = [line.net_amount for line in lines if line.net_amount is not None]
    if result.total_net is None or not amounts:
        return None
    line_sum = sum(amounts, Decimal(0))
    if abs(abs(line_sum) - result.total_net) <= CENT:
        return None
    return (
        f"invoice lines add up to {line_sum}, not to the net total {result.total_net}"
    )


def _description(cells: dict[Column, list[Word]]) -> str:
    column = Column.DESCRIPTION if Column.DESCRIPTION in cells else Column.ITEM
    return words_text(cells, column)


def _row_fields(row: _Row, context: DocumentContext) -> LineFields:
    description = " ".join([_description(row.cells), *row.description]).strip()
    return line_fields(row.header, row.cells, description, context)
