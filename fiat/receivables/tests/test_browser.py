"""The sales invoice pages in Chromium, at 1280x800 and at 375x667.

The controller opens the list from the menu, makes a draft, fills a line,
previews it and releases it. On a released invoice whose mail failed, the
error shows and "Send again" queues a new mail.
"""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from fiat.browser_testing import log_in, page_width_overflow
from fiat.core.models import Role
from fiat.receivables.models import InvoiceStatus, SalesInvoice, SalesInvoiceMail
from fiat.receivables.release import release_invoice
from fiat.receivables.tests.einvoices import dutch_customer
from fiat.receivables.tests.factories import make_draft, make_user, sales_vat_code

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("sales_policy")]


@pytest.fixture
def known_customer(db):
    """A customer with a released invoice, so a new one is routine."""
    customer = dutch_customer(name="Bakkerij Visser B.V.")
    release_invoice(make_draft(customer, issue_date=date(2026, 1, 5)), None)
    sales_vat_code()
    return customer


def test_draft_to_released_invoice(page: Page, known_customer):
    make_user("daan", Role.CONTROLLER)
    log_in(page, "daan")

    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Sales invoices"
    ).click()
    page.get_by_role("link", name="New invoice").click()
    page.get_by_label("Customer").select_option(label="Bakkerij Visser B.V.")
    page.get_by_role("button", name="Create draft").click()
    page.get_by_label("Description").fill("Advies")
    page.get_by_label("Quantity").fill("2")
    page.get_by_label("Unit price").fill("95")
    page.get_by_label("VAT", exact=True).select_option(label="V21 VAT standard 21%")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("The draft was saved.")
    expect(page.get_by_text("EUR 229.90")).to_be_visible()
    assert page_width_overflow(page) <= 0
    preview = page.request.get(
        page.get_by_role("link", name="Preview").get_attribute("href")
    )
    assert preview.headers["content-type"] == "application/pdf"

    page.get_by_role("button", name="Save and release").click()

    expect(page.get_by_role("status")).to_contain_text("was released")
    draft = SalesInvoice.objects.exclude(number="F2026-00001").get()
    assert draft.status == InvoiceStatus.RELEASED
    assert draft.payable_amount == Decimal("229.90")
    expect(page.get_by_role("heading", level=1)).to_contain_text(draft.number)
    assert page_width_overflow(page) <= 0


def test_failed_send_shown_and_sent_again(page: Page, known_customer):
    make_user("daan", Role.CONTROLLER)
    invoice = SalesInvoice.objects.get()
    SalesInvoiceMail.objects.filter(invoice=invoice).update(
        status="failed", error="Connection refused", attempts=3
    )
    SalesInvoice.objects.filter(pk=invoice.pk).update(send_error="Connection refused")
    log_in(page, "daan")

    page.goto("/sales/")
    expect(
        page.get_by_role("heading", name="Invoices that could not be sent")
    ).to_be_visible()
    page.get_by_role("link", name=f"{invoice.number} · Bakkerij Visser B.V.").click()
    expect(page.get_by_role("alert")).to_contain_text("Connection refused")
    assert page_width_overflow(page) <= 0
    page.get_by_role("button", name="Send again").click()

    expect(page.get_by_role("status")).to_contain_text(
        "The invoice is being sent to administratie@bakkerijvisser.nl."
    )
    assert SalesInvoiceMail.objects.filter(invoice=invoice).count() == 2
