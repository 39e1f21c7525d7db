"""A demo invoice from "submitted" to "booked", through the web pages only.

The clerk submits the demo's Kantoorhuis invoice of EUR 3,562.24 on the
review screen. The controller finds the approval mail in the Outbox on a
phone, opens its link in a browser without a session (as from a mail app)
and approves. The director approves from the task inbox on a desktop. The
invoice is then booked as a balanced journal entry that carries both
decisions, and `fiat audit verify` passes.
"""

import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation
from playwright.sync_api import expect

from fiat.conftest import VIEWPORTS
from fiat.core.models import User
from fiat.documents.models import Document
from fiat.documents.reading import read_document
from fiat.ledger.models import JournalEntry
from fiat.payables.models import InvoiceStatus, PurchaseInvoice
from fiat.payables.tests.test_browser import log_in, page_width_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_DOCUMENT = "03-kantoorhuis-F2026-0437.pdf"


@pytest.fixture
def demo_invoice(settings, live_server, outbox) -> PurchaseInvoice:
    settings.FIAT_BASE_URL = live_server.url
    settings.FIAT_OUTBOX_PAGE = True
    call_command("demo", stdout=StringIO())
    # The demo's people read Dutch or English; the pages and mails are
    # checked here in English.
    User.objects.update(language="en")
    read_document.call(Document.objects.get(filename=DEMO_DOCUMENT).pk)
    return PurchaseInvoice.objects.get(invoice_number="F2026-0437")


@pytest.fixture
def open_context(browser, live_server):
    contexts = []

    def open_page(viewport: str):
        context = browser.new_context(
            **VIEWPORTS[viewport], base_url=live_server.url, locale="en-GB"
        )
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def test_demo_invoice_approved_and_booked(demo_invoice, open_context):
    assert demo_invoice.total_gross_amount == Decimal("3562.24")

    clerk = open_context("desktop")
    log_in(clerk, "clerk")
    clerk.goto("/payables/")
    clerk.get_by_role("link", name=re.compile("Kantoorhuis")).filter(
        has_text="Kantoorhuis"
    ).first.click()
    expect(clerk.get_by_role("heading", level=1)).to_contain_text("F2026-0437")
    clerk.get_by_role("button", name="Submit for approval").click()
    expect(clerk.get_by_role("status")).to_contain_text("submitted for approval")

    controller_mail = open_context("phone")
    log_in(controller_mail, "controller")
    controller_mail.goto("/outbox/")
    controller_mail.get_by_role("link", name=re.compile("F2026-0437")).first.click()
    link = controller_mail.frame_locator("iframe").get_by_role(
        "link", name="Approve or reject"
    )
    link_url = link.get_attribute("href")
    assert "/approvals/l/" in link_url

    controller = open_context("phone")
    controller.goto(link_url)
    expect(controller.get_by_role("heading", level=1)).to_contain_text("F2026-0437")
    assert page_width_overflow(controller) == 0
    controller.get_by_role("button", name="Approve").click()
    expect(controller.get_by_text("You approved it.")).to_be_visible()

    director = open_context("desktop")
    log_in(director, "director")
    director.goto("/approvals/")
    director.get_by_role("link", name=re.compile("F2026-0437")).click()
    director.get_by_role("button", name="Approve").click()
    expect(director.get_by_text("You approved")).to_be_visible()

    demo_invoice.refresh_from_db()
    assert demo_invoice.status == InvoiceStatus.BOOKED
    entry = JournalEntry.objects.get(
        source_kind="payables.purchaseinvoice", source_id=str(demo_invoice.pk)
    )
    debit = sum(line.debit for line in entry.lines.all())
    credit = sum(line.credit for line in entry.lines.all())
    assert debit == credit == Decimal("3562.24")
    assert [decision["approver"] for decision in entry.approvals] == [
        "Daan de Vries",
        "Eva Jansen",
    ]
    assert [decision["decision"] for decision in entry.approvals] == [
        "approved",
        "approved",
    ]
    output = StringIO()
    with translation.override("en"):
        call_command("audit", "seal", stdout=StringIO())
        call_command("audit", "verify", stdout=output)
    assert output.getvalue().startswith("Audit trail intact")
