"""The ready-for-payment list: booked invoices by due date."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from fiat.core.dates import business_date
from fiat.core.models import Role
from fiat.documents.extraction.result import DocumentType
from fiat.payables.booking import book_purchase_invoice
from fiat.payables.models import PurchaseInvoice
from fiat.payables.ready_for_payment import amount_to_pay, totals_by_currency
from fiat.payables.tests.booked import approved_invoice
from fiat.payables.tests.factories import OTHER_IBAN, make_invoice, make_user

pytestmark = pytest.mark.django_db

URL = "/payables/ready-for-payment/"


def booked_invoice(number: str, due_in_days: int | None, **fields) -> PurchaseInvoice:
    """Book an invoice due ``due_in_days`` from today (None: no due date)."""
    today = business_date()
    due_date = None if due_in_days is None else today + timedelta(days=due_in_days)
    invoice = approved_invoice(
        {"due_date": due_date}, invoice_number=number, **fields
    )
    book_purchase_invoice(invoice, actor=None, approvals=())
    invoice.refresh_from_db()
    return invoice


def test_url_is_named():
    assert reverse("payables:ready-for-payment") == URL


def test_booked_invoices_by_due_date(client, supplier, clerk):
    later = booked_invoice("LATER", 20)
    undated = booked_invoice("UNDATED", None)
    overdue = booked_invoice("OVERDUE", -3)
    soon = booked_invoice("SOON", 2)
    make_invoice(invoice_number="IN-REVIEW")
    client.force_login(clerk)

    response = client.get(URL)

    rows = response.context["rows"]
    assert [row.invoice.pk for row in rows] == [
        overdue.pk, soon.pk, later.pk, undated.pk,
    ]  # fmt: skip
    assert [row.is_overdue for row in rows] == [True, False, False, False]


def test_due_today_is_not_overdue(client, supplier, clerk):
    booked_invoice("TODAY", 0)
    client.force_login(clerk)

    response = client.get(URL)

    assert [row.is_overdue for row in response.context["rows"]] == [False]


def test_row_links_invoice_and_entry(client, supplier, clerk):
    invoice = booked_invoice("INV-1", 10, supplier={"iban": OTHER_IBAN})
    client.force_login(clerk)

    response = client.get(URL)

    row = response.context["rows"][0]
    assert row.journal_entry.number == "2026-000001"
    assert row.amount_to_pay == Decimal("121.00")
    html = response.content.decode()
    assert f'href="/payables/{invoice.pk}/"' in html
    assert 'href="/ledger/entries/2026-000001/"' in html
    assert OTHER_IBAN in html
    assert "EUR 121.00" in html


def test_overdue_row_is_marked(client, supplier, clerk):
    booked_invoice("LATE-1", -1)
    client.force_login(clerk)

    html = client.get(URL).content.decode()

    assert 'class="overdue"' in html
    assert "Overdue" in html


def test_amount_to_pay_prefers_amount_due(supplier):
    invoice = booked_invoice("PART-1", 10, amount_due=Decimal("100.00"))

    assert amount_to_pay(invoice) == Decimal("100.00")


def test_credit_note_reduces_amount(supplier):
    credit_note = booked_invoice(
        "CN-1", 10, document_type=DocumentType.CREDIT_NOTE
    )

    assert amount_to_pay(credit_note) == Decimal("-121.00")


def test_totals_per_currency(supplier):
    booked_invoice("A", -2)
    booked_invoice(
        "B",
        5,
        total_net=Decimal("200.00"),
        total_vat=Decimal("42.00"),
        total_gross=Decimal("242.00"),
        vat_breakdown=[],
        lines=[],
    )
    booked_invoice("C", 5, document_type=DocumentType.CREDIT_NOTE)

    totals = totals_by_currency(business_date())

    assert len(totals) == 1
    assert totals[0].currency == "EUR"
    assert totals[0].amount_to_pay == Decimal("242.00")
    assert totals[0].invoice_count == 3
    assert totals[0].overdue_count == 1


def test_empty_list_says_so(client, clerk):
    client.force_login(clerk)

    response = client.get(URL)

    assert "No booked invoices are waiting for payment." in response.content.decode()


@pytest.mark.parametrize(
    "role",
    [Role.AP_CLERK, Role.CONTROLLER, Role.DIRECTOR, Role.ADMINISTRATOR, Role.AUDITOR],
)
def test_finance_roles_open_list(client, role):
    client.force_login(make_user("viewer", role))

    assert client.get(URL).status_code == 200


def test_employee_gets_404(client, employee):
    client.force_login(employee)

    assert client.get(URL).status_code == 404


def test_menu_entry_for_finance_roles(client, clerk, employee):
    client.force_login(clerk)
    clerk_home = client.get(reverse("home")).content.decode()
    client.force_login(employee)
    employee_home = client.get(reverse("home")).content.decode()

    assert f'href="{URL}"' in clerk_home
    assert f'href="{URL}"' not in employee_home
