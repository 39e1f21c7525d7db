"""The names of the supplier and the customer.

A name carries no check digits, so the supplier's name is chosen by the
evidence of several places that name the issuer:

- the sender line above the address window ("Helder · Schepenbergweg 22 ·
  1105 AT Amsterdam");
- the account holder in the payment request ("ten name van X", "account
  holder X", "Titulaire du compte : X");
- a footer line that prints the name with KvK, VAT and bank details;
- the letterhead: the supplier's address block, or a name in large print at
  the top of the first page;
- a name with a legal form ("B.V.", "GmbH") near the supplier's identifiers
  or repeated on the page.

A name printed in the customer's block, or one of the receiving company's
own names, is never the supplier's. The customer's name is the first line
of its address block.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from statistics import median

from fiat.documents.extraction.blocks import (
    SEPARATOR,
    Block,
    Role,
    is_name,
    sender_name,
)
from fiat.documents.extraction.labels import CUSTOMER_MARKER, Label, find_labels
from fiat.documents.extraction.layout import Line
from fiat.documents.extraction.own import OwnIdentifiers, name_key
from fiat.documents.extraction.pairing import LabelHit

_LEGAL_FORM = re.compile(
    r"(?<![^\W_])(?:B\.\s?V\.?|BV|N\.\s?V\.?|NV|V\.O\.F\.|VOF|GmbH|AG|KG|e\.\s?K\."
    r"|SE|SAS|SARL|S\.A\.R\.L\.|SA|S\.A\.|SNC|EURL|Ltd\.?|Limited|Inc\.?|LLC|PLC"
    r"|Pvt\.?\s+Ltd\.?|Private\s+Limited|BVBA|SRL|Sdn\.?\s+Bhd\.?|spółka\s+akcyjna)"
    r"(?![^\W_])"
)
_PAYEE = re.compile(
    r"(?:ten\s+name\s+van|t\.\s?n\.\s?v\.|rekeninghouder|account\s+holder"
    r"|beneficiary|payable\s+to|in\s+fav(?:o|ou)r\s+of|sold\s+by|verkocht\s+door"
    r"|titulaire\s+du\s+compte|b[ée]n[ée]ficiaire|kontoinhaber(?:in)?"
    r"|beg[üu]nstigter|zahlungsempf[äa]nger)\s*:?\s*",
    re.IGNORECASE,
)
# The end of a name in running text, such as ", onder vermelding" or ", quoting".
_NAME_END = re.compile(r",\s+(?=[a-z])|\s{2,}|\s[-\u2013]\s|$")
_IDENTIFIER_LABELS = frozenset({Label.COC_NUMBER, Label.VAT_NUMBER, Label.IBAN})
_EN_DASH = "\u2013"
# Evidence weights, from a name that only the issuer prints (the sender
# line, the account holder) down to a name that merely has a legal form.
WEIGHT_SENDER_LINE = 4
WEIGHT_PAYEE = 4
WEIGHT_LABELLED_BLOCK = 4
WEIGHT_LETTERHEAD = 3
WEIGHT_FOOTER = 3
WEIGHT_LEGAL_FORM = 1
WEIGHT_NEAR_IDENTIFIERS = 2
# A name found in two or more places gets this confidence, one in a single
# place the lower one.
CONFIDENCE_CONFIRMED_NAME = 0.7
CONFIDENCE_NAME = 0.4
CONFIDENCE_CUSTOMER_NAME = 0.6
_LARGE_PRINT_RATIO = 1.4
_LETTERHEAD_LINES = 8
# Identifiers at most this many line heights below a name are near it.
_ANCHOR_HEIGHTS = 10


@dataclass
class _Candidate:
    score: float = 0.0
    sources: set[str] = field(default_factory=set)
    # Printed forms with the weight of the place each came from.
    forms: dict[str, float] = field(default_factory=dict)
    first_line: int = 10**9

    def add(self, text: str, weight: float, source: str, line_index: int) -> None:
        self.score += weight
        self.sources.add(source)
        self.forms[text] = max(self.forms.get(text, 0.0), weight)
        self.first_line = min(self.first_line, line_index)

    @property
    def text(self) -> str:
        """Return the printed form, preferring mixed case to capitals."""
        return max(self.forms, key=lambda form: (not form.isupper(), self.forms[form]))


@dataclass(frozen=True)
class Names:
    supplier: str | None
    supplier_confidence: float
    customer: str | None

    @property
    def customer_confidence(self) -> float:
        return CONFIDENCE_CUSTOMER_NAME if self.customer else 0.0


def read_names(
    lines: list[Line], hits: list[LabelHit], blocks: list[Block], own: OwnIdentifiers
) -> Names:
    """Choose the supplier's and the customer's names."""
    customer = _customer_name(blocks, lines, own)
    excluded = {
        name_key(block.name)
        for block in blocks
        if block.name and (block.role in (Role.CUSTOMER, Role.DELIVERY))
    }
    if customer:
        excluded.add(name_key(customer))
    candidates: dict[str, _Candidate] = {}
    for text, weight, source, line_index in _evidence(lines, hits, blocks):
        key = name_key(text)
        if not key or key in excluded or own.has_name(text):
            continue
        candidates.setdefault(key, _Candidate()).add(text, weight, source, line_index)
    if not candidates:
        return Names(None, 0.0, customer)
    best = max(candidates.values(), key=lambda item: (item.score, -item.first_line))
    confirmed = len(best.sources) >= 2
    confidence = CONFIDENCE_CONFIRMED_NAME if confirmed else CONFIDENCE_NAME
    if customer is None:
        customer = _only_other_address(blocks, name_key(best.text))
    return Names(best.text, confidence, customer)


def _customer_name(
    blocks: list[Block], lines: list[Line], own: OwnIdentifiers
) -> str | None:
    for block in blocks:
        if block.role == Role.CUSTOMER and block.name:
            return block.name
    for line in lines:
        for cell in line.cells:
            if own.has_name(cell.text):
                return cell.text.strip(" ,;")
    return None


def _only_other_address(blocks: list[Block], supplier_key: str) -> str | None:
    """Return the name of the one unassigned address that is not the supplier's."""
    others = [
        block
        for block in blocks
        if block.role is None
        and block.page == 0
        and block.name
        and name_key(block.name) != supplier_key
    ]
    return others[0].name if len(others) == 1 else None


def _evidence(
    lines: list[Line], hits: list[LabelHit], blocks: list[Block]
) -> Iterator[tuple[str, float, str, int]]:
    """Yield (name, weight, kind of place, line index) for every candidate."""
    for block in blocks:
        if block.role == Role.SUPPLIER and block.name:
            weight = WEIGHT_LABELLED_BLOCK if block.labelled else WEIGHT_LETTERHEAD
            yield block.name, weight, "block", block.entries[0][0]
    yield from _letterhead_names(lines)
    for index, line in enumerate(lines):
        for cell in line.cells:
            yield from _cell_evidence(cell.text, index, lines)
    yield from _legal_form_names(lines, hits)


def _cell_evidence(
    text: str, index: int, lines: list[Line]
) -> Iterator[tuple[str, float, str, int]]:
    # Sender lines and footers have parts between separators, and most cells
    # have no separator at all.
    if SEPARATOR.search(text) is not None:
        name = sender_name(text)
        if name and is_name(name):
            yield name, WEIGHT_SENDER_LINE, "sender", index
        name = _footer_name(text)
        if name:
            yield name, WEIGHT_FOOTER, "footer", index
    for match in _PAYEE.finditer(text):
        rest = text[match.end() :]
        if not rest.strip() and index + 1 < len(lines):
            rest = lines[index + 1].cells[0].text
        name = _strip_sentence_end(rest[: _NAME_END.search(rest).start()])
        if is_name(name):
            yield name, WEIGHT_PAYEE, "payee", index


def _strip_sentence_end(text: str) -> str:
    """Strip punctuation after a name, but not the dot of "B.V." or "Ltd."."""
    text = text.strip(" ,:;")
    if text.endswith(".") and name_with_legal_form(text) != text:
        text = text.rstrip(".")
    return text


def _footer_name(text: str) -> str | None:
    """Return the name that opens a line of the supplier's registration details."""
    parts = SEPARATOR.split(text)
    if len(parts) < 2 or not is_name(parts[0]):
        return None
    labelled = any(
        match.label in _IDENTIFIER_LABELS
        for part in parts[1:]
        for match in find_labels(part)[:1]
    )
    return parts[0].strip() if labelled else None


def _letterhead_names(lines: list[Line]) -> Iterator[tuple[str, float, str, int]]:
    heights = [word.height for line in lines for word in line.words]
    if not heights:
        return
    typical = median(heights)
    for index, line in enumerate(lines[:_LETTERHEAD_LINES]):
        if line.page != 0:
            return
        for cell in line.cells:
            large = all(
                word.height >= _LARGE_PRINT_RATIO * typical for word in cell.words
            )
            # A title in large print ("Kopie factuur") names no party.
            if large and is_name(cell.text) and not find_labels(cell.text):
                yield cell.text, WEIGHT_LETTERHEAD, "letterhead", index


def _legal_form_names(
    lines: list[Line], hits: list[LabelHit]
) -> Iterator[tuple[str, float, str, int]]:
    """Yield names with a legal form, weighted up above the supplier's identifiers.

    A letterhead lists KvK number, VAT number or IBAN under the name, so a
    name is near when such a label follows within a few line heights.
    """
    anchors = [
        lines[hit.line_index]
        for hit in hits
        if hit.label in (*_IDENTIFIER_LABELS, Label.TOTAL_VAT) and not hit.for_customer
    ]
    for index, line in enumerate(lines):
        for cell in line.cells:
            name = name_with_legal_form(cell.text)
            if not name or CUSTOMER_MARKER.search(name):
                continue
            near = any(_is_below(line, anchor) for anchor in anchors)
            weight = WEIGHT_LEGAL_FORM + (WEIGHT_NEAR_IDENTIFIERS if near else 0)
            yield name, weight, "legal_form", index


def _is_below(line: Line, anchor: Line) -> bool:
    height = max(line.bottom - line.top, 1.0)
    distance = anchor.top - line.top
    return anchor.page == line.page and 0 <= distance <= _ANCHOR_HEIGHTS * height


def name_with_legal_form(text: str) -> str | None:
    """Return the company name that ends with a legal form in ``text``."""
    match = _LEGAL_FORM.search(text)
    if match is None:
        return None
    start = max(
        text.rfind(separator, 0, match.start()) for separator in (":", " - ", _EN_DASH)
    )
    name = text[start + 1 : match.end()].strip(f" -{_EN_DASH},")
    if len(name) <= len(match.group()) + 1:
        return None
    return name
