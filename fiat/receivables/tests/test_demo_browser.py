"""The page "Demo: win a deal" in Chromium, at 1280x800 and at 375x667.

The administrator wins a routine deal, which reaches the Outbox with its
PDF and UBL file, and a large one, which waits. The controller approves
the large one under Tasks, and then its mail is in the Outbox too. With
FIAT_SCREENSHOT_DIR set, the desktop run renders the first page of the
routine invoice's PDF to sales-invoice.png in that folder, for the README.
"""

import io
import os
import re
from pathlib import Path

import pypdfium2
import pytest
from playwright.sync_api import Page, expect

from fiat.approvals.demo import load_demo_policy
from fiat.browser_testing import log_in, page_width_overflow
from fiat.core.demo import load_demo
from fiat.core.models import User
from fiat.ledger.defaults import install_dutch_defaults
from fiat.ledger.models import Account, VatCode
from fiat.notifications.models import MailAttachment
from fiat.receivables.demo import load_demo_sales
from fiat.receivables.models import InvoiceStatus, SalesInvoice

pytestmark = pytest.mark.browser

# Points per inch of a PDF page, and the resolution of the screenshot.
PDF_POINTS_PER_INCH = 72
SCREENSHOT_DPI = 110


@pytest.fixture
def sales_demo(settings, outbox, transactional_db):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "scheduled"],
        }
    }
    settings.FIAT_SALES_WEBHOOK_SECRET = ""
    # A live-server test before this one flushed the ledger's default rows.
    install_dutch_defaults(Account, VatCode)
    load_demo()
    load_demo_policy()
    load_demo_sales()
    # The demo controller reads Dutch; the steps below name English labels.
    User.objects.filter(username="controller").update(language="en")


def log_out_and_in(page: Page, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, username)


def win_deal(page: Page, button: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Demo: win a deal"
    ).click()
    assert page_width_overflow(page) <= 0
    page.get_by_role("button", name=button).click()


def open_outbox_mail(page: Page, number: str) -> None:
    page.goto("/outbox/")
    page.get_by_role("link", name=re.compile(re.escape(number))).click()
    expect(page.get_by_role("heading", name="Attachments")).to_be_visible()


def pdf_first_page_png(pdf: bytes) -> tuple[bytes, tuple[int, int]]:
    """Render page 1 of ``pdf`` as PNG; return it with the page size in points."""
    document = pypdfium2.PdfDocument(pdf)
    page = document[0]
    size = (round(page.get_width()), round(page.get_height()))
    image = page.render(scale=SCREENSHOT_DPI / PDF_POINTS_PER_INCH).to_pil()
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue(), size


def save_invoice_screenshot(png: bytes, viewport_name: str) -> None:
    folder = os.environ.get("FIAT_SCREENSHOT_DIR")
    if not folder or viewport_name != "desktop":
        return
    (Path(folder) / "sales-invoice.png").write_bytes(png)


def test_won_deals_reach_outbox(page: Page, sales_demo, viewport_name):
    log_in(page, "admin")

    win_deal(page, "Win the routine deal")

    expect(page.get_by_role("status")).to_contain_text(
        "The webhook responded with 201: invoice"
    )
    routine = SalesInvoice.objects.exclude(order_reference="DEAL-0001").get()
    assert routine.status == InvoiceStatus.SENT
    expect(page.get_by_role("heading", level=1)).to_contain_text(routine.number)
    open_outbox_mail(page, routine.number)
    pdf_name = f"factuur-{routine.number}.pdf"
    expect(page.get_by_role("link", name=pdf_name)).to_be_visible()
    expect(page.get_by_role("link", name=f"{routine.number}.xml")).to_be_visible()
    assert page_width_overflow(page) <= 0
    pdf = MailAttachment.objects.get(name=pdf_name).file.read()
    png, size = pdf_first_page_png(pdf)
    assert size == (595, 842)
    assert png.startswith(b"\x89PNG")
    save_invoice_screenshot(png, viewport_name)

    win_deal(page, "Win the large deal")

    expect(page.get_by_role("status")).to_contain_text(
        "the invoice waits for the controller's review under Tasks"
    )
    large = SalesInvoice.objects.get(status=InvoiceStatus.AWAITING_REVIEW)
    assert large.payable_amount == 7260

    log_out_and_in(page, "controller")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name=re.compile("^Tasks")
    ).click()
    page.get_by_role("link", name=f"Bakkerij Jansen B.V. · #{large.pk}").click()
    assert page_width_overflow(page) <= 0
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("You approved")).to_be_visible()

    large.refresh_from_db()
    assert large.status == InvoiceStatus.SENT
    log_out_and_in(page, "admin")
    open_outbox_mail(page, large.number)
    expect(page.get_by_role("link", name=f"factuur-{large.number}.pdf")).to_be_visible()
    expect(page.get_by_role("link", name=f"{large.number}.xml")).to_be_visible()
