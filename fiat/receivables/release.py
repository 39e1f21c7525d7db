"""Releasing a sales invoice: review decision, number, reference, booking.

``finalise_draft`` is what a trigger or the draft page calls when a draft is
complete: the approval engine releases a routine invoice at once and gives
any other to its approvers (``fiat.receivables.approval``). Release
numbers the invoice from the gap-free series of its year inside the same
transaction as the status change, so a failed release returns its number
and two releases at the same moment get consecutive numbers.
"""

import logging
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from fiat.approvals.engine import start_approval
from fiat.core.dates import business_date, now
from fiat.core.models import User
from fiat.core.numbering import format_number, next_number
from fiat.receivables.booking import book_sales_invoice
from fiat.receivables.drafting import (
    TOTAL_FIELDS,
    expected_due_date,
    invoice_amounts,
    set_amounts,
)
from fiat.receivables.models import (
    INVOICE_TRANSITIONS,
    LOCKED_STATUSES,
    DocumentType,
    InvoiceStatus,
    SalesInvoice,
)
from fiat.receivables.payment_reference import (
    PaymentReferenceKind,
    make_betalingskenmerk,
    make_rf_reference,
)
from fiat.receivables.sending import NotSendableError, request_send
from fiat.receivables.workflow import (
    InvalidTransitionError,
    change_status,
    lock_invoice,
)

logger = logging.getLogger(__name__)

SEQUENCE_NAME = "sales-invoice"


class EmptyInvoiceError(ValueError):
    """An invoice without lines, which cannot be released."""


def finalise_draft(invoice: SalesInvoice, actor: User | None) -> SalesInvoice:
    """Release a routine draft, or put any other before its approvers.

    The approval engine decides by the sales invoice policy: when no rule
    matches, the invoice is released at once. Otherwise it waits in
    "awaiting review" until the request is approved (the kind's callback
    releases it) or rejected (back to draft). Raise EmptyInvoiceError for a
    draft without lines and InvalidTransitionError for one that is not a
    draft, before any request is opened.
    """
    with transaction.atomic():
        locked = lock_invoice(invoice)
        if locked.status != InvoiceStatus.DRAFT:
            raise InvalidTransitionError(locked, InvoiceStatus.AWAITING_REVIEW)
        _require_lines(locked)
        request = start_approval(locked, submitted_by=actor)
        if request is None:
            return release_invoice(locked, actor)
        return change_status(
            lock_invoice(locked),
            InvoiceStatus.AWAITING_REVIEW,
            actor=actor,
            data={"approval_request": request.pk, "rule": request.rule_name},
        )


def _require_lines(invoice: SalesInvoice) -> None:
    if not invoice.lines.exists():
        raise EmptyInvoiceError(
            f"Sales invoice {invoice.pk} has no lines; add a line first."
        )


def release_invoice(invoice: SalesInvoice, actor: User | None) -> SalesInvoice:
    """Number, date and release a draft or an invoice awaiting review.

    Raise InvalidTransitionError when the invoice is released already and
    EmptyInvoiceError when it has no lines. Return the released row.
    """
    with transaction.atomic():
        locked = lock_invoice(invoice)
        if InvoiceStatus.RELEASED not in INVOICE_TRANSITIONS[locked.status]:
            raise InvalidTransitionError(locked, InvoiceStatus.RELEASED)
        _require_lines(locked)
        _assign_number_and_dates(locked)
        set_amounts(locked, invoice_amounts(locked))
        change_status(
            locked,
            InvoiceStatus.RELEASED,
            actor=actor,
            update_fields=(
                "number", "number_year", "sequence_number", "payment_reference",
                "issue_date", "due_date", "released_at", *TOTAL_FIELDS,
            ),
        )  # fmt: skip
        _close_corrected_invoice(locked, actor)
        book_invoice(locked, actor)
        _send_released(locked, actor)
    return locked


def _send_released(invoice: SalesInvoice, actor: User | None) -> None:
    """Queue the mail of a just released invoice, or show why it cannot go."""
    try:
        request_send(invoice, actor)
    except NotSendableError as error:
        invoice.send_error = str(error)
        invoice.save(update_fields=["send_error", "updated_at"])
        logger.warning(
            "Sales invoice %s released but not mailed: %s",
            invoice.number,
            error,
            extra={"sales_invoice_id": invoice.pk},
        )


def _assign_number_and_dates(invoice: SalesInvoice) -> None:
    invoice.issue_date = invoice.issue_date or business_date()
    year = invoice.issue_date.year
    invoice.number_year = year
    invoice.sequence_number = next_number(SEQUENCE_NAME, str(year))
    invoice.number = format_number(
        settings.FIAT_SALES_INVOICE_PREFIX, str(year), invoice.sequence_number
    )
    invoice.payment_reference = make_payment_reference(invoice)
    invoice.due_date = expected_due_date(invoice, invoice.issue_date)
    invoice.released_at = now()


def make_payment_reference(invoice: SalesInvoice) -> str:
    """Return the payment reference of a numbered invoice, by setting.

    A betalingskenmerk encodes the year and the sequence number as 15
    digits; an RF reference carries the invoice number itself.
    """
    kind = PaymentReferenceKind(settings.FIAT_PAYMENT_REFERENCE)
    if kind is PaymentReferenceKind.RF:
        return make_rf_reference(invoice.number)
    return make_betalingskenmerk(invoice.number_year * 10**11 + invoice.sequence_number)


def _close_corrected_invoice(invoice: SalesInvoice, actor: User | None) -> None:
    """Mark the corrected invoice credited when a credit note cancels it all."""
    if invoice.document_type != DocumentType.CREDIT_NOTE:
        return
    if invoice.corrected_invoice_id is None:
        return
    corrected = lock_invoice(invoice.corrected_invoice)
    credited = sum(
        (
            note.payable_amount
            for note in corrected.corrections.filter(
                document_type=DocumentType.CREDIT_NOTE, status__in=LOCKED_STATUSES
            )
        ),
        Decimal(0),
    )
    if credited >= corrected.payable_amount:
        change_status(
            corrected,
            InvoiceStatus.CREDITED,
            actor=actor,
            data={"credit_note": invoice.number},
        )


def book_invoice(invoice: SalesInvoice, actor: User | None) -> None:
    """Book the released invoice and keep the ledger's id of the entry.

    Runs inside the release transaction, so a failed booking undoes the
    release and returns the number.
    """
    receipt = book_sales_invoice(invoice, actor=actor)
    invoice.journal_entry = receipt.external_id
    invoice.save(update_fields=["journal_entry", "updated_at"])
