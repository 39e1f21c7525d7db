"""An approval whose booking fails: the approval is kept, the invoice waits.

The approver is not the person who can fix a missing account, so the
decision is recorded and the invoice stays approved with the reason, until
a clerk or controller books it from its page.
"""

import pytest
from django.urls import reverse

from fiat.approvals.links import make_link
from fiat.approvals.models import RequestStatus
from fiat.approvals.tests.helpers import submitted_invoice
from fiat.audit.testing import recorded_actions
from fiat.audit.verification import verify_trail
from fiat.ledger.models import Account, JournalEntry
from fiat.payables.models import InvoiceStatus, PurchaseInvoice

pytestmark = pytest.mark.django_db

CREDITORS = "1600"


@pytest.fixture(autouse=True)
def _english_visitor(client) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def creditors_inactive(db):
    Account.objects.filter(code=CREDITORS).update(is_active=False)


@pytest.fixture
def approved_unbooked(
    client, django_capture_on_commit_callbacks, people, supplier, demo_like_policy,
    creditors_inactive,
):
    """A 500 EUR invoice approved by link while the creditors account is inactive."""
    invoice, request = submitted_invoice(people["clerk"], "500.00", number="BF-1")
    assignment = request.steps.get().assignments.get(approver=people["controller"])
    token = make_link(assignment, people["controller"], hours=72)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("approvals:link", args=[token]), {"outcome": "approved"}
        )
    return invoice, request, response


def test_approval_kept_when_booking_fails(approved_unbooked):
    invoice, request, response = approved_unbooked
    invoice.refresh_from_db()
    request.refresh_from_db()

    assert response.status_code == 200
    assert "You approved it." in response.content.decode()
    assert request.status == RequestStatus.APPROVED
    assert invoice.status == InvoiceStatus.APPROVED
    assert "account 1600 is inactive" in invoice.booking_error
    assert recorded_actions(invoice)[-2:] == [
        "invoice.approved",
        "invoice.booking_failed",
    ]
    assert not JournalEntry.objects.filter(source_id=str(invoice.pk)).exists()
    assert verify_trail().is_intact


def test_booking_failure_mailed(approved_unbooked, outbox):
    invoice, _request, _response = approved_unbooked

    recipients = sorted(
        mail.to[0] for mail in outbox.filter(template_name="invoice_booking_failed")
    )

    assert recipients == [
        "clerk@example.com",
        "controller2@example.com",
        "controller@example.com",
    ]
    mail = outbox.get(template_name="invoice_booking_failed", to=["clerk@example.com"])
    assert mail.subject == "Approved but not booked: Drukkerij De Vries B.V. · BF-1"
    assert "account 1600 is inactive" in mail.body_text
    assert f"/payables/{invoice.pk}/" in mail.body_text


def test_invoice_page_shows_reason(client, people, approved_unbooked):
    invoice, _request, _response = approved_unbooked
    client.force_login(people["clerk"])

    page = client.get(reverse("payables:invoice", args=[invoice.pk])).content.decode()

    assert "Approved, but not booked:" in page
    assert "account 1600 is inactive" in page
    assert reverse("payables:book", args=[invoice.pk]) in page


def test_book_after_fix(client, people, approved_unbooked):
    invoice, _request, _response = approved_unbooked
    Account.objects.filter(code=CREDITORS).update(is_active=True)
    client.force_login(people["clerk"])

    response = client.post(reverse("payables:book", args=[invoice.pk]), follow=True)
    invoice.refresh_from_db()
    entry = JournalEntry.objects.get(source_id=str(invoice.pk))

    assert invoice.status == InvoiceStatus.BOOKED
    assert invoice.booking_error == ""
    assert f"booked as journal entry {entry.number}" in response.content.decode()
    assert entry.approvals[0]["approver"] == "Controller Jansen"
    assert recorded_actions(invoice)[-1] == "invoice.booked"
    assert verify_trail().is_intact


def test_book_before_fix_keeps_waiting(client, people, approved_unbooked):
    invoice, _request, _response = approved_unbooked
    client.force_login(people["controller2"])

    response = client.post(reverse("payables:book", args=[invoice.pk]), follow=True)
    invoice.refresh_from_db()

    assert "The invoice is still not booked:" in response.content.decode()
    assert invoice.status == InvoiceStatus.APPROVED
    assert "account 1600 is inactive" in invoice.booking_error
    assert recorded_actions(invoice)[-2:] == ["invoice.booking_failed"] * 2


def test_booked_invoice_not_booked_again(client, people, supplier, demo_like_policy):
    invoice, _request = submitted_invoice(people["clerk"], "500.00", number="BF-2")
    PurchaseInvoice.objects.filter(pk=invoice.pk).update(status=InvoiceStatus.BOOKED)
    client.force_login(people["clerk"])

    response = client.post(reverse("payables:book", args=[invoice.pk]), follow=True)

    assert "Only an approved invoice that is not booked" in response.content.decode()
    assert not JournalEntry.objects.filter(source_id=str(invoice.pk)).exists()
