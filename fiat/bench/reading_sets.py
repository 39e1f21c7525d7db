"""The labelled sample sets of the reading benchmark and their true values.

Three sets of the public sample corpus (``FIAT_CORPUS_DIR``, else the
``shared/corpus`` folder beside the clone):

- ``invoice2data``: the PDFs of invoice2data's ``compare`` folder against the
  JSON beside each. Only real values are scored: a VAT number or IBAN must
  pass its check digits, because some JSON files hold template placeholders
  ("US1234567890").
- ``factur-x``: every Factur-X/ZUGFeRD PDF of the ``correct`` folders of the
  ZUGFeRD corpus and the Mustang and factur-x samples. The truth is the XML
  embedded in the PDF; the reader sees only the printed text. A field is
  scored where the XML has it and the printed text shows it.
- ``sroie``: the SROIE receipt images against their ``key`` files (total,
  date and merchant).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from fiat.core.identifiers import is_valid_iban, is_valid_vat_number
from fiat.documents.extraction.amounts import CURRENCY_MARKERS, find_amounts
from fiat.documents.extraction.dates import MONTHS, find_dates, parse_date
from fiat.documents.extraction.einvoice import read_einvoice
from fiat.documents.extraction.layout import build_lines
from fiat.documents.extraction.pdftext import read_pdf_words
from fiat.documents.extraction.result import ExtractionError, ExtractionResult

CORPUS_DIR = Path(
    os.environ.get(
        "FIAT_CORPUS_DIR", Path(__file__).resolve().parents[2].parent / "shared/corpus"
    )
)
CENT = Decimal("0.01")

# Scored field to the attribute path of an ExtractionResult.
RESULT_ATTRIBUTES = {
    "invoice_number": "invoice_number",
    "issue_date": "issue_date",
    "due_date": "due_date",
    "currency": "currency",
    "total_net": "total_net",
    "total_vat": "total_vat",
    "total_gross": "total_gross",
    "supplier_vat": "supplier.vat_number",
    "supplier_iban": "supplier.iban",
    "merchant": "supplier.name",
}
# Scored field to invoice2data's output key.
INVOICE2DATA_KEYS = {
    "invoice_number": "invoice_number",
    "issue_date": "date",
    "due_date": "date_due",
    "currency": "currency",
    "total_net": "amount_untaxed",
    "total_vat": "amount_tax",
    "total_gross": "amount",
    "supplier_vat": "vat",
    "supplier_iban": "iban",
    "merchant": "issuer",
}
AMOUNT_FIELDS = {"total_net", "total_vat", "total_gross"}
DATE_FIELDS = {"issue_date", "due_date"}


@dataclass
class Sample:
    set_name: str
    path: Path
    # Scored field to its true value, already normalised.
    truth: dict[str, object] = field(default_factory=dict)


def corpus_path(relative: str) -> Path:
    if not CORPUS_DIR.exists():
        raise FileNotFoundError(
            f"Sample corpus not found at {CORPUS_DIR}; set FIAT_CORPUS_DIR."
        )
    return CORPUS_DIR / relative


def normalise(name: str, value: object) -> object:
    """Return ``value`` in the comparable form of field ``name``, or None."""
    if value is None or value == "":
        return None
    if name in AMOUNT_FIELDS:
        # SROIE keys print some totals with a currency sign ("$8.20"). Fiat
        # reports a credit note's totals as positive amounts with document
        # type credit_note, so amounts are compared without their sign.
        number = re.sub(r"[^0-9.-]", "", str(value))
        try:
            return abs(Decimal(number)).quantize(CENT)
        except InvalidOperation:
            return None
    if name in DATE_FIELDS:
        if isinstance(value, date):
            return value
        return parse_truth_date(str(value))
    text = str(value).strip()
    if name == "invoice_number":
        # invoice2data keeps the "#" printed before Flipkart's number.
        return re.sub(r"\s+", "", text).lstrip("#")
    if name in ("supplier_vat", "supplier_iban"):
        return re.sub(r"[\s.-]+", "", text).upper()
    if name == "currency":
        return text.upper()
    if name == "merchant":
        return re.sub(r"[^0-9A-Z]+", " ", text.upper()).strip()
    return text


_COMPACT_DATE = re.compile(r"^((?:19|20)\d{2})(\d{2})(\d{2})$")
_MONTH_NAME_SHORT_YEAR = re.compile(r"^(\d{1,2})\s*([A-Za-z]+)\.?\s*(\d{2})$")


def parse_truth_date(text: str) -> date | None:
    """Parse a date of a truth file: ISO, day first, "20180304" or "28 MAR 18"."""
    text = text.strip()
    compact = _COMPACT_DATE.match(text)
    if compact:
        return date(*(int(part) for part in compact.groups()))
    short = _MONTH_NAME_SHORT_YEAR.match(text)
    if short and short[2].lower() in MONTHS:
        return date(2000 + int(short[3]), MONTHS[short[2].lower()], int(short[1]))
    return parse_date(text, day_first=True)


def read_result_field(result: ExtractionResult | None, name: str) -> object:
    if result is None:
        return None
    value: object = result
    for part in RESULT_ATTRIBUTES[name].split("."):
        value = getattr(value, part)
    return normalise(name, value)


def invoice2data_samples() -> list[Sample]:
    folder = corpus_path("invoices-pdf/invoice2data/compare")
    samples = []
    for path in sorted(folder.glob("*.pdf")):
        truth_file = path.with_suffix(".json")
        if not truth_file.exists():
            continue
        expected = json.loads(truth_file.read_text())[0]
        truth = {}
        for name in (
            "invoice_number", "issue_date", "total_gross", "total_net",
            "currency", "supplier_vat", "supplier_iban",
        ):  # fmt: skip
            value = normalise(name, expected.get(INVOICE2DATA_KEYS[name]))
            if value is None:
                continue
            if name == "supplier_vat" and not is_valid_vat_number(str(value)):
                continue
            if name == "supplier_iban" and not is_valid_iban(str(value)):
                continue
            truth[name] = value
        samples.append(Sample("invoice2data", path, truth))
    return samples


FACTURX_FOLDERS = (
    "facturx-zugferd/ZUGFeRD-corpus/ZUGFeRDv1/correct",
    "facturx-zugferd/ZUGFeRD-corpus/ZUGFeRDv2/correct",
    "facturx-zugferd/mustangproject",
    "facturx-zugferd/akretion-factur-x",
)
FACTURX_FIELDS = (
    "invoice_number", "issue_date", "due_date", "currency", "total_net",
    "total_vat", "total_gross", "supplier_vat", "supplier_iban",
)  # fmt: skip


def facturx_samples() -> list[Sample]:
    """Return each Factur-X PDF with the embedded XML's values that it prints."""
    paths = sorted(
        {
            path
            for folder in FACTURX_FOLDERS
            for path in corpus_path(folder).rglob("*.pdf")
        }
    )
    samples = []
    for path in paths:
        try:
            embedded = read_einvoice(path, path.name)
            words = read_pdf_words(path)
        except ExtractionError:
            continue
        if embedded is None or not words:
            continue
        printed = PrintedText(" \n".join(line.text for line in build_lines(words)))
        truth = {}
        for name in FACTURX_FIELDS:
            value = read_result_field(embedded, name)
            if value is not None and printed.shows(name, value):
                truth[name] = value
        if truth:
            samples.append(Sample("factur-x", path, truth))
    return samples


class PrintedText:
    """The printed text of a document, asked whether it shows a value."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.compact = re.sub(r"\s+", "", text).upper()
        self._amounts: set[Decimal] | None = None
        self._dates: set[date] | None = None

    def shows(self, name: str, value: object) -> bool:
        checks: dict[str, Callable[[object], bool]] = {
            "currency": self._shows_currency,
        }
        if name in AMOUNT_FIELDS:
            return abs(value) in self.amounts()
        if name in DATE_FIELDS:
            return value in self.dates()
        if name in checks:
            return checks[name](value)
        return str(value).upper() in self.compact

    def amounts(self) -> set[Decimal]:
        if self._amounts is None:
            self._amounts = {
                abs(match.value)
                for separator in (",", ".")
                for match in find_amounts(self.text, decimal_separator=separator)
            }
        return self._amounts

    def dates(self) -> set[date]:
        if self._dates is None:
            self._dates = {
                match.value
                for day_first in (True, False)
                for match in find_dates(self.text, day_first=day_first)
            }
        return self._dates

    def _shows_currency(self, value: object) -> bool:
        if re.search(rf"(?<![A-Z]){value}(?![A-Z])", self.text):
            return True
        symbols = [
            marker
            for marker, code in CURRENCY_MARKERS.items()
            if code == value and not marker.isalpha()
        ]
        return any(symbol in self.text for symbol in symbols)


def sroie_samples(limit: int | None = None) -> list[Sample]:
    folder = corpus_path("receipts-ocr/SROIE-zzzDavid")
    samples = []
    for path in sorted((folder / "img").glob("*.jpg"))[:limit]:
        key = json.loads((folder / "key" / f"{path.stem}.json").read_text())
        truth = {
            "total_gross": normalise("total_gross", key.get("total")),
            "issue_date": normalise("issue_date", key.get("date")),
            "merchant": normalise("merchant", key.get("company")),
        }
        samples.append(
            Sample("sroie", path, {k: v for k, v in truth.items() if v is not None})
        )
    return samples
