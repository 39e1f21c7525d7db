"""Status changes of a purchase invoice: the only code that writes ``status``.

Each change locks the invoice row, checks that ``INVOICE_TRANSITIONS``
allows it from the status the row has now (not the one the caller last
saw), writes the new status and records the audit event, all in one
transaction. Submitting runs the checks again inside that transaction, so
nothing reaches approval with a blocking finding, however stale the page
the clerk submitted from.
"""

import logging

from django.db import transaction
from django.utils import timezone

from fiat.approvals.engine import start_approval
from fiat.audit.services import record_event
from fiat.core.models import User
from fiat.payables.checks import recheck_invoice
from fiat.payables.models import (
    INVOICE_TRANSITIONS,
    InvoiceCheck,
    InvoiceStatus,
    PurchaseInvoice,
)

logger = logging.getLogger(__name__)


class InvalidTransitionError(Exception):
    """A status change that INVOICE_TRANSITIONS does not allow."""

    def __init__(self, invoice: PurchaseInvoice, target: str) -> None:
        super().__init__(
            f"Invoice {invoice.pk} is {invoice.status} and cannot become {target}."
        )
        self.invoice = invoice
        self.current = invoice.status
        self.target = target


class BlockingChecksError(Exception):
    """A submission stopped by findings that must be resolved first."""

    def __init__(self, invoice: PurchaseInvoice, checks: list[InvoiceCheck]) -> None:
        codes = ", ".join(check.code for check in checks)
        super().__init__(
            f"Invoice {invoice.pk} has {len(checks)} blocking findings ({codes}); "
            "resolve them before submitting."
        )
        self.invoice = invoice
        self.checks = checks


def change_status(
    invoice: PurchaseInvoice,
    target: str,
    *,
    actor: User | None,
    data: dict | None = None,
) -> PurchaseInvoice:
    """Move the invoice to ``target`` and record ``invoice.<target>``.

    Must run inside ``transaction.atomic()``. Return the locked, updated
    row; the caller's instance is not changed.
    """
    locked = PurchaseInvoice.objects.select_for_update().get(pk=invoice.pk)
    return change_locked_status(locked, target, actor=actor, data=data)


def change_locked_status(
    locked: PurchaseInvoice,
    target: str,
    *,
    actor: User | None,
    data: dict | None = None,
    save: bool = True,
) -> PurchaseInvoice:
    """Move an invoice row that this transaction has locked to ``target``.

    Like change_status, but ``locked`` must come from ``select_for_update()``
    in the current transaction; it is changed in place and returned. With
    ``save=False`` the row is not written, for a caller that moves it on
    and saves it in the same transaction; the event is recorded all the same.
    """
    if target not in INVOICE_TRANSITIONS[locked.status]:
        raise InvalidTransitionError(locked, target)
    previous = locked.status
    locked.status = target
    update_fields = ["status", "updated_at"]
    if target == InvoiceStatus.SUBMITTED:
        locked.submitted_at = timezone.now()
        locked.submitted_by = actor
        update_fields += ["submitted_at", "submitted_by"]
    if save:
        locked.save(update_fields=update_fields)
    record_event(
        locked,
        f"invoice.{target}",
        actor=actor,
        amounts={
            "total_gross_amount": locked.total_gross_amount,
            "currency": locked.currency,
        },
        data={"from": previous, "to": target, **(data or {})},
    )
    logger.info(
        "Invoice %s changed from %s to %s",
        locked.pk,
        previous,
        target,
        extra={"invoice_id": locked.pk, "status": target},
    )
    return locked


def submit_for_approval(
    invoice: PurchaseInvoice, actor: User | None, *, review_skipped: bool = False
) -> PurchaseInvoice:
    """Check the invoice once more and submit it when nothing blocks.

    ``actor`` is None when the system submits an invoice whose review was
    skipped (``fiat.payables.review_skip``); ``review_skipped`` is stored in
    the audit event. Submitting opens the approval request in the same
    transaction. Raise
    BlockingChecksError (after storing the fresh findings) when a blocking
    finding is open, InvalidTransitionError when the invoice is not in
    review, and the approval engine's NoPolicyError or
    MissingExchangeRateError when no request can be opened.
    """
    with transaction.atomic():
        locked = PurchaseInvoice.objects.select_for_update().get(pk=invoice.pk)
        if InvoiceStatus.SUBMITTED not in INVOICE_TRANSITIONS[locked.status]:
            raise InvalidTransitionError(locked, InvoiceStatus.SUBMITTED)
        checks = recheck_invoice(locked)
        blocking = [check for check in checks if check.is_blocking]
        if not blocking:
            data = {"document_type": locked.document_type}
            if review_skipped:
                data["review_skipped"] = True
            submitted = change_status(
                locked, InvoiceStatus.SUBMITTED, actor=actor, data=data
            )
            start_approval(submitted, submitted_by=actor)
            return submitted
    # Raised after the block, so the fresh findings are committed.
    raise BlockingChecksError(locked, blocking)


def cancel_invoice(
    invoice: PurchaseInvoice, actor: User, reason: str
) -> PurchaseInvoice:
    """Cancel the invoice: it will not be paid. ``reason`` goes to the audit trail."""
    with transaction.atomic():
        return change_status(
            invoice, InvoiceStatus.CANCELLED, actor=actor, data={"reason": reason}
        )


def reject_invoice(
    invoice: PurchaseInvoice, actor: User, reason: str
) -> PurchaseInvoice:
    """Reject a submitted invoice, as an approver does."""
    with transaction.atomic():
        return change_status(
            invoice, InvoiceStatus.REJECTED, actor=actor, data={"reason": reason}
        )


def return_to_review(
    invoice: PurchaseInvoice, actor: User, reason: str
) -> PurchaseInvoice:
    """Send a submitted or rejected invoice back to the clerk's queue."""
    with transaction.atomic():
        return change_status(
            invoice, InvoiceStatus.IN_REVIEW, actor=actor, data={"reason": reason}
        )
