"""Where an invoice stands after the clerk submitted it, for its own page.

The page of a submitted, approved, booked or rejected invoice shows the
latest approval request with a link to it. A rejected invoice also shows who
rejected it and why, and a booked one links to its journal entry, so every
status has a way on from the invoice's page.
"""

from dataclasses import dataclass

from django.urls import reverse

from fiat.approvals.models import ApprovalRequest, Decision, DecisionOutcome
from fiat.approvals.queries import latest_request
from fiat.core.models import User
from fiat.ledger.models import JournalEntry
from fiat.ledger.permissions import can_view_ledger
from fiat.ledger.queries import bookings_by_source
from fiat.payables.booking import SOURCE_KIND
from fiat.payables.models import InvoiceStatus, PurchaseInvoice

# Statuses whose page shows the approval request.
STATUSES_WITH_APPROVAL = frozenset(
    {
        InvoiceStatus.SUBMITTED,
        InvoiceStatus.APPROVED,
        InvoiceStatus.BOOKED,
        InvoiceStatus.REJECTED,
    }
)


@dataclass(frozen=True)
class ApprovalStatus:
    request: ApprovalRequest | None
    request_url: str | None
    # The decision that rejected the invoice; set only on a rejected invoice.
    rejection: Decision | None
    journal_entry: JournalEntry | None
    journal_entry_url: str | None


def approval_status(invoice: PurchaseInvoice, user: User) -> ApprovalStatus | None:
    """Return the approval status shown on the invoice's page, or None.

    None for an invoice in review or cancelled. The journal entry is left
    out for users who may not read the ledger.
    """
    if invoice.status not in STATUSES_WITH_APPROVAL:
        return None
    request = latest_request(invoice)
    entry = None
    if invoice.status == InvoiceStatus.BOOKED and can_view_ledger(user):
        entry = bookings_by_source(SOURCE_KIND, [invoice.pk]).get(str(invoice.pk))
    return ApprovalStatus(
        request=request,
        request_url=(
            reverse("approvals:request", args=[request.pk]) if request else None
        ),
        rejection=(
            rejecting_decision(request)
            if request and invoice.status == InvoiceStatus.REJECTED
            else None
        ),
        journal_entry=entry,
        journal_entry_url=(
            reverse("ledger:entry", args=[entry.number]) if entry else None
        ),
    )


def rejecting_decision(request: ApprovalRequest) -> Decision | None:
    """Return the latest rejection on ``request``, from its prefetched decisions."""
    rejections = [
        decision
        for step in request.steps.all()
        for decision in step.decisions.all()
        if decision.outcome == DecisionOutcome.REJECTED
    ]
    if not rejections:
        return None
    return max(rejections, key=lambda decision: (decision.decided_at, decision.pk))
