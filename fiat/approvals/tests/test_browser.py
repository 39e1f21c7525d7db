"""Approving in Chromium, at 1280x800 and at 375x667.

The controller approves from the e-mailed link without signing in, and the
director from the inbox. With FIAT_SCREENSHOT_DIR set, the phone run saves
the link page as approval-phone.png into that folder, for the README.
"""

import os
import re
from pathlib import Path

import pytest
import weasyprint
from playwright.sync_api import Page, expect

from fiat.approvals.models import RequestStatus
from fiat.approvals.queries import latest_request
from fiat.payables.intake import create_invoice_from_document
from fiat.payables.models import InvoiceStatus
from fiat.payables.tests.factories import make_document, make_result
from fiat.payables.tests.test_browser import log_in, page_width_overflow
from fiat.payables.workflow import submit_for_approval

pytestmark = pytest.mark.browser

INVOICE_HTML = """
<html><body style="font-family: sans-serif">
<h1>Drukkerij De Vries B.V.</h1><p>Factuur 2026-0077</p>
<p>Folders A4, 3000 stuks: EUR 1.239,67</p><p>Totaal: EUR 1.500,00</p>
</body></html>
"""


@pytest.fixture
def submitted(people, supplier, demo_like_policy, outbox):
    """A 1,500 EUR invoice with one page, submitted by the clerk."""
    document = make_document(
        "factuur-2026-0077.pdf", weasyprint.HTML(string=INVOICE_HTML).write_pdf()
    )
    document.page_count = 1
    document.save(update_fields=["page_count"])
    invoice = create_invoice_from_document(document, _result_1500(document.filename))
    submit_for_approval(invoice, people["clerk"])
    return invoice


def _result_1500(filename: str):
    from decimal import Decimal

    from fiat.documents.extraction.result import LineFields, VatBreakdownFields

    return make_result(
        file=filename,
        invoice_number="2026-0077",
        total_net=Decimal("1239.67"),
        total_vat=Decimal("260.33"),
        total_gross=Decimal("1500.00"),
        vat_breakdown=[
            VatBreakdownFields(Decimal("21"), Decimal("1239.67"), Decimal("260.33"))
        ],
        lines=[
            LineFields("Folders A4, 3000 stuks", Decimal("1"), Decimal("1239.67"),
                       Decimal("1239.67"), Decimal("21")),
        ],
    )  # fmt: skip


def mailed_link_path(outbox, address: str) -> str:
    mail = outbox.get(template_name="approval_task", to=[address])
    url = re.search(r"http://\S+/approvals/l/[^/\s]+/", mail.body_text).group(0)
    return "/" + url.split("/", 3)[3]


def save_screenshot(page: Page, viewport_name: str) -> None:
    folder = os.environ.get("FIAT_SCREENSHOT_DIR")
    if not folder or viewport_name != "phone":
        return
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=Path(folder) / "approval-phone.png")


def test_controller_by_link_director_from_inbox(page, submitted, outbox, viewport_name):
    page.goto(mailed_link_path(outbox, "controller@example.com"))

    expect(page.get_by_role("heading", level=1)).to_contain_text("2026-0077")
    expect(page.get_by_text("EUR 1,500.00").first).to_be_visible()
    expect(page.get_by_role("img", name="Page 1 of the invoice")).to_be_visible()
    approve = page.get_by_role("button", name="Approve")
    assert approve.bounding_box()["height"] >= 44
    assert page_width_overflow(page) == 0
    save_screenshot(page, viewport_name)
    approve.click()
    expect(page.get_by_text("You approved it.")).to_be_visible()
    assert page_width_overflow(page) == 0

    log_in(page, "director")
    page.goto("/approvals/")
    page.get_by_role("link", name=re.compile("2026-0077")).click()
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("You approved")).to_be_visible()

    request = latest_request(submitted)
    assert request.status == RequestStatus.APPROVED
    submitted.refresh_from_db()
    assert submitted.status == InvoiceStatus.BOOKED


def test_refused_link_offers_login(page, submitted, outbox, viewport_name):
    path = mailed_link_path(outbox, "controller@example.com")
    page.goto(path)
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("You approved it.")).to_be_visible()

    page.goto(path)

    expect(page.get_by_role("alert")).to_contain_text("has been used already")
    assert page_width_overflow(page) == 0
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("controller")
    page.get_by_label("Password").fill("demo-controller")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2026-0077")
    expect(page.get_by_role("heading", name="History")).to_be_visible()


def test_reject_needs_comment_on_phone(page, submitted, outbox, viewport_name):
    page.goto(mailed_link_path(outbox, "controller@example.com"))

    page.get_by_role("button", name="Reject").click()

    expect(page.get_by_text("Say why you reject it")).to_be_visible()
    page.get_by_label("Comment").fill("Not ordered by us.")
    page.get_by_role("button", name="Reject").click()
    expect(page.get_by_text("You rejected it.")).to_be_visible()
