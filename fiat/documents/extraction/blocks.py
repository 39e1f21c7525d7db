"""Address blocks: which printed party issues the invoice and which receives it.

An invoice prints two parties. The supplier's letterhead sits at the top of
the page (name, address, phone, e-mail) and its identifiers often repeat in
a footer. The customer's address sits in the envelope window, often under
a small sender line ("Kantoorhuis B.V. · Industrieweg 41 · 3542 AD
Utrecht") or after a label such as "Factuuradres" or "Bill to".

A block is a stack of cells on consecutive lines whose left, right or
centre edges line up. It counts as an address when it contains a postal code
line, or when a party label opens it. Each block gets a role from, in this
order: its label, a sender line above it, contact lines (a letterhead), and
else its place, the upper of two unlabelled addresses being the sender.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from fiat.documents.extraction.layout import Cell, Line
from fiat.documents.extraction.pairing import starts_with_label


class Role(StrEnum):
    SUPPLIER = "supplier"
    CUSTOMER = "customer"
    # A delivery or installation address: the customer's, but not its name.
    DELIVERY = "delivery"


# A party label is a whole cell ("Factuuradres") or ends with a colon ("Bill
# to: Taylor Riddel"), so that a name such as "Klant B.V." is no label.
_CUSTOMER_LABEL = re.compile(
    r"^(?:aan|to|bill(?:ed)?\s+to(?:\s+address)?|invoice\s+to|sold\s+to"
    r"|factuur\s*adres|factuur\s+aan|klant(?:gegevens)?|customer|debiteur"
    r"|rechnungs\s*(?:adresse|empf[äa]nger)|kunde|an"
    r"|adresse\s+de\s+facturation|factur[ée]\s+[àa]|client|destinataire)\s*(?::|$)",
    re.IGNORECASE,
)
_SUPPLIER_LABEL = re.compile(
    r"^(?:van|from|leverancier|supplier|seller|vendor|verkoper|afzender"
    r"|service\s+provider|issued\s+by|lieferant|verk[äa]ufer|absender"
    r"|fournisseur|vendeur|[ée]metteur)\s*(?::|$)",
    re.IGNORECASE,
)
_DELIVERY_LABEL = re.compile(
    r"^(?:aflever\s*adres|leveradres|ship(?:ped)?\s+to|deliver(?:y|ed)\s+(?:address|to)"
    r"|liefer\s*(?:adresse|anschrift)|adresse\s+de\s+(?:livraison|l['\u2019]installation))"
    r"\s*(?::|$)",
    re.IGNORECASE,
)
_LABELS = (_CUSTOMER_LABEL, _SUPPLIER_LABEL, _DELIVERY_LABEL)
_LABEL_ROLES = (Role.CUSTOMER, Role.SUPPLIER, Role.DELIVERY)
_ATTENTION = re.compile(
    r"^(?:t\.?\s?a\.?\s?v\.?|attn\.?|attention|z\.?\s?hd\.?|[àa]\s+l['\u2019]attention"
    r"\s+de)(?!\w)\s*:?\s*",
    re.IGNORECASE,
)
_POSTAL_LINE = re.compile(
    r"(?<![\w-])(?:\d{4}\s?[A-Z]{2}\s+[A-Z]"  # NL: 1015 AA Amsterdam
    r"|(?:[A-Z]{1,2}-)?\d{4,5}\s+[A-ZÀ-Ý][\w'\u2019.-]+"  # DE, FR, BE: 10117 Berlin
    r"|[A-Z]{2}\s+\d{5}(?:-\d{4})?(?!\d)"  # US: Fremont CA 94538
    r"|[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}(?![\w-]))"  # UK: SW1A 1AA
)
_CONTACT = re.compile(
    r"@|www\.|https?://|^(?:t|e|w|tel\.?|fax|phone|telefoon|email|e-mail|web)\s*:?\s"
    r"|^\+?\d[\d\s()/-]{7,}$",
    re.IGNORECASE,
)
# Separators between the parts of a sender or footer line.
SEPARATOR = re.compile(r"\s+[·•|\u2013\u2014:-]\s+")
# Cells of one block are at most this many line heights apart vertically.
_MAX_GAP_RATIO = 2.2
# Edges line up when they are closer than this share of the line height.
_ALIGN_RATIO = 0.6
_MAX_ADDRESS_WORDS = 5
_MAX_BLOCK_CELLS = 8
# Monograms and initials in a logo ("KN") are no names.
_MIN_NAME_LETTERS = 3
_MAX_NAME_WORDS = 8
_STREET = re.compile(r"^(?:\D+\s\d+\s?[a-zA-Z]?(?:[-/]\d+)?|\d+[a-zA-Z]?,?\s+\D+)$")


@dataclass
class Block:
    """Cells stacked on consecutive lines, with their line indexes."""

    entries: list[tuple[int, Cell]] = field(default_factory=list)
    role: Role | None = None
    labelled: bool = False

    @property
    def top(self) -> float:
        return self.entries[0][1].top

    @property
    def page(self) -> int:
        return self.entries[0][1].words[0].page

    def contains(self, line_index: int, left: float, right: float) -> bool:
        return any(
            index == line_index and cell.left <= right and left <= cell.right
            for index, cell in self.entries
        )

    @property
    def name(self) -> str | None:
        """The party's name: the first line that is neither a label nor a note.

        A block that starts with a street or a postal code contains no name,
        because a letterhead often prints the name apart from the address.
        """
        for _, cell in self.entries:
            text = _strip_label(cell.text).strip(" ,;")
            if not text or text.startswith("(") or is_sender_line(cell.text):
                continue
            if sum(character.isalpha() for character in text) < _MIN_NAME_LETTERS:
                continue
            return text if is_name(text) else None
        return None


def find_blocks(lines: list[Line]) -> list[Block]:
    """Return the address blocks of the document, each with its role if known."""
    blocks = [block for block in _stacks(lines) if _is_address(block)]
    for block in blocks:
        block.role = _labelled_role(block, lines)
        block.labelled = block.role is not None
    for block in blocks:
        if block.role is None and _follows_sender_line(block):
            block.role = Role.CUSTOMER
        elif block.role is None and _has_contact_lines(block):
            block.role = Role.SUPPLIER
    _assign_by_place(blocks)
    return blocks


def is_sender_line(text: str) -> bool:
    """Check whether ``text`` is a one-line return address ("A · B · 1234 AB C")."""
    parts = SEPARATOR.split(text)
    return len(parts) >= 3 and bool(_POSTAL_LINE.search(parts[-1]))


def sender_name(text: str) -> str | None:
    """Return the name that opens a sender line, else None."""
    return SEPARATOR.split(text)[0].strip() if is_sender_line(text) else None


def role_at(
    blocks: list[Block], line_index: int, left: float, right: float
) -> Role | None:
    """Return the role of the block printed at this place, or None."""
    for block in blocks:
        if block.contains(line_index, left, right):
            return block.role
    return None


def _stacks(lines: list[Line]) -> list[Block]:
    finished: list[Block] = []
    open_blocks: list[Block] = []
    for index, line in enumerate(lines):
        still_open = []
        for block in open_blocks:
            if _is_near(block, line):
                still_open.append(block)
            else:
                finished.append(block)
        open_blocks = still_open
        for cell in line.cells:
            for block in open_blocks:
                if _continues(block, cell, index):
                    break
            else:
                block = Block()
                open_blocks.append(block)
            block.entries.append((index, cell))
    return finished + open_blocks


def _is_near(block: Block, line: Line) -> bool:
    last = block.entries[-1][1]
    height = max(min(last.bottom - last.top, line.bottom - line.top), 1.0)
    same_page = last.words[0].page == line.page
    return same_page and line.top - last.bottom <= _MAX_GAP_RATIO * height


def _continues(block: Block, cell: Cell, line_index: int) -> bool:
    last_index, last = block.entries[-1]
    if last_index == line_index or len(block.entries) >= _MAX_BLOCK_CELLS:
        return False
    height = max(last.bottom - last.top, cell.bottom - cell.top, 1.0)
    tolerance = _ALIGN_RATIO * height
    centre_shift = abs((last.left + last.right) - (cell.left + cell.right)) / 2
    return (
        abs(last.left - cell.left) <= tolerance
        or abs(last.right - cell.right) <= tolerance
        or centre_shift <= tolerance
    )


def _is_address(block: Block) -> bool:
    first = block.entries[0][1].text
    if any(label.match(first) for label in _LABELS):
        return len(block.entries) > 1 or bool(_strip_label(first))
    return any(
        _POSTAL_LINE.search(cell.text)
        and len(cell.words) <= _MAX_ADDRESS_WORDS
        and not is_sender_line(cell.text)
        for _, cell in block.entries
    )


def _labelled_role(block: Block, lines: list[Line]) -> Role | None:
    texts = [block.entries[0][1].text]
    above = _cell_above(block, lines)
    if above is not None:
        texts.append(above.text)
    for text in texts:
        for label, role in zip(_LABELS, _LABEL_ROLES, strict=True):
            if label.match(text):
                return role
    return None


def _cell_above(block: Block, lines: list[Line]) -> Cell | None:
    index, first = block.entries[0]
    if index == 0:
        return None
    for cell in lines[index - 1].cells:
        if cell.left <= first.right and first.left <= cell.right:
            height = max(first.bottom - first.top, 1.0)
            if first.top - cell.bottom <= _MAX_GAP_RATIO * height:
                return cell
    return None


def _follows_sender_line(block: Block) -> bool:
    return is_sender_line(block.entries[0][1].text)


def _has_contact_lines(block: Block) -> bool:
    return any(_CONTACT.search(cell.text) for _, cell in block.entries)


def _assign_by_place(blocks: list[Block]) -> None:
    """Give roles to unlabelled blocks on the first page by their order.

    The upper of two addresses is the letterhead, the lower the addressee.
    When only the supplier's block is known, a single other address is the
    addressee, and when only the customer's is known, the upper other
    address is the letterhead. Any other block keeps no role.
    """
    unknown = sorted(
        (block for block in blocks if block.role is None and block.page == 0),
        key=lambda block: block.top,
    )
    has_supplier = any(block.role == Role.SUPPLIER for block in blocks)
    has_customer = any(block.role == Role.CUSTOMER for block in blocks)
    if len(unknown) >= 2 and not has_supplier and not has_customer:
        unknown[0].role, unknown[1].role = Role.SUPPLIER, Role.CUSTOMER
    elif len(unknown) == 1 and has_supplier and not has_customer:
        unknown[0].role = Role.CUSTOMER
    elif unknown and has_customer and not has_supplier:
        unknown[0].role = Role.SUPPLIER


def is_name(text: str) -> bool:
    """Check whether ``text`` can be a party's name, not an address or a label."""
    return not (
        len(text.split()) > _MAX_NAME_WORDS
        or ":" in text
        or sum(character.isalpha() for character in text) < _MIN_NAME_LETTERS
        or _STREET.match(text)
        or _POSTAL_LINE.search(text)
        or _CONTACT.search(text)
        or starts_with_label(text)
    )


def _strip_label(text: str) -> str:
    for pattern in (*_LABELS, _ATTENTION):
        match = pattern.match(text)
        if match:
            text = text[match.end() :].strip()
    return text
