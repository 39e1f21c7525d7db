"""Submitting a trusted supplier's invoice for approval without review.

A supplier with ``skip_review`` set has a new invoice submitted for approval
by the system, with no clerk's review, when all of these hold:

- nothing on the invoice is marked for review (``review_fields`` is empty),
- every field with a calibrated threshold was read at or above it,
- no check found a blocking or warning finding,
- the supplier's last RECENT_INVOICES invoices past review exist and none of
  them was corrected (no ``invoice.corrected`` audit event).

Otherwise the invoice stays in review as usual. The approval request is
opened as for any submission. It has no submitter, so the engine excludes
nobody as the submitter.
"""

import logging

from django.db import transaction

from fiat.approvals.errors import NoPolicyError
from fiat.audit.models import AuditEvent
from fiat.core.exchange import MissingExchangeRateError
from fiat.documents.extraction.trust import untrusted_fields
from fiat.payables.findings import Severity
from fiat.payables.intake import CONTRACT_FIELDS
from fiat.payables.models import InvoiceStatus, PurchaseInvoice
from fiat.payables.workflow import (
    BlockingChecksError,
    InvalidTransitionError,
    submit_for_approval,
)

logger = logging.getLogger(__name__)

# How many of the supplier's latest invoices past review must have needed no
# correction.
RECENT_INVOICES = 5
# Statuses of an invoice that a clerk or the system let through review and
# that is still to be paid.
_PAST_REVIEW = (InvoiceStatus.SUBMITTED, InvoiceStatus.APPROVED, InvoiceStatus.BOOKED)


def review_needed_reasons(invoice: PurchaseInvoice) -> list[str]:
    """Return why ``invoice`` needs a clerk's review; empty when it does not.

    Reads the stored findings, so run the checks first.
    """
    supplier = invoice.supplier
    if supplier is None or not supplier.skip_review:
        return ["supplier_reviewed"]
    reasons = []
    if invoice.status != InvoiceStatus.IN_REVIEW:
        reasons.append("not_in_review")
    if invoice.review_fields:
        reasons.append("fields_marked")
    if _untrusted(invoice):
        reasons.append("fields_not_trusted")
    severities = {Severity.BLOCKING, Severity.WARNING}
    if invoice.checks.filter(severity__in=severities).exists():
        reasons.append("findings")
    if not recent_invoices_uncorrected(invoice):
        reasons.append("recent_corrections")
    return reasons


def recent_invoices_uncorrected(invoice: PurchaseInvoice) -> bool:
    """Return whether the supplier's last invoices past review had no correction.

    Needs RECENT_INVOICES such invoices before ``invoice``, so a supplier
    with a shorter history is always reviewed.
    """
    recent_ids = list(
        PurchaseInvoice.objects.filter(
            supplier_id=invoice.supplier_id, status__in=_PAST_REVIEW
        )
        .exclude(pk=invoice.pk)
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)[:RECENT_INVOICES]
    )
    if len(recent_ids) < RECENT_INVOICES:
        return False
    corrected = AuditEvent.objects.filter(
        object_type=PurchaseInvoice._meta.label_lower,
        object_id__in=[str(pk) for pk in recent_ids],
        action="invoice.corrected",
    )
    return not corrected.exists()


def skip_review_if_allowed(invoice: PurchaseInvoice) -> bool:
    """Submit ``invoice`` for approval as the system when review can be skipped.

    Return whether it was submitted. A submission that fails (no approval
    policy, no exchange rate, a blocking finding or a status changed
    meanwhile) leaves the invoice as it is, and the failure is logged.
    """
    if invoice.supplier is None or not invoice.supplier.skip_review:
        return False
    reasons = review_needed_reasons(invoice)
    if reasons:
        logger.info(
            "Invoice %s of supplier %s stays in review: %s",
            invoice.pk,
            invoice.supplier_id,
            ", ".join(reasons),
            extra={"invoice_id": invoice.pk, "supplier_id": invoice.supplier_id},
        )
        return False
    try:
        with transaction.atomic():
            submit_for_approval(invoice, None, review_skipped=True)
    except (
        NoPolicyError,
        MissingExchangeRateError,
        BlockingChecksError,
        InvalidTransitionError,
    ):
        logger.warning(
            "Invoice %s could skip review but was not submitted",
            invoice.pk,
            exc_info=True,
            extra={"invoice_id": invoice.pk},
        )
        return False
    logger.info(
        "Invoice %s submitted for approval without review",
        invoice.pk,
        extra={"invoice_id": invoice.pk, "supplier_id": invoice.supplier_id},
    )
    return True


def _untrusted(invoice: PurchaseInvoice) -> list[str]:
    read = [
        contract_name
        for contract_name, field_name in CONTRACT_FIELDS.items()
        if getattr(invoice, field_name) not in (None, "")
    ]
    confidence = {
        contract_name: invoice.field_confidence[field_name]
        for contract_name, field_name in CONTRACT_FIELDS.items()
        if field_name in invoice.field_confidence
    }
    return untrusted_fields(invoice.source, confidence, read)
