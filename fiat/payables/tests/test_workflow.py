"""Status changes of purchase invoices: checked, locked and audited."""

from decimal import Decimal

import pytest

from fiat.audit.models import AuditEvent
from fiat.audit.testing import recorded_actions
from fiat.payables.models import (
    EDITABLE_STATUSES,
    INVOICE_TRANSITIONS,
    InvoiceCheck,
    InvoiceStatus,
)
from fiat.payables.tests.factories import make_invoice
from fiat.payables.workflow import (
    BlockingChecksError,
    InvalidTransitionError,
    cancel_invoice,
    reject_invoice,
    return_to_review,
    submit_for_approval,
)

pytestmark = pytest.mark.django_db



def test_every_status_has_its_transitions_listed():
    assert set(INVOICE_TRANSITIONS) == set(InvoiceStatus)
    assert {InvoiceStatus.IN_REVIEW} == EDITABLE_STATUSES


def test_submit_moves_to_submitted(supplier, clerk):
    invoice = make_invoice()

    submitted = submit_for_approval(invoice, clerk)

    assert submitted.status == InvoiceStatus.SUBMITTED
    assert submitted.submitted_by == clerk
    assert submitted.submitted_at is not None
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.SUBMITTED


def test_submit_recorded_in_audit_trail(supplier, clerk):
    invoice = make_invoice()

    submit_for_approval(invoice, clerk)

    assert recorded_actions(invoice) == ["invoice.created", "invoice.submitted"]
    event = AuditEvent.objects.get(action="invoice.submitted")
    assert event.actor == clerk
    assert event.amounts == {"total_gross_amount": "121.00", "currency": "EUR"}
    assert event.data == {
        "from": "in_review",
        "to": "submitted",
        "document_type": "invoice",
    }


def test_blocking_check_stops_submission(supplier, clerk):
    invoice = make_invoice(total_gross=Decimal("131.00"))

    with pytest.raises(BlockingChecksError) as raised:
        submit_for_approval(invoice, clerk)

    assert [check.code for check in raised.value.checks] == ["totals_mismatch"]
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.IN_REVIEW
    assert recorded_actions(invoice) == ["invoice.created"]


def test_submission_runs_checks_again(supplier, clerk):
    invoice = make_invoice()
    invoice.total_gross_amount = Decimal("131.00")
    invoice.save(update_fields=["total_gross_amount"])

    with pytest.raises(BlockingChecksError):
        submit_for_approval(invoice, clerk)

    assert InvoiceCheck.objects.filter(invoice=invoice, code="totals_mismatch").exists()


def test_submitting_twice_is_refused(supplier, clerk):
    invoice = make_invoice()
    submit_for_approval(invoice, clerk)

    with pytest.raises(InvalidTransitionError) as raised:
        submit_for_approval(invoice, clerk)

    assert raised.value.current == InvoiceStatus.SUBMITTED
    assert recorded_actions(invoice) == ["invoice.created", "invoice.submitted"]


def test_stale_instance_cannot_skip_a_state(supplier, clerk):
    invoice = make_invoice()
    cancel_invoice(invoice, clerk, "not an invoice")

    with pytest.raises(InvalidTransitionError):
        submit_for_approval(invoice, clerk)

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.CANCELLED


def test_cancel_records_reason(supplier, clerk):
    invoice = make_invoice()

    cancel_invoice(invoice, clerk, "duplicate of invoice 12")

    event = AuditEvent.objects.get(action="invoice.cancelled")
    assert event.data["reason"] == "duplicate of invoice 12"
    assert event.data["from"] == "in_review"


def test_rejected_invoice_back_in_review(supplier, clerk, controller):
    invoice = make_invoice()
    submit_for_approval(invoice, clerk)
    reject_invoice(invoice, controller, "wrong cost centre")

    back = return_to_review(invoice, clerk, "cost centre corrected")

    assert back.status == InvoiceStatus.IN_REVIEW
    assert recorded_actions(invoice) == [
        "invoice.created",
        "invoice.submitted",
        "invoice.rejected",
        "invoice.in_review",
    ]


def test_cancelled_invoice_is_final(supplier, clerk):
    invoice = make_invoice()
    cancel_invoice(invoice, clerk, "sent in error")

    for change in (return_to_review, cancel_invoice, reject_invoice):
        with pytest.raises(InvalidTransitionError):
            change(invoice, clerk, "try")
