"""Column headers of an invoice's line table, and the cells under them.

A line table starts with a header row such as "Omschrijving  Aantal  Prijs
Btw  Bedrag" or "Description  Qty  Unit price  VAT  Amount". Each header
word gives a column with the horizontal extent of its words. A header row
names at least three columns, one of them a description and one a line
amount, and contains nothing else. Several headers printed in one cell ("Prijs
BTW Hoeveelheid") are split by the positions of their words.

The cells of a row below go to the header they overlap. A cell that
overlaps several headers is split word by word. Numbers go to the column
they are printed under and other words stay with the text before them, so
a long description that runs under the next header is kept whole.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import StrEnum

from fiat.documents.extraction.layout import Cell, Line, Word


class Column(StrEnum):
    DESCRIPTION = "description"
    # An article number, product or position column: the description when
    # the table has no description column.
    ITEM = "item"
    QUANTITY = "quantity"
    UNIT_PRICE = "unit_price"
    AMOUNT = "amount"
    # A line amount including VAT ("Prijs incl. BTW", "Montant TTC").
    AMOUNT_GROSS = "amount_gross"
    VAT_RATE = "vat_rate"
    OTHER = "other"


_TAXES = r"(?:btw|vat|tax|mwst\.?|tva|gst)"
_HEADERS: dict[Column, str] = {
    Column.DESCRIPTION: (
        r"omschrijving|description|beschreibung|bezeichnung|d[ée]signation"
        r"|libell[ée]|leistung|omschr\."
    ),
    Column.ITEM: (
        r"artikel(?:\s*(?:nr\.?|nummer))?|article|items?|product|produkt|produit"
        r"|title|dienst|service|pos\.?|position|code|sku"
    ),
    Column.QUANTITY: (
        r"aantal|aant\.|qty|quantity|menge|anzahl|quantit[ée]|qt[ée]|nombre"
        r"|hoeveelheid|stuks|uren|hours"
    ),
    Column.UNIT_PRICE: (
        r"(?:unit\s*)?price|prijs(?:\s+per\s+(?:stuk|eenheid))?|stukprijs"
        r"|eenheidsprijs|tarief|rate|einzelpreis|preis|vk\s*-?\s*preis"
        r"|prix(?:\s+unitaire)?(?:\s+ht)?|p\.\s?u\.(?:\s*ht)?|unit\s+cost"
    ),
    Column.AMOUNT: (
        r"bedrag|amount|total|totaal|betrag|gesamt(?:preis)?|montant(?:\s+ht)?"
        r"|line\s+total|net(?:to)?(?:\s+amount)?|zeilenbetrag|summe"
        rf"|(?:bedrag|amount|total|totaal|montant)\s+excl\.?(?:usief)?\s*{_TAXES}"
    ),
    Column.AMOUNT_GROSS: (
        rf"(?:prijs|bedrag|totaal|amount|total|price|betrag|montant)"
        rf"\s+incl\.?(?:usief)?\s*{_TAXES}|montant\s+ttc|total\s+ttc|brutto"
    ),
    Column.VAT_RATE: (
        rf"{_TAXES}(?:\s*\(?%\)?)?|%\s*{_TAXES}|taxes|ust\.?|tax\s+rate|btw\s*-?\s*tarief"
    ),
    Column.OTHER: (
        r"disc(?:ount)?\.?\s*%?|korting\s*%?|rabatt\s*%?|remise|eenheid|einheit|unit"
    ),
}
_COMPILED = [
    (column, re.compile(rf"(?<!\w)(?:{pattern})(?:(?<=[^\w\s])|(?!\w))", re.I))
    for column, pattern in _HEADERS.items()
]
_DESCRIPTIONS = (Column.DESCRIPTION, Column.ITEM)
_AMOUNTS = (Column.AMOUNT, Column.AMOUNT_GROSS)
_MIN_COLUMNS = 3
# Share of a header row's letters that header words must cover.
_MIN_COVERAGE = 0.8
_NUMERIC = re.compile(r"\d|^[€$£%]$")


@dataclass(frozen=True)
class HeaderColumn:
    column: Column
    left: float
    right: float


@dataclass(frozen=True)
class Header:
    line_index: int
    columns: tuple[HeaderColumn, ...]

    def has(self, column: Column) -> bool:
        return any(item.column == column for item in self.columns)

    @property
    def includes_vat(self) -> bool:
        """Whether the line amounts include VAT ("Prijs incl. BTW")."""
        return self.has(Column.AMOUNT_GROSS) and not self.has(Column.AMOUNT)


def find_header(line: Line, line_index: int) -> Header | None:
    """Return the table header printed on ``line``, or None for another line."""
    columns: list[HeaderColumn] = []
    matched_texts: list[str] = []
    for cell in line.cells:
        text = cell.text
        for column, start, end in _header_matches(text):
            matched_texts.append(text[start:end])
            left, right = cell.span(start, end)
            columns.append(HeaderColumn(column, left, right))
    if len(columns) < _MIN_COLUMNS:
        return None
    kinds = {item.column for item in columns}
    if not kinds.intersection(_DESCRIPTIONS) or not kinds.intersection(_AMOUNTS):
        return None
    covered = sum(_letter_count(text) for text in matched_texts)
    total = sum(_letter_count(cell.text) for cell in line.cells)
    if covered < _MIN_COVERAGE * total:
        return None
    return Header(line_index, tuple(columns))


def _letter_count(text: str) -> int:
    return sum(map(str.isalpha, text))


def assign_cells(header: Header, line: Line) -> dict[Column, list[Word]]:
    """Return the words of a table row by the column they are printed under."""
    assigned: dict[Column, list[Word]] = {}
    for cell in line.cells:
        for column, words in _split_cell(header, cell):
            assigned.setdefault(column, []).extend(words)
    return assigned


@functools.lru_cache(maxsize=2048)
def _header_matches(text: str) -> tuple[tuple[Column, int, int], ...]:
    """Return the header words in ``text``, longest first where they overlap."""
    found = [
        (column, match.start(), match.end())
        for column, pattern in _COMPILED
        for match in pattern.finditer(text)
    ]
    found.sort(key=lambda item: item[1] - item[2])
    chosen: list[tuple[Column, int, int]] = []
    for item in found:
        if all(item[2] <= other[1] or other[2] <= item[1] for other in chosen):
            chosen.append(item)
    return tuple(sorted(chosen, key=lambda item: item[1]))


def _split_cell(header: Header, cell: Cell) -> list[tuple[Column, list[Word]]]:
    under = [item for item in header.columns if _overlap(item, cell.left, cell.right)]
    if not under:
        return [(_nearest(header, cell.left, cell.right).column, cell.words)]
    if len(under) == 1:
        return [(under[0].column, cell.words)]
    parts: list[tuple[Column, list[Word]]] = []
    for word in cell.words:
        column = parts[-1][0] if parts else under[0].column
        if _NUMERIC.search(word.text) or not parts:
            column = _nearest(header, word.left, word.right, under).column
        if parts and parts[-1][0] == column:
            parts[-1][1].append(word)
        else:
            parts.append((column, [word]))
    return parts


def _overlap(item: HeaderColumn, left: float, right: float) -> float:
    return max(0.0, min(item.right, right) - max(item.left, left))


def _nearest(
    header: Header,
    left: float,
    right: float,
    columns: list[HeaderColumn] | None = None,
) -> HeaderColumn:
    def distance(item: HeaderColumn) -> float:
        overlap = _overlap(item, left, right)
        if overlap > 0:
            return -overlap
        return max(item.left - right, left - item.right)

    return min(columns or header.columns, key=distance)
