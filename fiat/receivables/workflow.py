"""Status changes of a sales invoice: the only code that writes ``status``.

Each change locks the invoice row, checks that ``INVOICE_TRANSITIONS``
allows it from the status the row has now (not the one the caller last
saw), writes the new status and records the audit event, all in one
transaction. Release, which also numbers the invoice, is in
``fiat.receivables.release``.
"""

import logging
from decimal import Decimal

from django.db import transaction

from fiat.audit.services import record_event
from fiat.core.dates import now
from fiat.core.models import User
from fiat.core.money import round_money, to_decimal
from fiat.receivables.models import (
    INVOICE_TRANSITIONS,
    LOCKED_STATUSES,
    InvoiceStatus,
    SalesInvoice,
)

logger = logging.getLogger(__name__)


class InvalidTransitionError(Exception):
    """A status change that INVOICE_TRANSITIONS does not allow."""

    def __init__(self, invoice: SalesInvoice, target: str) -> None:
        super().__init__(
            f"Sales invoice {invoice.number or invoice.pk} is {invoice.status} and "
            f"cannot become {target}."
        )
        self.invoice = invoice
        self.current = invoice.status
        self.target = target


class InvalidPaymentError(ValueError):
    """A payment amount that cannot be recorded on the invoice."""


def lock_invoice(invoice: SalesInvoice) -> SalesInvoice:
    """Return the invoice row locked for update; call inside a transaction."""
    return SalesInvoice.objects.select_for_update().get(pk=invoice.pk)


def change_status(
    invoice: SalesInvoice,
    target: str,
    *,
    actor: User | None,
    data: dict | None = None,
    update_fields: tuple[str, ...] = (),
) -> SalesInvoice:
    """Move the locked ``invoice`` to ``target`` and record the audit event.

    Must run inside ``transaction.atomic()`` on a row from ``lock_invoice``.
    ``update_fields`` names further fields the caller set on it.
    """
    if target not in INVOICE_TRANSITIONS[invoice.status]:
        raise InvalidTransitionError(invoice, target)
    previous = invoice.status
    invoice.status = target
    invoice.save(update_fields=["status", "updated_at", *update_fields])
    record_event(
        invoice,
        f"sales_invoice.{target}",
        actor=actor,
        amounts={
            "payable_amount": invoice.payable_amount,
            "currency": invoice.currency,
        },
        data={"from": previous, "to": target, "number": invoice.number, **(data or {})},
    )
    logger.info(
        "Sales invoice %s changed from %s to %s",
        invoice.number or invoice.pk,
        previous,
        target,
        extra={"sales_invoice_id": invoice.pk, "status": target},
    )
    return invoice


def submit_for_review(
    invoice: SalesInvoice, actor: User | None, reasons: list[str]
) -> SalesInvoice:
    """Put a draft before the controller; ``reasons`` go to the trail."""
    with transaction.atomic():
        return change_status(
            lock_invoice(invoice),
            InvoiceStatus.AWAITING_REVIEW,
            actor=actor,
            data={"reasons": reasons},
        )


def return_to_draft(invoice: SalesInvoice, actor: User, reason: str) -> SalesInvoice:
    """Send an invoice awaiting review back to drafting."""
    with transaction.atomic():
        return change_status(
            lock_invoice(invoice), InvoiceStatus.DRAFT, actor=actor,
            data={"reason": reason},
        )  # fmt: skip


def mark_sent(invoice: SalesInvoice, actor: User | None, *, mail_id: int) -> bool:
    """Record that the invoice was mailed; return whether the status changed.

    A second sending of an invoice that is already sent, paid or credited
    only records the event.
    """
    with transaction.atomic():
        locked = lock_invoice(invoice)
        if locked.status not in LOCKED_STATUSES:
            raise InvalidTransitionError(locked, InvoiceStatus.SENT)
        locked.sent_at = now()
        locked.send_error = ""
        if locked.status == InvoiceStatus.RELEASED:
            change_status(
                locked, InvoiceStatus.SENT, actor=actor, data={"mail_id": mail_id},
                update_fields=("sent_at", "send_error"),
            )  # fmt: skip
            return True
        locked.save(update_fields=["sent_at", "send_error", "updated_at"])
        record_event(
            locked, "sales_invoice.sent_again", actor=actor, data={"mail_id": mail_id}
        )
        return False


def record_payment(
    invoice: SalesInvoice, amount: Decimal, *, actor: User | None = None
) -> SalesInvoice:
    """Add a received ``amount``; the invoice becomes partly paid or paid.

    Raise InvalidPaymentError for a zero or negative amount, and
    InvalidTransitionError for an invoice that is not released.
    """
    amount = to_decimal(amount)
    if amount <= 0:
        raise InvalidPaymentError(
            f"Invalid payment amount {amount}: record a positive amount."
        )
    with transaction.atomic():
        locked = lock_invoice(invoice)
        locked.paid_amount = round_money(locked.paid_amount + amount, locked.currency)
        fully_paid = locked.paid_amount >= abs(locked.payable_amount)
        target = InvoiceStatus.PAID if fully_paid else InvoiceStatus.PARTLY_PAID
        if target == locked.status:
            locked.save(update_fields=["paid_amount", "updated_at"])
            record_event(
                locked,
                "sales_invoice.payment",
                actor=actor,
                amounts={"amount": amount, "currency": locked.currency},
            )
            return locked
        return change_status(
            locked, target, actor=actor, data={"amount": str(amount)},
            update_fields=("paid_amount",),
        )  # fmt: skip
