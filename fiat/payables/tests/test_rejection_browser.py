"""A rejected invoice in the browser: the way back into review, on each viewport."""

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from fiat.approvals import engine
from fiat.approvals.queries import latest_request
from fiat.core.models import Role
from fiat.documents.extraction.result import LineFields
from fiat.payables.models import InvoiceStatus
from fiat.payables.tests.factories import make_invoice, make_supplier, make_user
from fiat.payables.tests.test_browser import log_in, page_width_overflow
from fiat.payables.workflow import submit_for_approval

pytestmark = pytest.mark.browser


@pytest.fixture
def rejected_invoice(db):
    clerk = make_user("anna", Role.AP_CLERK)
    controller = make_user("daan", Role.CONTROLLER)
    make_supplier()
    line = LineFields(
        "Toner cartridges", Decimal("8"), Decimal("24.95"), Decimal("199.60"),
        Decimal("21"),
    )  # fmt: skip
    invoice = submit_for_approval(
        make_invoice(
            total_net=Decimal("199.60"),
            total_vat=Decimal("41.92"),
            total_gross=Decimal("241.52"),
            lines=[line],
        ),
        clerk,
    )
    engine.decide(
        latest_request(invoice).steps.get(),
        user=controller,
        outcome="rejected",
        comment="Wrong cost centre.",
    )
    invoice.refresh_from_db()
    return invoice


def test_clerk_takes_rejected_invoice_back(page: Page, rejected_invoice):
    log_in(page, "anna")

    page.goto(f"/payables/{rejected_invoice.pk}/")
    expect(page.get_by_text("Rejected by Daan Jansen")).to_be_visible()
    expect(page.get_by_text("Wrong cost centre.")).to_be_visible()
    assert page_width_overflow(page) == 0
    page.get_by_label("Reason").first.fill("Cost centre corrected.")
    page.get_by_role("button", name="Back to review").click()

    expect(page.get_by_text("The invoice is back in review")).to_be_visible()
    rejected_invoice.refresh_from_db()
    assert rejected_invoice.status == InvoiceStatus.IN_REVIEW


def test_summary_lines_fit_and_amounts_stay_whole(page: Page, rejected_invoice):
    log_in(page, "daan")

    page.goto(f"/approvals/requests/{latest_request(rejected_invoice).pk}/")

    amount = page.locator(".summary-line-amount").first
    expect(amount).to_have_text("EUR 199.60")
    box = amount.bounding_box()
    line_height = float(
        amount.evaluate("element => parseFloat(getComputedStyle(element).lineHeight)")
    )
    assert box["height"] < 2 * line_height
    expect(page.locator(".summary-line-price").first).to_have_text("8 \u00d7 EUR 24.95")
    assert page_width_overflow(page) == 0
