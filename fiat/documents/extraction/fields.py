"""Invoice fields chosen from positioned words, shared by the PDF text layer
and OCR.

The words are rebuilt into lines (``layout``), and labels are paired with
the text after, beside or below them (``pairing``). Each field takes the
value of its best label. A label that names the field plainly, with the
value in the same cell, scores highest. Totals are chosen by their
arithmetic (``totals``), identifiers by their check digits and the block
they are printed in (``parties``), and invoice lines come from the table
under a column header (``line_items``).

Confidence per field, from 0 to 1: 0.9 for a plainly labelled reference or
date, 0.75 for a plainly labelled total that no arithmetic confirms, 0.9 to
0.98 for totals that add up, and 0.6 for a value computed from others. A
guess gets below 0.5: a weak label such as "Datum", a value found below
its label, a supplier's name found in one place only. OCR results are
scaled down by the mean word confidence of the page.
"""

from __future__ import annotations

import re
from datetime import date

from stdnum import iso11649

from fiat.documents.extraction.amount_fields import read_amounts
from fiat.documents.extraction.amounts import detect_decimal_separator
from fiat.documents.extraction.context import DocumentContext, scored_regions
from fiat.documents.extraction.dates import detect_day_first, find_dates
from fiat.documents.extraction.labels import Label
from fiat.documents.extraction.layout import Word, build_lines
from fiat.documents.extraction.line_items import read_line_items
from fiat.documents.extraction.own import OwnIdentifiers
from fiat.documents.extraction.pairing import LabelHit, find_label_hits
from fiat.documents.extraction.parties import read_parties
from fiat.documents.extraction.result import ExtractionResult, Source

_REFERENCE_PREFIX = re.compile(r"^(?:n[°ºo]\.?|no\.|nr\.?|#|:|\s)+", re.IGNORECASE)
# An ISO 11649 creditor reference: "RF", two check digits and up to 21
# letters or digits, printed in groups of four ("RF39 CW20 2510 457").
_CREDITOR_REFERENCE = re.compile(r"^RF\d{2}(?:\s?[0-9A-Z]){1,21}")
# A Dutch payment reference (betalingskenmerk) of 16 digits in groups of four,
# or another long number printed in groups of four.
_GROUPED_REFERENCE = re.compile(r"^\d{4}(?:\s\d{4}){2,4}")
_REFERENCE_LABELS = {
    Label.INVOICE_NUMBER: "invoice_number",
    Label.PO_REFERENCE: "po_reference",
    Label.PAYMENT_REFERENCE: "payment_reference",
}
_DATE_LABELS = {Label.ISSUE_DATE: "issue_date", Label.DUE_DATE: "due_date"}
CONFIDENCE_FALLBACK_DATE = 0.3
CONFIDENCE_DATE_BESIDE_NUMBER = 0.6


def read_fields(
    words: list[Word],
    *,
    file: str,
    source: Source,
    own_identifiers: frozenset[str] = frozenset(),
) -> ExtractionResult:
    """Read the invoice fields of one document from its positioned words.

    ``own_identifiers`` are the receiving company's VAT numbers, KvK
    numbers, IBANs and names: a value that matches one is the customer's.
    """
    lines = build_lines(words)
    texts = [line.text for line in lines]
    context = DocumentContext(
        lines=lines,
        day_first=detect_day_first(texts),
        decimal_separator=detect_decimal_separator(texts),
    )
    hits = find_label_hits(lines)
    result = ExtractionResult(file=file, source=source)
    _read_references(result, hits)
    _read_dates(result, hits, context)
    read_amounts(result, hits, context)
    read_line_items(result, hits, context)
    own = OwnIdentifiers.from_values(own_identifiers)
    parties = read_parties(lines, hits, own)
    result.supplier, result.customer = parties.supplier, parties.customer
    result.confidence.update(parties.confidence)
    _scale_by_ocr_confidence(result, words)
    return result


def _scale_by_ocr_confidence(result: ExtractionResult, words: list[Word]) -> None:
    """Lower every field's confidence by the OCR engine's mean word confidence.

    NOTE: this uses the mean over the whole document, not the confidence of
    the words of each value, so one badly read value is not singled out.
    """
    if not words:
        return
    mean = sum(word.confidence for word in words) / len(words)
    if mean < 1:
        for name, value in result.confidence.items():
            result.confidence[name] = round(value * mean, 2)


def _read_references(result: ExtractionResult, hits: list[LabelHit]) -> None:
    best: dict[str, tuple[float, str]] = {}
    for hit in hits:
        name = _REFERENCE_LABELS.get(hit.label)
        if name is None or (hit.for_customer and name != "po_reference"):
            continue
        for text, score in scored_regions(hit):
            value = parse_reference(text)
            if value is not None:
                if name not in best or score > best[name][0]:
                    best[name] = (score, value)
                break
    for name, (score, value) in best.items():
        setattr(result, name, value)
        result.confidence[name] = round(0.9 * score, 2)


def parse_reference(text: str) -> str | None:
    """Return the reference at the start of ``text``, such as "VF1005193039".

    A reference has at least three characters and a digit, and is neither a
    date nor an amount. Payment references printed in groups ("RF18 5390
    0754 7034", "1234 5678 9012 3456") are returned without their spaces.
    """
    text = _REFERENCE_PREFIX.sub("", text.strip())
    creditor_reference = _creditor_reference(text)
    if creditor_reference:
        return creditor_reference
    grouped = _GROUPED_REFERENCE.match(text)
    if grouped:
        return grouped.group().replace(" ", "")
    tokens = text.split()
    if not tokens:
        return None
    token = tokens[0].strip(".,;:()[]")
    if len(token) < 3 or not any(character.isdigit() for character in token):
        return None
    if find_dates(token) or re.fullmatch(r"[\d.,]+[.,]\d{2}", token):
        return None
    return token


def _creditor_reference(text: str) -> str | None:
    """Return the longest valid ISO 11649 reference at the start of ``text``.

    The pattern can run into the next word ("RF39 CW20 2510 457 IBAN"), so
    shorter readings are tried until the check digits fit.
    """
    match = _CREDITOR_REFERENCE.match(text)
    if match is None:
        return None
    compact = match.group().replace(" ", "")
    for end in range(len(compact), 4, -1):
        if iso11649.is_valid(compact[:end]):
            return compact[:end]
    return None


def _read_dates(
    result: ExtractionResult, hits: list[LabelHit], context: DocumentContext
) -> None:
    best: dict[str, tuple[float, date]] = {}
    for hit in hits:
        name = _DATE_LABELS.get(hit.label)
        if name is None:
            continue
        for text, score in scored_regions(hit):
            dates = context.dates(text)
            if dates:
                if name not in best or score > best[name][0]:
                    best[name] = (score, dates[0])
                break
    # "Rechnungskorrektur Nr. RK21 vom 16.09.2018" prints the issue date
    # beside the number, which beats a date found through a weak label.
    beside_number = _date_beside_number(hits, context)
    if beside_number is not None and (
        "issue_date" not in best or best["issue_date"][0] < beside_number[0]
    ):
        best["issue_date"] = beside_number
    if "issue_date" not in best:
        fallback = _fallback_issue_date(context)
        if fallback is not None:
            best["issue_date"] = fallback
    for name, (score, value) in best.items():
        setattr(result, name, value)
        result.confidence[name] = round(0.9 * score, 2)


def _date_beside_number(
    hits: list[LabelHit], context: DocumentContext
) -> tuple[float, date] | None:
    """Return the date on the line of a plain invoice-number label.

    "Facture n°562044387 du 02 Juillet 2015" prints the issue date with no
    label of its own.
    """
    for hit in hits:
        if hit.label == Label.INVOICE_NUMBER and hit.strength == 1.0:
            dates = context.dates(context.lines[hit.line_index].text)
            if dates:
                return CONFIDENCE_DATE_BESIDE_NUMBER / 0.9, dates[0]
    return None


def _fallback_issue_date(context: DocumentContext) -> tuple[float, date] | None:
    """Return the document's first date, for lack of any better one."""
    for line in context.lines:
        dates = context.dates(line.text)
        if dates:
            return CONFIDENCE_FALLBACK_DATE / 0.9, dates[0]
    return None
