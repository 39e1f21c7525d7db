"""What a reader found in one document, in the shape of ``fiat extract --json``.

Every reader (e-invoice XML, PDF text layer, OCR) returns an
``ExtractionResult``. Amounts are ``Decimal`` and dates are ``date``; a field
that was not found is ``None``. ``to_json`` gives the command-line contract:
amounts as decimal strings, dates in ISO 8601, missing fields as null.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any


class Source(StrEnum):
    UBL = "ubl"
    CII = "cii"
    FACTURX = "facturx"
    PDF_TEXT = "pdf_text"
    OCR = "ocr"


class DocumentType(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    RECEIPT = "receipt"


@dataclass
class PartyFields:
    name: str | None = None
    vat_number: str | None = None
    iban: str | None = None
    bic: str | None = None
    coc_number: str | None = None
    country: str | None = None


@dataclass
class VatBreakdownFields:
    rate: Decimal | None
    base: Decimal | None
    amount: Decimal | None
    category: str | None = None


@dataclass
class LineFields:
    description: str | None = None
    quantity: Decimal | None = None
    unit_price: Decimal | None = None
    net_amount: Decimal | None = None
    vat_rate: Decimal | None = None


@dataclass
class ExtractionResult:
    file: str
    source: Source
    document_type: DocumentType = DocumentType.INVOICE
    supplier: PartyFields = field(default_factory=PartyFields)
    customer: PartyFields = field(default_factory=PartyFields)
    invoice_number: str | None = None
    issue_date: date | None = None
    due_date: date | None = None
    currency: str | None = None
    total_net: Decimal | None = None
    total_vat: Decimal | None = None
    total_gross: Decimal | None = None
    amount_due: Decimal | None = None
    po_reference: str | None = None
    payment_reference: str | None = None
    vat_breakdown: list[VatBreakdownFields] = field(default_factory=list)
    lines: list[LineFields] = field(default_factory=list)
    # Field name (as in the JSON, e.g. "total_gross" or "supplier.iban") to a
    # confidence from 0 to 1.
    confidence: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # For a receipt: how it was paid, where printed ("card", "cash"...).
    payment_method: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["customer"] = {
            "name": self.customer.name,
            "vat_number": self.customer.vat_number,
        }
        if self.document_type != DocumentType.RECEIPT:
            data.pop("payment_method")
        return _jsonable(data)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    return value


class ExtractionError(Exception):
    """A document that cannot be read at all; the reason is for the clerk.

    ``code`` is a short machine code such as ``not_a_pdf``, ``empty_file``,
    ``unsafe_xml`` or ``no_pages``.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
