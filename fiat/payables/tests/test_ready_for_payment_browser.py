"""The ready-for-payment list and a journal entry, in Chromium.

Runs at 1280x800 and at 375x667: the controller opens the list from the
menu, sees the overdue invoice first, follows it to its journal entry and
from there to the invoice.
"""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from fiat.browser_testing import log_in, page_width_overflow
from fiat.core.dates import business_date
from fiat.core.models import Role
from fiat.payables.booking import book_purchase_invoice
from fiat.payables.tests.booked import approved_invoice
from fiat.payables.tests.factories import make_supplier, make_user

pytestmark = pytest.mark.browser

TRAIL = [
    {
        "step": 1,
        "approver": "Daan Jansen",
        "decision": "approved",
        "decided_at": "2026-03-03T09:15:00+00:00",
    },
    {
        "step": 2,
        "approver": "Femke Jansen",
        "on_behalf_of": "Eva Jansen",
        "decision": "approved",
        "decided_at": "2026-03-04T14:00:00+00:00",
        "comment": "Within the marketing budget",
    },
]


@pytest.fixture
def booked_invoices(db) -> list:
    """Book two invoices: one due in 20 days, then one 3 days overdue."""
    make_supplier()
    today = business_date()
    invoices = []
    for number, due_in_days, trail in (("LATER-7", 20, []), ("LATE-3", -3, TRAIL)):
        invoice = approved_invoice(
            {"due_date": today + timedelta(days=due_in_days)}, invoice_number=number
        )
        book_purchase_invoice(invoice, actor=None, approvals=trail)
        invoices.append(invoice)
    return invoices


def test_controller_follows_invoice_to_entry(page, booked_invoices, viewport_name):
    overdue = booked_invoices[1]
    make_user("daan", Role.CONTROLLER)
    log_in(page, "daan")

    menu = page.get_by_role("navigation", name="Main")
    menu.get_by_role("link", name="Ready for payment").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ready for payment")
    rows = page.locator("table.ready-for-payment tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("LATE-3")
    expect(rows.nth(0).get_by_text("Overdue")).to_be_visible()
    expect(rows.nth(1)).to_contain_text("LATER-7")
    expect(rows.nth(1).get_by_text("Overdue")).to_have_count(0)
    expect(rows.nth(0)).to_contain_text("EUR 121.00")
    assert page_width_overflow(page) == 0

    rows.nth(0).get_by_role("link", name="2026-000002").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Journal entry 2026-000002"
    )
    expect(page.get_by_text("Balanced", exact=True)).to_be_visible()
    expect(page.locator("table.journal tbody tr")).to_have_count(3)
    expect(page.get_by_text("Femke Jansen on behalf of Eva Jansen")).to_be_visible()
    expect(page.get_by_text("Within the marketing budget")).to_be_visible()
    assert page_width_overflow(page) == 0

    page.get_by_role("link", name="Open the booked document").click()

    expect(page).to_have_url(re.compile(rf"/payables/{overdue.pk}/$"))
