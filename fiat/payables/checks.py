"""All checks of a purchase invoice, and storing what they found.

Intake and every edit call ``recheck_invoice``. It finds the supplier if the
invoice has none, fills the coding from the supplier's defaults and links
the purchase order. Then it runs every check, replaces the invoice's
``InvoiceCheck`` rows with the findings, and opens an IBAN change request
when the invoice names a new IBAN. Every check derives its findings
from the stored invoice alone, so running them again gives the same result
until something changes.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fiat.core import identifiers
from fiat.core.models import User
from fiat.payables.arithmetic import (
    InvoiceAmounts,
    LineAmounts,
    VatSubtotal,
    check_amounts,
)
from fiat.payables.duplicates import check_duplicates
from fiat.payables.findings import CheckCode, Finding, Severity
from fiat.payables.iban_changes import check_iban, open_iban_change_request
from fiat.payables.matching import check_purchase_order, link_purchase_order
from fiat.payables.models import InvoiceCheck, PurchaseInvoice
from fiat.payables.suppliers import check_supplier, find_supplier

logger = logging.getLogger(__name__)

# Invoice fields without which an invoice cannot go to approval.
REQUIRED_FIELDS = (
    "invoice_number",
    "issue_date",
    "total_net_amount",
    "total_vat_amount",
    "total_gross_amount",
    "ledger_account",
    "vat_code",
)


def recheck_invoice(
    invoice: PurchaseInvoice, *, iban_requested_by: User | None = None
) -> list[InvoiceCheck]:
    """Complete the invoice from its supplier and order, then check it again.

    ``iban_requested_by`` is the user whose edit brought in the invoice's
    IBAN or supplier, or None when both come from the document. That user
    becomes the requester of an IBAN change request opened now. Return the
    stored checks.
    """
    with transaction.atomic():
        complete_from_supplier(invoice)
        link_purchase_order(invoice)
        invoice.checked_at = timezone.now()
        invoice.save(
            update_fields=[
                "supplier",
                "ledger_account",
                "vat_code",
                "purchase_order",
                "checked_at",
                "updated_at",
            ]
        )
        checks = store_findings(invoice, run_checks(invoice))
        open_iban_change_request(invoice, requested_by=iban_requested_by)
    return checks


def complete_from_supplier(invoice: PurchaseInvoice) -> None:
    """Find the supplier if missing, and fill empty coding from its defaults.

    Changes the instance only; the caller saves it.
    """
    if invoice.supplier_id is None:
        match = find_supplier(invoice)
        if match is not None:
            invoice.supplier = match.supplier
    supplier = invoice.supplier
    if supplier is None:
        return
    if invoice.ledger_account_id is None:
        invoice.ledger_account_id = supplier.default_ledger_account_id
    if invoice.vat_code_id is None:
        invoice.vat_code_id = supplier.default_vat_code_id


def run_checks(invoice: PurchaseInvoice) -> list[Finding]:
    """Return the findings of every check, most important kinds first."""
    return [
        *check_required_fields(invoice),
        *check_supplier(invoice),
        *check_iban(invoice),
        *check_duplicates(invoice),
        *check_amounts(invoice_amounts(invoice)),
        *check_purchase_order(invoice),
        *check_identifiers(invoice),
        *check_dates(invoice),
        *check_document(invoice),
        *check_confidence(invoice),
    ]


def store_findings(
    invoice: PurchaseInvoice, findings: list[Finding]
) -> list[InvoiceCheck]:
    """Replace the invoice's stored checks with ``findings``."""
    rows = [
        InvoiceCheck(
            invoice=invoice,
            code=finding.code,
            severity=finding.severity,
            field=finding.field,
            source=finding.source[:200],
            expected=finding.expected[:200],
            found=finding.found[:200],
            difference=finding.difference,
            params=finding.params,
        )
        for finding in findings
    ]
    with transaction.atomic():
        invoice.checks.all().delete()
        checks = InvoiceCheck.objects.bulk_create(rows)
    blocking = sum(1 for finding in findings if finding.severity == Severity.BLOCKING)
    logger.info(
        "Invoice %s checked: %d findings, %d blocking",
        invoice.pk,
        len(findings),
        blocking,
        extra={"invoice_id": invoice.pk, "blocking": blocking},
    )
    return checks


def invoice_amounts(invoice: PurchaseInvoice) -> InvoiceAmounts:
    return InvoiceAmounts(
        currency=invoice.currency or settings.FIAT_CURRENCY,
        total_net_amount=invoice.total_net_amount,
        total_vat_amount=invoice.total_vat_amount,
        total_gross_amount=invoice.total_gross_amount,
        amount_due=invoice.amount_due,
        vat_breakdown=[
            VatSubtotal(subtotal.rate, subtotal.base_amount, subtotal.vat_amount)
            for subtotal in invoice.vat_subtotals.all()
        ],
        lines=[
            LineAmounts(line.quantity, line.unit_price, line.net_amount)
            for line in invoice.lines.all()
        ],
    )


def check_required_fields(invoice: PurchaseInvoice) -> list[Finding]:
    return [
        Finding(CheckCode.MISSING_FIELD, Severity.BLOCKING, field=name)
        for name in REQUIRED_FIELDS
        if getattr(invoice, name) in (None, "")
    ]


def check_identifiers(invoice: PurchaseInvoice) -> list[Finding]:
    """Check the supplier's VAT number as read; the IBAN has its own check."""
    if not invoice.supplier_vat_number:
        return []
    try:
        identifiers.clean_vat_number(invoice.supplier_vat_number)
    except identifiers.InvalidIdentifierError as error:
        return [
            Finding(
                CheckCode.INVALID_VAT_NUMBER,
                Severity.WARNING,
                field="supplier_vat_number",
                source="document",
                found=invoice.supplier_vat_number,
                params={"reason": error.reason},
            )
        ]
    return []


def check_dates(invoice: PurchaseInvoice) -> list[Finding]:
    issued, due = invoice.issue_date, invoice.due_date
    if issued is None or due is None or due >= issued:
        return []
    return [
        Finding(
            CheckCode.DUE_BEFORE_ISSUE,
            Severity.WARNING,
            field="due_date",
            source="issue_date",
            expected=issued.isoformat(),
            found=due.isoformat(),
        )
    ]


def check_document(invoice: PurchaseInvoice) -> list[Finding]:
    """Point out what the document is: a credit note, a receipt, a currency."""
    findings = []
    read = invoice.extracted
    if invoice.is_credit_note:
        findings.append(
            Finding(CheckCode.CREDIT_NOTE, Severity.INFO, field="document_type")
        )
    read_gross = read.get("total_gross")
    if (
        read.get("document_type") == "invoice"
        and read_gross
        and read_gross.startswith("-")
    ):
        findings.append(
            Finding(
                CheckCode.NEGATIVE_INVOICE,
                Severity.INFO,
                field="document_type",
                source="document",
                expected=read_gross.removeprefix("-"),
                found=read_gross,
            )
        )
    if read.get("document_type") == "receipt":
        findings.append(
            Finding(
                CheckCode.RECEIPT_AS_INVOICE, Severity.WARNING, field="document_type"
            )
        )
    if invoice.currency != settings.FIAT_CURRENCY:
        findings.append(
            Finding(
                CheckCode.FOREIGN_CURRENCY,
                Severity.INFO,
                field="currency",
                expected=settings.FIAT_CURRENCY,
                found=invoice.currency,
            )
        )
    findings.extend(
        Finding(CheckCode.READER_WARNING, Severity.INFO, source="document",
                params={"warning": str(warning)})
        for warning in read.get("warnings") or []
    )  # fmt: skip
    return findings


def check_confidence(invoice: PurchaseInvoice) -> list[Finding]:
    """Warn about each field read with low confidence that the clerk kept."""
    findings = []
    for name in invoice.review_fields:
        confidence = invoice.field_confidence.get(name)
        if confidence is None:
            continue
        findings.append(
            Finding(
                CheckCode.LOW_CONFIDENCE,
                Severity.WARNING,
                field=name,
                source="document",
                params={"confidence": str(round(confidence * 100))},
            )
        )
    return findings
