"""Conventions of one document, decided once from all of its text.

A document uses one date order and one decimal separator throughout, so
both are decided from every line before any value is read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from fiat.documents.extraction.amounts import AmountMatch, find_amounts
from fiat.documents.extraction.dates import find_dates
from fiat.documents.extraction.layout import Line
from fiat.documents.extraction.pairing import LabelHit


@dataclass(frozen=True)
class DocumentContext:
    """Conventions of one document, decided from all of its text."""

    lines: list[Line]
    day_first: bool
    decimal_separator: str | None
    # The amounts found per text of this document: the readers of totals,
    # VAT rows, lines and the currency often read the same text.
    _amounts: dict[str, list[AmountMatch]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def dates(self, text: str) -> list[date]:
        return [match.value for match in find_dates(text, day_first=self.day_first)]

    def amounts(self, text: str) -> list[AmountMatch]:
        """Return the amounts in ``text`` after blanking out its dates."""
        found = self._amounts.get(text)
        if found is None:
            found = self._amounts[text] = self._find_amounts(text)
        return list(found)

    def _find_amounts(self, text: str) -> list[AmountMatch]:
        for match in find_dates(text, day_first=self.day_first):
            text = (
                text[: match.start]
                + " " * (match.end - match.start)
                + text[match.end :]
            )
        return find_amounts(text, decimal_separator=self.decimal_separator)


def scored_regions(hit: LabelHit) -> Iterator[tuple[str, float]]:
    """Yield the value texts of a label with the score of a value found there."""
    for region in hit.regions:
        yield region.text, hit.strength * region.placement
