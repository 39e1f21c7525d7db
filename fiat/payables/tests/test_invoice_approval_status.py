"""The invoice's page after submission: approval status, rejection, booking."""

from decimal import Decimal

import pytest
from django.urls import reverse

from fiat.approvals import engine
from fiat.approvals.queries import latest_request
from fiat.documents.extraction.result import LineFields
from fiat.ledger.models import JournalEntry
from fiat.payables.models import InvoiceStatus
from fiat.payables.tests.factories import make_invoice
from fiat.payables.workflow import submit_for_approval

pytestmark = pytest.mark.django_db


def invoice_url(invoice) -> str:
    return reverse("payables:invoice", args=[invoice.pk])


@pytest.fixture
def submitted(clerk, controller, supplier):
    """An invoice the clerk submitted; the controller approves it."""
    return submit_for_approval(make_invoice(), clerk)


@pytest.fixture
def rejected(submitted, controller, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        engine.decide(
            latest_request(submitted).steps.get(),
            user=controller,
            outcome="rejected",
            comment="Wrong cost centre.",
        )
    submitted.refresh_from_db()
    return submitted


def test_rejected_page_shows_who_and_why(client, clerk, rejected):
    request = latest_request(rejected)
    client.force_login(clerk)

    content = client.get(invoice_url(rejected)).content.decode()

    assert "Rejected by Daan Jansen" in content
    assert "Wrong cost centre." in content
    assert reverse("approvals:request", args=[request.pk]) in content
    assert reverse("payables:back-to-review", args=[rejected.pk]) in content
    assert reverse("payables:cancel", args=[rejected.pk]) in content


def test_auditor_sees_rejection_without_actions(client, auditor, rejected):
    client.force_login(auditor)

    content = client.get(invoice_url(rejected)).content.decode()

    assert "Wrong cost centre." in content
    assert reverse("payables:back-to-review", args=[rejected.pk]) not in content
    assert reverse("payables:cancel", args=[rejected.pk]) not in content


def test_back_to_review_reopens_invoice(client, clerk, rejected):
    client.force_login(clerk)

    response = client.post(
        reverse("payables:back-to-review", args=[rejected.pk]),
        {"reason": "Cost centre corrected."},
    )

    rejected.refresh_from_db()
    assert response.status_code == 302
    assert rejected.status == InvoiceStatus.IN_REVIEW
    event = rejected_events(rejected)[-1]
    assert event.data["reason"] == "Cost centre corrected."


def test_back_to_review_needs_reason(client, clerk, rejected):
    client.force_login(clerk)

    client.post(reverse("payables:back-to-review", args=[rejected.pk]), {"reason": ""})

    rejected.refresh_from_db()
    assert rejected.status == InvoiceStatus.REJECTED


def test_back_to_review_refused_for_auditor(client, auditor, rejected):
    client.force_login(auditor)

    response = client.post(
        reverse("payables:back-to-review", args=[rejected.pk]), {"reason": "No."}
    )

    rejected.refresh_from_db()
    assert response.status_code == 403
    assert rejected.status == InvoiceStatus.REJECTED


def test_back_to_review_only_from_rejected(client, clerk, submitted):
    client.force_login(clerk)

    client.post(
        reverse("payables:back-to-review", args=[submitted.pk]), {"reason": "Oops."}
    )

    submitted.refresh_from_db()
    assert submitted.status == InvoiceStatus.SUBMITTED


def test_rejected_invoice_can_be_cancelled(client, clerk, rejected):
    client.force_login(clerk)

    client.post(reverse("payables:cancel", args=[rejected.pk]), {"reason": "Void."})

    rejected.refresh_from_db()
    assert rejected.status == InvoiceStatus.CANCELLED


def test_rejection_mail_names_what_page_offers(outbox, rejected):
    mail = outbox.get(template_name="approval_rejected")

    offer = "put it back into review, correct it and submit it again, or cancel it"
    assert offer in mail.body_text
    assert offer in mail.body_html


def test_submitted_page_links_to_request(client, clerk, submitted):
    request = latest_request(submitted)
    client.force_login(clerk)

    response = client.get(invoice_url(submitted))

    content = response.content.decode()
    assert reverse("approvals:request", args=[request.pk]) in content
    assert "Open the approval request" in content
    assert response.context["approval"].rejection is None


def test_booked_page_links_to_journal_entry(client, clerk, submitted, controller):
    engine.decide(
        latest_request(submitted).steps.get(), user=controller, outcome="approved"
    )
    submitted.refresh_from_db()
    entry = JournalEntry.objects.get(
        source_kind="payables.purchaseinvoice", source_id=str(submitted.pk)
    )
    client.force_login(clerk)

    content = client.get(invoice_url(submitted)).content.decode()

    assert submitted.status == InvoiceStatus.BOOKED
    assert reverse("ledger:entry", args=[entry.number]) in content
    assert entry.number in content


def test_invoice_in_review_shows_no_approval(client, clerk, supplier):
    invoice = make_invoice()
    client.force_login(clerk)

    response = client.get(invoice_url(invoice))

    assert response.context["approval"] is None


def test_summary_line_shows_quantity_unit_price_and_total(
    client, clerk, controller, supplier
):
    line = LineFields(
        "Toner cartridges",
        Decimal("8"),
        Decimal("24.95"),
        Decimal("199.60"),
        Decimal("21"),
    )
    invoice = make_invoice(
        total_net=Decimal("199.60"),
        total_vat=Decimal("41.92"),
        total_gross=Decimal("241.52"),
        lines=[line],
    )
    submitted = submit_for_approval(invoice, clerk)
    client.force_login(controller)

    response = client.get(
        reverse("approvals:request", args=[latest_request(submitted).pk])
    )

    content = response.content.decode()
    assert "8 \u00d7 EUR 24.95" in content
    assert "8 \u00d7 EUR 199.60" not in content
    assert '<td class="amount summary-line-amount">EUR 199.60</td>' in content


def rejected_events(invoice):
    from fiat.audit.models import AuditEvent

    return list(
        AuditEvent.objects.filter(
            object_id=str(invoice.pk), action="invoice.in_review"
        ).order_by("pk")
    )
