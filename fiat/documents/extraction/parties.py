"""Supplier and customer identity: VAT number, IBAN, BIC, KvK number, name.

The supplier is identified by what can be checked first: a VAT number and an
IBAN pass check-digit validation (python-stdnum, schwifty through
``fiat.core.identifiers``), a KvK number is labelled. The name is a guess:
the line with a legal form ("B.V.", "GmbH", "SAS") that is printed near the
supplier's identifiers or repeated on the page, so it gets a low confidence.

An identifier labelled for the customer ("Uw BTW-nummer", "Your VAT
number", "Ihre USt-IdNr.") goes to the customer, never to the supplier.
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
from fiat.documents.extraction.labels import CUSTOMER_MARKER, Label
from fiat.documents.extraction.layout import Line
from fiat.documents.extraction.pairing import LabelHit
from fiat.documents.extraction.result import PartyFields

_IBAN_PATTERN = re.compile(r"(?<![A-Z0-9])[A-Z]{2}\d{2}(?:\s?[A-Z0-9]){11,30}")
_VAT_PATTERN = re.compile(
    r"(?<![A-Z0-9])(?:ATU|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|FR|HR|HU|IE|IT|LT|LU|LV|MT"
    r"|NL|PL|PT|RO|SE|SI|SK|XI)[\s.-]?[0-9A-Z](?:[\s.-]?[0-9A-Z]){6,13}"
)
_COC_PATTERN = re.compile(r"(?<!\d)\d{8}(?!\d)")
_LEGAL_FORM = re.compile(
    r"(?<![^\W_])(?:B\.\s?V\.?|BV|N\.\s?V\.?|NV|V\.O\.F\.|VOF|GmbH|AG|KG|e\.\s?K\."
    r"|SE|SAS|SARL|S\.A\.R\.L\.|SA|S\.A\.|SNC|EURL|Ltd\.?|Limited|Inc\.?|LLC|PLC"
    r"|Pvt\.?\s+Ltd\.?|Private\s+Limited|BVBA|SRL|Sdn\.?\s+Bhd\.?|spółka\s+akcyjna)"
    r"(?![^\W_])"
)
_EN_DASH = "\u2013"
CONFIDENCE_LABELLED = 0.9
CONFIDENCE_UNLABELLED = 0.6
CONFIDENCE_NAME = 0.4


@dataclass
class Parties:
    supplier: PartyFields
    customer: PartyFields
    confidence: dict[str, float]


def read_parties(lines: list[Line], hits: list[LabelHit]) -> Parties:
    """Find the supplier's and customer's identifiers and the supplier's name."""
    parties = Parties(PartyFields(), PartyFields(), {})
    identifiers = (
        ("vat_number", Label.VAT_NUMBER, _VAT_PATTERN, clean_vat_number),
        ("iban", Label.IBAN, _IBAN_PATTERN, clean_iban),
        ("bic", Label.BIC, None, clean_bic),
        ("coc_number", Label.COC_NUMBER, _COC_PATTERN, clean_coc_number),
    )
    for name, label, pattern, clean in identifiers:
        _read_labelled(parties, name, hits, label, pattern, clean)
        if pattern is not None and label != Label.COC_NUMBER:
            _read_unlabelled(parties, name, lines, pattern, clean)
    # A VAT amount label ("BTW NL810433941B01") often prints the VAT number.
    vat_hits = [hit for hit in hits if hit.label == Label.TOTAL_VAT]
    _read_labelled(
        parties, "vat_number", vat_hits, Label.TOTAL_VAT, _VAT_PATTERN, clean_vat_number
    )
    if parties.supplier.vat_number:
        parties.supplier.country = parties.supplier.vat_number[:2].replace("EL", "GR")
    elif parties.supplier.iban:
        parties.supplier.country = parties.supplier.iban[:2]
    _read_supplier_name(parties, lines, hits)
    return parties


def _read_labelled(
    parties: Parties,
    name: str,
    hits: list[LabelHit],
    label: Label,
    pattern: re.Pattern[str] | None,
    clean: Callable[[str], str],
) -> None:
    for hit in hits:
        if hit.label != label:
            continue
        party = parties.customer if hit.for_customer else parties.supplier
        if getattr(party, name):
            continue
        for region in hit.regions:
            value = _first_valid(region.text, pattern, clean)
            if value is not None:
                setattr(party, name, value)
                if party is parties.supplier:
                    parties.confidence[f"supplier.{name}"] = CONFIDENCE_LABELLED
                break


def _read_unlabelled(
    parties: Parties,
    name: str,
    lines: list[Line],
    pattern: re.Pattern[str],
    clean: Callable[[str], str],
) -> None:
    if getattr(parties.supplier, name):
        return
    customer_value = getattr(parties.customer, name)
    for line in lines:
        for cell in line.cells:
            for match in pattern.finditer(cell.text):
                if CUSTOMER_MARKER.search(cell.text[: match.start()]):
                    continue
                value = _longest_valid(match.group(), clean)
                if value is not None and value != customer_value:
                    setattr(parties.supplier, name, value)
                    parties.confidence[f"supplier.{name}"] = CONFIDENCE_UNLABELLED
                    return


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


def _longest_valid(text: str, clean: Callable[[str], str]) -> str | None:
    """Clean the longest prefix of ``text``, word by word, that is valid.

    A pattern match can run into the next word ("NL50INGB0683251309 BIC"),
    so shorter prefixes are tried until one validates.
    """
    words = text.split()
    for count in range(len(words), 0, -1):
        try:
            return clean(" ".join(words[:count]))
        except InvalidIdentifierError:
            continue
    return None


def _read_supplier_name(
    parties: Parties, lines: list[Line], hits: list[LabelHit]
) -> None:
    anchors = {
        hit.line_index
        for hit in hits
        if hit.label
        in (Label.VAT_NUMBER, Label.IBAN, Label.COC_NUMBER, Label.TOTAL_VAT)
        and not hit.for_customer
    }
    best: tuple[float, str] | None = None
    counts: dict[str, int] = {}
    for line in lines:
        for cell in line.cells:
            name = _name_with_legal_form(cell.text)
            if name:
                counts[name] = counts.get(name, 0) + 1
    for index, line in enumerate(lines):
        for cell in line.cells:
            name = _name_with_legal_form(cell.text)
            if not name or CUSTOMER_MARKER.search(name):
                continue
            near = any(0 <= anchor - index <= 8 for anchor in anchors)
            score = counts[name] + (2 if near else 0) - index / 1000
            if best is None or score > best[0]:
                best = (score, name)
    if best is not None:
        parties.supplier.name = best[1]
        parties.confidence["supplier.name"] = CONFIDENCE_NAME


def _name_with_legal_form(text: str) -> str | None:
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
