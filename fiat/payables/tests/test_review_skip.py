"""Invoices of a trusted supplier submitted for approval without review."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction

from fiat.approvals.models import ApprovalRequest
from fiat.audit.models import AuditEvent
from fiat.audit.services import record_event
from fiat.documents.extraction import trust
from fiat.documents.extraction.trust import NEVER_TRUSTED
from fiat.payables.intake import LOW_CONFIDENCE_THRESHOLD, review_threshold
from fiat.payables.models import InvoiceStatus
from fiat.payables.review_skip import RECENT_INVOICES, review_needed_reasons
from fiat.payables.tests.factories import OTHER_IBAN, make_invoice
from fiat.payables.workflow import submit_for_approval

pytestmark = pytest.mark.django_db

# Every field the bench calibrates, read well above its trusted threshold.
TRUSTED = {
    "invoice_number": 0.95,
    "issue_date": 0.95,
    "due_date": 0.95,
    "currency": 0.95,
    "total_net": 0.95,
    "total_vat": 0.95,
    "total_gross": 0.95,
    "supplier.vat_number": 0.95,
    "supplier.iban": 0.95,
}


def make_history(clerk, count: int = RECENT_INVOICES) -> list:
    """Take in ``count`` invoices of the supplier and submit each one.

    Each has its own number and date, so none looks like a duplicate.
    """
    invoices = []
    for number in range(1, count + 1):
        invoice = make_invoice(
            invoice_number=f"OLD-{number}",
            issue_date=date(2026, 1, number),
            confidence=TRUSTED,
        )
        invoices.append(submit_for_approval(invoice, clerk))
    return invoices


def mark_corrected(invoice, clerk) -> None:
    with transaction.atomic():
        record_event(
            invoice,
            "invoice.corrected",
            actor=clerk,
            data={"changes": {"invoice_number": ["0LD", "OLD"]}},
        )


def test_trusted_invoice_submitted_without_review(supplier, clerk):
    supplier.skip_review = True
    supplier.save(update_fields=["skip_review"])
    make_history(clerk)

    invoice = make_invoice(confidence=TRUSTED)

    assert invoice.status == InvoiceStatus.SUBMITTED
    assert invoice.submitted_by is None
    request = ApprovalRequest.objects.get(object_id=invoice.pk)
    assert request.submitted_by is None
    assert request.excluded_user_ids == []
    event = AuditEvent.objects.get(
        object_id=str(invoice.pk), action="invoice.submitted"
    )
    assert event.actor is None
    assert event.data["review_skipped"] is True


def test_supplier_without_setting_reviewed(supplier, clerk):
    make_history(clerk)

    invoice = make_invoice(confidence=TRUSTED)

    assert invoice.status == InvoiceStatus.IN_REVIEW
    assert review_needed_reasons(invoice) == ["supplier_reviewed"]


def test_short_history_reviewed(supplier, clerk):
    supplier.skip_review = True
    supplier.save(update_fields=["skip_review"])
    make_history(clerk, RECENT_INVOICES - 1)

    invoice = make_invoice(confidence=TRUSTED)

    assert invoice.status == InvoiceStatus.IN_REVIEW
    assert review_needed_reasons(invoice) == ["recent_corrections"]


def test_recent_correction_means_review(supplier, clerk):
    supplier.skip_review = True
    supplier.save(update_fields=["skip_review"])
    history = make_history(clerk)
    mark_corrected(history[0], clerk)

    invoice = make_invoice(confidence=TRUSTED)

    assert invoice.status == InvoiceStatus.IN_REVIEW
    assert review_needed_reasons(invoice) == ["recent_corrections"]


def test_correction_before_last_five_ignored(supplier, clerk):
    supplier.skip_review = True
    supplier.save(update_fields=["skip_review"])
    oldest = make_history(clerk, 1)[0]
    mark_corrected(oldest, clerk)
    for number in range(1, RECENT_INVOICES + 1):
        later = make_invoice(
            invoice_number=f"NEW-{number}",
            issue_date=date(2026, 2, number),
            confidence=TRUSTED,
        )
        submit_for_approval(later, clerk)

    invoice = make_invoice(confidence=TRUSTED)

    assert invoice.status == InvoiceStatus.SUBMITTED


def test_field_below_trusted_threshold_reviewed(supplier, clerk):
    supplier.skip_review = True
    supplier.save(update_fields=["skip_review"])
    make_history(clerk)
    threshold = review_threshold("pdf_text", "total_vat")
    below = {**TRUSTED, "total_vat": threshold - 0.01}

    invoice = make_invoice(confidence=below)

    assert threshold > LOW_CONFIDENCE_THRESHOLD
    assert invoice.status == InvoiceStatus.IN_REVIEW
    assert invoice.review_fields == ["total_vat_amount"]
    assert review_needed_reasons(invoice) == [
        "fields_marked",
        "fields_not_trusted",
        "findings",
    ]


def test_field_without_confidence_not_trusted(supplier, clerk):
    supplier.skip_review = True
    supplier.save(update_fields=["skip_review"])
    make_history(clerk)
    without_net = {
        name: value for name, value in TRUSTED.items() if name != "total_net"
    }

    invoice = make_invoice(confidence=without_net)

    assert invoice.status == InvoiceStatus.IN_REVIEW
    assert review_needed_reasons(invoice) == ["fields_not_trusted"]


def test_warning_finding_means_review(supplier, clerk):
    supplier.skip_review = True
    supplier.save(update_fields=["skip_review"])
    make_history(clerk)

    invoice = make_invoice(
        confidence=TRUSTED, supplier={"iban": OTHER_IBAN}, total_gross=Decimal("121")
    )

    assert invoice.status == InvoiceStatus.IN_REVIEW
    assert "findings" in review_needed_reasons(invoice)


def test_never_trusted_field_always_marked(supplier, monkeypatch):
    # The bench rewrites the thresholds file, so the test sets its own.
    thresholds = {"ocr": {"issue_date": NEVER_TRUSTED}}
    monkeypatch.setattr(trust, "calibrated_thresholds", lambda: thresholds)

    invoice = make_invoice(source="ocr", confidence={"issue_date": 0.99})

    assert review_threshold("ocr", "issue_date") == float("inf")
    assert invoice.review_fields == ["issue_date"]


def test_einvoice_fields_trusted_at_full_confidence():
    assert review_threshold("ubl", "total_gross") == 1.0
    assert review_threshold("pdf_text", "po_reference") == LOW_CONFIDENCE_THRESHOLD
