"""Purchase invoices as a document kind of the approval engine.

The engine decides who approves; this module gives it the invoice's facts
and moves the invoice when the request ends: approved invoices are booked,
rejected ones go back to the submitter, withdrawn ones back into review.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fiat.approvals.kinds import DocumentKind, SubjectFacts, register_kind
from fiat.core.dates import business_date
from fiat.payables.models import InvoiceStatus, PurchaseInvoice
from fiat.payables.permissions import INVOICE_VIEWERS

PURCHASE_INVOICE = "purchase_invoice"


def invoice_title(invoice: PurchaseInvoice) -> str:
    """Return "supplier · number", as the review screen heads the invoice.

    The title is stored on the approval request and read in every user's
    language, so it contains no translated words.
    """
    supplier = invoice.supplier.name if invoice.supplier_id else invoice.supplier_name
    return f"{supplier or '?'} · {invoice.invoice_number or '?'}"


def invoice_facts(invoice: PurchaseInvoice) -> SubjectFacts:
    excluded = set()
    if invoice.submitted_by_id:
        excluded.add(invoice.submitted_by_id)
    received_by = invoice.document.received_by_id if invoice.document_id else None
    if received_by:
        excluded.add(received_by)
    return SubjectFacts(
        title=invoice_title(invoice),
        amount=invoice.total_gross_amount or 0,
        currency=invoice.currency,
        rate_date=invoice.issue_date or business_date(),
        cost_centre_id=invoice.cost_centre_id,
        project_id=invoice.project_id,
        party_id=invoice.supplier_id,
        has_purchase_order=invoice.purchase_order_id is not None,
        excluded_user_ids=frozenset(excluded),
    )


def _lock_invoice(invoice_id: int) -> PurchaseInvoice:
    from fiat.payables.booking import lock_for_booking

    return lock_for_booking(invoice_id)


def _approved(locked: PurchaseInvoice, request, actor) -> None:
    from fiat.approvals.queries import approval_trail
    from fiat.payables.booking import (
        BOOKING_FAILURES,
        book_locked_invoice,
        record_booking_failure,
    )
    from fiat.payables.workflow import change_locked_status

    # The engine locked the invoice with _lock_invoice, and one lock serves
    # both changes. Booking saves the row, so the approved status is
    # recorded as an event here and written with the booked status.
    change_locked_status(
        locked,
        InvoiceStatus.APPROVED,
        actor=actor,
        data={"approval_request": request.pk},
        save=False,
    )
    try:
        book_locked_invoice(locked, actor=actor, approvals=approval_trail(request))
    except BOOKING_FAILURES as error:
        # The approval is kept, and the invoice waits, approved, for someone
        # who can correct it or the ledger. The approver gets no error about
        # bookkeeping.
        record_booking_failure(locked, error, actor=actor)


def _rejected(locked: PurchaseInvoice, request, actor, comment: str) -> None:
    from fiat.payables.workflow import change_locked_status

    change_locked_status(
        locked,
        InvoiceStatus.REJECTED,
        actor=actor,
        data={"approval_request": request.pk, "reason": comment},
    )


def _withdrawn(invoice: PurchaseInvoice, request, actor) -> None:
    from fiat.payables.workflow import change_status

    change_status(
        invoice,
        InvoiceStatus.IN_REVIEW,
        actor=actor,
        data={"approval_request": request.pk, "reason": "withdrawn"},
    )


def _summary_context(invoice: PurchaseInvoice) -> dict:
    from fiat.payables.approval_summary import approval_summary

    return approval_summary(invoice)


def _page_document(invoice: PurchaseInvoice):
    """Return the document whose pages show the invoice: the PDF of an e-invoice."""
    return invoice.companion or invoice.document


def register() -> None:
    register_kind(
        DocumentKind(
            key=PURCHASE_INVOICE,
            label=_("Purchase invoices"),
            model=PurchaseInvoice,
            facts=invoice_facts,
            lock_subject=_lock_invoice,
            on_approved=_approved,
            on_rejected=_rejected,
            on_withdrawn=_withdrawn,
            url=lambda invoice: reverse("payables:invoice", args=[invoice.pk]),
            summary_template="payables/approval_summary.html",
            summary_context=_summary_context,
            viewer_roles=INVOICE_VIEWERS,
            page_document=_page_document,
            document_type=lambda invoice: invoice.document_type,
            rejected_next_step=_(
                "Open it to put it back into review, correct it and submit it "
                "again, or cancel it:"
            ),
            # Nullable keys that are mostly empty (companion, project,
            # purchase_order) cost no query when empty, so they are left out:
            # each join adds to PostgreSQL's planning time.
            subject_relations=("document", "supplier", "ledger_account", "cost_centre"),
        )
    )
