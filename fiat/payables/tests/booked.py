"""Builders for the booking tests: invoices taken through approval."""

from django.db import transaction

from fiat.core.models import Role, User
from fiat.payables.models import InvoiceStatus, PurchaseInvoice
from fiat.payables.tests.factories import make_invoice, make_user
from fiat.payables.workflow import change_status


def clerk_user() -> User:
    return User.objects.filter(username="anna").first() or make_user(
        "anna", Role.AP_CLERK
    )


def approve(invoice: PurchaseInvoice, **changes) -> PurchaseInvoice:
    """Apply ``changes`` to the invoice and mark it approved.

    The invoice skips the approval engine: it is put in SUBMITTED directly,
    and these tests start where the last approval has landed.
    """
    PurchaseInvoice.objects.filter(pk=invoice.pk).update(
        status=InvoiceStatus.SUBMITTED, **changes
    )
    with transaction.atomic():
        return change_status(invoice, InvoiceStatus.APPROVED, actor=clerk_user())


def approved_invoice(changes: dict | None = None, **fields) -> PurchaseInvoice:
    """Take in an invoice read as ``fields``, then approve it with ``changes``."""
    return approve(make_invoice(**fields), **(changes or {}))
