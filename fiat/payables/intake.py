"""Turning a read document into a purchase invoice for the clerk's review.

``create_invoice_from_document`` is called by the documents app once a
document has been read. It is idempotent on the document: a second call,
for the same document or for the PDF that came with it as its companion,
returns the invoice made the first time.

A credit note keeps positive amounts with ``document_type`` credit note. A
document read as an invoice with a negative total is a credit note too, and
is stored as one with its amounts (totals, VAT breakdown and lines) negated.
So no purchase invoice is ever stored with a positive amount that the
supplier in fact owes the company.
"""

import logging
import re
from collections.abc import Callable
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q

from fiat.audit.services import record_event
from fiat.core import identifiers
from fiat.core.money import InvalidCurrencyError, currency_exponent, round_money
from fiat.documents.extraction.result import DocumentType, ExtractionResult
from fiat.documents.extraction.trust import trusted_threshold
from fiat.payables.checks import recheck_invoice
from fiat.payables.models import (
    InvoiceDocumentType,
    PurchaseInvoice,
    PurchaseInvoiceLine,
    PurchaseInvoiceVatSubtotal,
)

logger = logging.getLogger(__name__)

# A field read with less confidence than this is marked for review, and so
# is a field read below its calibrated trusted threshold
# (``fiat.documents.extraction.trust``).
LOW_CONFIDENCE_THRESHOLD = 0.8

# Field names of the ``fiat extract --json`` contract and the invoice fields
# they fill.
CONTRACT_FIELDS = {
    "supplier.name": "supplier_name",
    "supplier.vat_number": "supplier_vat_number",
    "supplier.coc_number": "supplier_coc_number",
    "supplier.country": "supplier_country",
    "supplier.iban": "iban",
    "supplier.bic": "bic",
    "document_type": "document_type",
    "invoice_number": "invoice_number",
    "issue_date": "issue_date",
    "due_date": "due_date",
    "currency": "currency",
    "total_net": "total_net_amount",
    "total_vat": "total_vat_amount",
    "total_gross": "total_gross_amount",
    "amount_due": "amount_due",
    "po_reference": "po_reference",
    "payment_reference": "payment_reference",
}
# Fields the clerk must look at when the reader did not find them.
EXPECTED_FIELDS = (
    "supplier_name",
    "invoice_number",
    "issue_date",
    "total_net_amount",
    "total_vat_amount",
    "total_gross_amount",
)
# Invoice field to the field name of the extraction result.
_CONTRACT_FIELD_OF = {invoice: read for read, invoice in CONTRACT_FIELDS.items()}
_CURRENCY_PATTERN = re.compile(r"[A-Z]{3}")


def create_invoice_from_document(document, result: ExtractionResult) -> PurchaseInvoice:
    """Create the purchase invoice for ``document`` from what was read.

    Fills the fields from ``result``, finds the supplier and fills the coding
    from its defaults, runs every check and stores the findings. Fields read
    with confidence below LOW_CONFIDENCE_THRESHOLD or below their trusted
    threshold, and expected fields not found, are listed in
    ``review_fields``. An invoice of a supplier set to skip review is then
    submitted for approval when ``skip_review_if_allowed`` allows it.
    """
    existing = existing_invoice(document)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            invoice = _create(document, result)
    except IntegrityError:
        # Another worker made the invoice for this document first.
        existing = existing_invoice(document)
        if existing is None:
            raise
        return existing
    logger.info(
        "Purchase invoice %s created from document %s (%s)",
        invoice.pk,
        document.pk,
        invoice.source,
        extra={"invoice_id": invoice.pk, "document_id": document.pk},
    )
    # Imported here because review_skip imports this module.
    from fiat.payables.review_skip import skip_review_if_allowed

    if skip_review_if_allowed(invoice):
        invoice.refresh_from_db()
    return invoice


def existing_invoice(document) -> PurchaseInvoice | None:
    """Return the invoice made from ``document`` or with it as companion."""
    return (
        PurchaseInvoice.objects.filter(Q(document=document) | Q(companion=document))
        .order_by("pk")
        .first()
    )


def _create(document, result: ExtractionResult) -> PurchaseInvoice:
    invoice = PurchaseInvoice(
        document=document, companion=getattr(document, "companion", None)
    )
    sign = fill_from_result(invoice, result)
    invoice.save()
    _save_lines(invoice, result, sign)
    record_event(
        invoice,
        "invoice.created",
        amounts={
            "total_gross_amount": invoice.total_gross_amount,
            "currency": invoice.currency,
        },
        data={
            "document": document.pk,
            "source": invoice.source,
            "document_type": invoice.document_type,
        },
    )
    recheck_invoice(invoice)
    return invoice


def fill_from_result(invoice: PurchaseInvoice, result: ExtractionResult) -> int:
    """Fill the invoice's fields from ``result``; does not save.

    Return the sign (1 or -1) by which the document's amounts were
    multiplied to make them positive.
    """
    invoice.source = str(result.source)
    invoice.extracted = result.to_json()
    _fill_supplier(invoice, result)
    invoice.invoice_number = _text(result.invoice_number, 100)
    invoice.issue_date = result.issue_date
    invoice.due_date = result.due_date
    invoice.po_reference = _text(result.po_reference, 100)
    invoice.payment_reference = _text(result.payment_reference, 140)
    currency, currency_found = _currency(result.currency)
    invoice.currency = currency
    sign = amount_sign(result)
    is_credit = result.document_type == DocumentType.CREDIT_NOTE or sign < 0
    invoice.document_type = (
        InvoiceDocumentType.CREDIT_NOTE if is_credit else InvoiceDocumentType.INVOICE
    )
    for contract_name, field_name in _TOTALS:
        amount = getattr(result, contract_name)
        setattr(invoice, field_name, _money(amount, sign, currency))
    invoice.field_confidence = _confidences(result)
    invoice.review_fields = _review_fields(invoice, currency_found=currency_found)
    return sign


_TOTALS = (
    ("total_net", "total_net_amount"),
    ("total_vat", "total_vat_amount"),
    ("total_gross", "total_gross_amount"),
    ("amount_due", "amount_due"),
)


def amount_sign(result: ExtractionResult) -> int:
    """Return -1 when the document states its total as a negative amount."""
    for amount in (result.total_gross, result.total_net, result.amount_due):
        if amount is not None:
            return -1 if amount < 0 else 1
    return 1


def _fill_supplier(invoice: PurchaseInvoice, result: ExtractionResult) -> None:
    supplier = result.supplier
    invoice.supplier_name = _text(supplier.name, 200)
    invoice.supplier_vat_number = _compact(
        identifiers.clean_vat_number, supplier.vat_number, 30
    )
    invoice.supplier_coc_number = _compact(
        identifiers.clean_coc_number, supplier.coc_number, 20
    )
    invoice.iban = _compact(identifiers.clean_iban, supplier.iban, 40)
    invoice.bic = _compact(identifiers.clean_bic, supplier.bic, 11)
    invoice.supplier_country = _text(supplier.country, 2).upper()


def _compact(clean: Callable[[str], str], value: str | None, max_length: int) -> str:
    """Return the compact form of a valid identifier, else the text as read.

    An invalid value is kept as read, so the clerk sees the text of the
    document and the checks report it.
    """
    text = _text(value, max_length)
    if not text:
        return ""
    try:
        return clean(text)
    except identifiers.InvalidIdentifierError:
        return text


def _text(value: str | None, max_length: int) -> str:
    return " ".join((value or "").split())[:max_length]


def _currency(code: str | None) -> tuple[str, bool]:
    """Return the ISO 4217 code to use and whether the document stated it."""
    code = (code or "").strip().upper()
    if _CURRENCY_PATTERN.fullmatch(code):
        try:
            currency_exponent(code)
        except InvalidCurrencyError:
            pass
        else:
            return code, True
    return settings.FIAT_CURRENCY, False


def _money(amount: Decimal | None, sign: int, currency: str) -> Decimal | None:
    if amount is None:
        return None
    return round_money(sign * amount, currency)


def _confidences(result: ExtractionResult) -> dict[str, float]:
    return {
        CONTRACT_FIELDS[name]: float(value)
        for name, value in result.confidence.items()
        if name in CONTRACT_FIELDS
    }


def review_threshold(source: str, field: str) -> float:
    """Return the confidence below which ``field`` is marked for review.

    ``field`` is a field name of the extraction result. It is the higher of
    LOW_CONFIDENCE_THRESHOLD and the field's trusted threshold, so every
    field that is not trusted is marked.
    """
    trusted = trusted_threshold(source, field)
    if trusted is None:
        return LOW_CONFIDENCE_THRESHOLD
    return max(LOW_CONFIDENCE_THRESHOLD, trusted)


def _review_fields(invoice: PurchaseInvoice, *, currency_found: bool) -> list[str]:
    unsure = [
        name
        for name, confidence in invoice.field_confidence.items()
        if confidence < review_threshold(invoice.source, _CONTRACT_FIELD_OF[name])
    ]
    missing = [name for name in EXPECTED_FIELDS if getattr(invoice, name) in (None, "")]
    if not currency_found:
        missing.append("currency")
    return sorted(set(unsure) | set(missing))


def _save_lines(invoice: PurchaseInvoice, result: ExtractionResult, sign: int) -> None:
    currency = invoice.currency
    PurchaseInvoiceLine.objects.bulk_create(
        PurchaseInvoiceLine(
            invoice=invoice,
            position=position,
            description=_text(line.description, 500),
            quantity=line.quantity,
            unit_price=None if line.unit_price is None else sign * line.unit_price,
            net_amount=_money(line.net_amount, sign, currency),
            vat_rate=line.vat_rate,
        )
        for position, line in enumerate(result.lines, start=1)
    )
    PurchaseInvoiceVatSubtotal.objects.bulk_create(
        PurchaseInvoiceVatSubtotal(
            invoice=invoice,
            rate=subtotal.rate,
            category=_text(subtotal.category, 2),
            base_amount=_money(subtotal.base, sign, currency),
            vat_amount=_money(subtotal.amount, sign, currency),
        )
        for subtotal in result.vat_breakdown
    )
