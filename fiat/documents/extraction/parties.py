"""Supplier and customer identity: VAT number, IBAN, BIC, KvK number, name.

Identifiers are what can be checked: a VAT number and an IBAN pass
check-digit validation (python-stdnum, schwifty through
``fiat.core.identifiers``), a KvK number is labelled. Each one goes to the
supplier unless it is the customer's:

- labelled for the customer ("Uw BTW-nummer", "Your VAT number", "Ihre
  USt-IdNr.");
- printed in the customer's address block (``blocks``);
- one of the receiving company's own identifiers, when the caller passes
  them (``own``).

Names are chosen in ``party_names``. OCR often reads the digit 0 as the
letter O, so a value that fails validation is tried again with O as 0.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from fiat.core.identifiers import (
    InvalidIdentifierError,
    clean_bic,
    clean_coc_number,
    clean_iban,
    clean_vat_number,
)
from fiat.documents.extraction.blocks import Block, Role, find_blocks, role_at
from fiat.documents.extraction.labels import CUSTOMER_MARKER, Label
from fiat.documents.extraction.layout import Line
from fiat.documents.extraction.own import OwnIdentifiers
from fiat.documents.extraction.pairing import LabelHit
from fiat.documents.extraction.party_names import read_names
from fiat.documents.extraction.result import PartyFields

_IBAN_PATTERN = re.compile(r"(?<![A-Z0-9])[A-Z]{2}\d{2}(?:\s?[A-Z0-9]){11,30}")
_VAT_PATTERN = re.compile(
    r"(?<![A-Z0-9])(?:ATU|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|FR|HR|HU|IE|IT|LT|LU|LV|MT"
    r"|NL|PL|PT|RO|SE|SI|SK|XI|GB)[\s.-]?[0-9A-Z](?:[\s.-]?[0-9A-Z]){6,13}"
)
_COC_PATTERN = re.compile(r"(?<!\d)\d{8}(?!\d)")
CONFIDENCE_LABELLED = 0.9
CONFIDENCE_UNLABELLED = 0.6
# A labelled VAT number or IBAN whose check digits fail is kept as printed,
# so that the clerk sees it and the invoice checks report it as invalid.
CONFIDENCE_FAILED_CHECK = 0.3
CUSTOMER_ROLES = (Role.CUSTOMER, Role.DELIVERY)


_IDENTIFIERS = (
    ("vat_number", Label.VAT_NUMBER, _VAT_PATTERN, clean_vat_number),
    ("iban", Label.IBAN, _IBAN_PATTERN, clean_iban),
    ("bic", Label.BIC, None, clean_bic),
    ("coc_number", Label.COC_NUMBER, _COC_PATTERN, clean_coc_number),
)


@dataclass
class Parties:
    supplier: PartyFields
    customer: PartyFields
    confidence: dict[str, float]


@dataclass(frozen=True)
class _Layout:
    """The customer's address blocks and its known identifiers."""

    blocks: list[Block]
    own: OwnIdentifiers

    def party_of(
        self, parties: Parties, value: str, hit: LabelHit | None, role: Role | None
    ) -> PartyFields:
        for_customer = hit is not None and hit.for_customer
        if for_customer or role in CUSTOMER_ROLES or self.own.has_identifier(value):
            return parties.customer
        return parties.supplier


def read_parties(
    lines: list[Line], hits: list[LabelHit], own: OwnIdentifiers | None = None
) -> Parties:
    """Find the supplier's and customer's identifiers and names."""
    parties = Parties(PartyFields(), PartyFields(), {})
    layout = _Layout(find_blocks(lines), own or OwnIdentifiers())
    for name, label, pattern, clean in _IDENTIFIERS:
        labelled = [hit for hit in hits if hit.label == label]
        _read_labelled(parties, layout, name, labelled, pattern, clean)
        if pattern is not None and label != Label.COC_NUMBER:
            _read_unlabelled(parties, layout, name, lines, pattern, clean)
        if name in ("vat_number", "iban") and not getattr(parties.supplier, name):
            _read_failed_check(parties, layout, name, labelled, pattern)
    # A VAT amount label ("BTW NL810433941B01") often prints the VAT number.
    vat_hits = [hit for hit in hits if hit.label == Label.TOTAL_VAT]
    _read_labelled(
        parties, layout, "vat_number", vat_hits, _VAT_PATTERN, clean_vat_number
    )
    if parties.supplier.vat_number:
        parties.supplier.country = parties.supplier.vat_number[:2].replace("EL", "GR")
    elif parties.supplier.iban:
        parties.supplier.country = parties.supplier.iban[:2]
    names = read_names(lines, hits, layout.blocks, layout.own)
    parties.supplier.name, parties.customer.name = names.supplier, names.customer
    if names.supplier:
        parties.confidence["supplier.name"] = names.supplier_confidence
    if names.customer:
        parties.confidence["customer.name"] = names.customer_confidence
    return parties


def _read_labelled(
    parties: Parties,
    layout: _Layout,
    name: str,
    hits: list[LabelHit],
    pattern: re.Pattern[str] | None,
    clean: Callable[[str], str],
) -> None:
    for hit in hits:
        for region in hit.regions:
            value = _first_valid(region.text, pattern, clean)
            if value is None:
                continue
            role = role_at(layout.blocks, hit.line_index, hit.left, hit.right)
            party = layout.party_of(parties, value, hit, role)
            if not getattr(party, name):
                setattr(party, name, value)
                if party is parties.supplier:
                    parties.confidence[f"supplier.{name}"] = CONFIDENCE_LABELLED
            break


def _read_unlabelled(
    parties: Parties,
    layout: _Layout,
    name: str,
    lines: list[Line],
    pattern: re.Pattern[str],
    clean: Callable[[str], str],
) -> None:
    for index, line in enumerate(lines):
        # A match in a cell is also one in its line, whose text joins the
        # cells with spaces, so a line without a match needs no cell read.
        if pattern.search(line.text) is None:
            continue
        for cell in line.cells:
            for match in pattern.finditer(cell.text):
                if CUSTOMER_MARKER.search(cell.text[: match.start()]):
                    continue
                value = _longest_valid(match.group(), clean)
                if value is None:
                    continue
                role = role_at(layout.blocks, index, cell.left, cell.right)
                party = layout.party_of(parties, value, None, role)
                if getattr(party, name) or value == getattr(parties.customer, name):
                    continue
                setattr(party, name, value)
                if party is parties.supplier:
                    parties.confidence[f"supplier.{name}"] = CONFIDENCE_UNLABELLED


def _first_valid(
    text: str, pattern: re.Pattern[str] | None, clean: Callable[[str], str]
) -> str | None:
    if pattern is None:
        first_token = text.split()[0] if text.split() else ""
        return _longest_valid(first_token, clean)
    for match in pattern.finditer(
        text.upper() if pattern is not _COC_PATTERN else text
    ):
        value = _longest_valid(match.group(), clean)
        if value is not None:
            return value
    return None


def _read_failed_check(
    parties: Parties,
    layout: _Layout,
    name: str,
    hits: list[LabelHit],
    pattern: re.Pattern[str] | None,
) -> None:
    """Take a labelled value whose check digits fail, when nothing valid was found."""
    for hit in hits:
        for region in hit.regions:
            value = _first_shaped(region.text, pattern)
            if value is None:
                continue
            role = role_at(layout.blocks, hit.line_index, hit.left, hit.right)
            party = layout.party_of(parties, value, hit, role)
            if party is parties.supplier:
                setattr(party, name, value)
                parties.confidence[f"supplier.{name}"] = CONFIDENCE_FAILED_CHECK
                return
            break


def _first_shaped(text: str, pattern: re.Pattern[str] | None) -> str | None:
    """Return the first value of the identifier's shape at the start of ``text``.

    Only the first word group counts, so that a failed check never picks a
    number from further along the line.
    """
    if pattern is None:
        return None
    match = pattern.match(text.upper().lstrip(" :.#"))
    if match is None:
        return None
    return re.sub(r"[\s.-]", "", match.group())


def _longest_valid(text: str, clean: Callable[[str], str]) -> str | None:
    """Clean the longest prefix of ``text``, word by word, that is valid.

    A pattern match can run into the next word ("NL50INGB0683251309 BIC"),
    so shorter prefixes are tried until one validates.
    """
    words = text.split()
    for count in range(len(words), 0, -1):
        prefix = " ".join(words[:count])
        # OCR reads the digit 0 as the letter O; the country code stays.
        for variant in (prefix, prefix[:2] + prefix[2:].replace("O", "0")):
            try:
                return clean(variant)
            except InvalidIdentifierError:
                continue
    return None
