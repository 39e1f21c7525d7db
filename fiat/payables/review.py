"""Saving the clerk's corrections to an invoice under review.

A save locks the invoice and rejects the change unless the status is
editable. It writes only the review fields (never the status) and renumbers
the lines. It records one ``invoice.corrected`` audit event with the old and
new value of every changed field, and runs the checks again. All of this
happens in one transaction. A field the clerk changed is no longer marked as
read with low confidence.
"""

import logging
from datetime import date
from decimal import Decimal

from django.db import models, transaction
from django.forms import BaseInlineFormSet

from fiat.audit.services import record_event
from fiat.core.models import Party, User
from fiat.documents.learning import document_supplier_key, learn_correction
from fiat.payables.checks import recheck_invoice
from fiat.payables.forms import REVIEW_FIELDS, InvoiceReviewForm
from fiat.payables.intake import CONTRACT_FIELDS
from fiat.payables.models import InvoiceStatus, PurchaseInvoice

logger = logging.getLogger(__name__)

# Invoice field to the reader's field, for the fields the reader can learn.
_CONTRACT_FIELD_OF = {invoice: read for read, invoice in CONTRACT_FIELDS.items()}


class NotEditableError(Exception):
    """An edit to an invoice that is no longer in review."""

    def __init__(self, invoice: PurchaseInvoice) -> None:
        super().__init__(
            f"Invoice {invoice.pk} is {invoice.status}; only invoices in review "
            "can be changed."
        )
        self.invoice = invoice


def save_review(
    form: InvoiceReviewForm, lines: BaseInlineFormSet, actor: User
) -> PurchaseInvoice:
    """Save a valid review form and its line formset, then check again."""
    with transaction.atomic():
        locked = PurchaseInvoice.objects.select_for_update().get(pk=form.instance.pk)
        if not locked.is_editable:
            raise NotEditableError(locked)
        changes = {
            name: [
                _audit_value(form.initial.get(name)),
                _audit_value(form.cleaned_data[name]),
            ]
            for name in form.changed_data
        }
        invoice = form.save(commit=False)
        invoice.review_fields = [
            name for name in locked.review_fields if name not in form.changed_data
        ]
        invoice.save(update_fields=[*REVIEW_FIELDS, "review_fields", "updated_at"])
        lines_changed = _save_lines(invoice, lines)
        if changes or lines_changed:
            record_event(
                invoice,
                "invoice.corrected",
                actor=actor,
                data={"changes": changes, "lines_changed": lines_changed},
            )
        brought_iban = {"iban", "supplier"} & set(form.changed_data)
        recheck_invoice(invoice, iban_requested_by=actor if brought_iban else None)
    _learn_corrections(invoice, changes)
    return invoice


def _learn_corrections(invoice: PurchaseInvoice, changes: dict) -> None:
    """Teach the reader where this supplier's layout prints each corrected field.

    The correction is saved already; a failure here only costs the lesson,
    so it is logged and the clerk's save still succeeds.
    """
    try:
        document = invoice.document
        key = document_supplier_key(document)
        for name in changes:
            field = _CONTRACT_FIELD_OF.get(name)
            value = getattr(invoice, name)
            if field is not None and value not in (None, ""):
                learn_correction(document, key, field, value)
    except Exception:
        logger.exception(
            "Learning from the corrections of invoice %s failed", invoice.pk
        )


def _save_lines(invoice: PurchaseInvoice, lines: BaseInlineFormSet) -> bool:
    """Save the line formset and number the lines 1, 2, 3; return if changed."""
    saved = lines.save(commit=False)
    for line in lines.deleted_objects:
        line.delete()
    next_position = (
        invoice.lines.aggregate(top=models.Max("position"))["top"] or 0
    ) + 1
    for line in saved:
        if line.pk is None:
            line.position = next_position
            next_position += 1
        line.save()
    for position, line in enumerate(invoice.lines.order_by("position", "pk"), start=1):
        if line.position != position:
            line.position = position
            line.save(update_fields=["position"])
    return bool(saved or lines.deleted_objects)


def _audit_value(value: object) -> object:
    """Return ``value`` in a form the audit trail stores exactly."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal | date):
        return str(value)
    return value


def recheck_supplier_invoices(supplier: Party) -> int:
    """Check again every invoice in review of ``supplier``; return how many."""
    invoices = PurchaseInvoice.objects.filter(
        supplier=supplier, status=InvoiceStatus.IN_REVIEW
    )
    count = 0
    for invoice in invoices:
        recheck_invoice(invoice)
        count += 1
    return count
