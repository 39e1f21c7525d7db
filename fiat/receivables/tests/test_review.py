"""Review of sales invoices by the approval engine, under the demo policy.

The demo policy sends an invoice to the controller above 5,000 euros, for a
new customer, for a line discount above 10 % and for a foreign currency.
Every other invoice is released at once.
"""

from datetime import date
from decimal import Decimal

import pytest

from fiat.approvals.engine import decide
from fiat.approvals.models import ApprovalRequest, Assignment, RequestStatus
from fiat.audit.models import AuditEvent
from fiat.core.models import ExchangeRate
from fiat.receivables.approval import SALES_INVOICE, invoice_facts
from fiat.receivables.drafting import LineData
from fiat.receivables.models import InvoiceStatus, SalesInvoiceMail
from fiat.receivables.release import (
    EmptyInvoiceError,
    finalise_draft,
    release_invoice,
)
from fiat.receivables.tests.factories import (
    make_customer,
    make_draft,
    sales_vat_code,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sales_policy")]


@pytest.fixture
def known_customer(db):
    """A customer with one released invoice, so it is no longer new."""
    customer = make_customer()
    release_invoice(make_draft(customer, issue_date=date(2026, 1, 5)), None)
    return customer


def _line(price: str, discount: str = "0") -> LineData:
    return LineData(
        description="Advies",
        unit_price=Decimal(price),
        vat_code=sales_vat_code(),
        discount_percent=Decimal(discount),
    )


def _request(invoice) -> ApprovalRequest:
    return ApprovalRequest.objects.get(
        document_kind=SALES_INVOICE, object_id=invoice.pk
    )


def test_routine_invoice_released_at_once(known_customer):
    invoice = make_draft(known_customer, _line("100.00"))

    finalised = finalise_draft(invoice, None)

    assert finalised.status == InvoiceStatus.RELEASED
    assert finalised.number.endswith("-00002")
    assert not ApprovalRequest.objects.exists()


@pytest.mark.parametrize(
    ("price", "discount", "rule"),
    [
        ("5000.00", "0", "Above 5,000"),
        ("1000.00", "15", "Discount above 10%"),
    ],
)
def test_unusual_invoice_awaits_controller(
    known_customer, controller, price, discount, rule
):
    invoice = make_draft(known_customer, _line(price, discount))

    finalised = finalise_draft(invoice, None)

    request = _request(invoice)
    assert finalised.status == InvoiceStatus.AWAITING_REVIEW
    assert finalised.number == ""
    assert request.rule_name == rule
    assert list(
        Assignment.objects.filter(step__request=request).values_list(
            "approver__username", flat=True
        )
    ) == ["carla"]
    event = AuditEvent.objects.get(action="sales_invoice.awaiting_review")
    assert event.data["rule"] == rule


def test_discount_of_ten_percent_is_routine(known_customer):
    invoice = make_draft(known_customer, _line("1000.00", "10"))

    assert finalise_draft(invoice, None).status == InvoiceStatus.RELEASED


def test_new_customer_awaits_review(controller):
    invoice = make_draft(make_customer(name="Nieuw B.V."), _line("100.00"))

    finalise_draft(invoice, None)

    assert _request(invoice).rule_name == "New customer"


def test_foreign_currency_awaits_review(known_customer, controller):
    ExchangeRate.objects.create(
        currency="GBP", rate_date=date(2026, 3, 2), rate=Decimal("0.85")
    )
    invoice = make_draft(
        known_customer, _line("100.00"), currency="GBP", issue_date=date(2026, 3, 2)
    )

    finalise_draft(invoice, None)

    assert _request(invoice).rule_name == "Foreign currency"
    assert invoice_facts(invoice).extra["foreign_currency"] is True


def test_approval_releases_and_sends(
    known_customer, controller, django_capture_on_commit_callbacks
):
    invoice = make_draft(known_customer, _line("6000.00"))
    finalise_draft(invoice, None)
    step = _request(invoice).steps.get()

    with django_capture_on_commit_callbacks(execute=True):
        decide(step, user=controller, outcome="approved")

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.RELEASED
    assert invoice.number.endswith("-00002")
    assert _request(invoice).status == RequestStatus.APPROVED
    assert SalesInvoiceMail.objects.filter(invoice=invoice).count() == 1


def test_rejection_returns_to_draft(known_customer, controller):
    invoice = make_draft(known_customer, _line("6000.00"))
    finalise_draft(invoice, None)
    step = _request(invoice).steps.get()

    decide(step, user=controller, outcome="rejected", comment="Verkeerde prijs")

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.DRAFT
    assert invoice.number == ""
    event = AuditEvent.objects.filter(action="sales_invoice.draft").get()
    assert event.data["reason"] == "Verkeerde prijs"


def test_creator_cannot_approve_own_invoice(known_customer, controller):
    invoice = make_draft(known_customer, _line("6000.00"), actor=controller)

    finalise_draft(invoice, controller)

    usernames = set(
        Assignment.objects.filter(step__request=_request(invoice)).values_list(
            "approver__username", flat=True
        )
    )
    assert usernames == {"director"}


def test_empty_draft_opens_no_request(known_customer):
    empty = make_draft(known_customer, _line("100.00"))
    empty.lines.all().delete()

    with pytest.raises(EmptyInvoiceError):
        finalise_draft(empty, None)
    assert not ApprovalRequest.objects.exists()
