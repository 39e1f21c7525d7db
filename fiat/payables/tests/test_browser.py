"""The review screen in Chromium, at 1280x800 and at 375x667.

The clerk opens an invoice whose total was misread, corrects it with the
keyboard, saves with Enter and submits it. With FIAT_SCREENSHOT_DIR set, the
test also saves a screenshot of the review screen per viewport into that
folder (review-screen.png and review-screen-phone.png), for the README.
"""

import os
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import weasyprint
from playwright.sync_api import Page, expect

from fiat.audit.models import AuditEvent
from fiat.browser_testing import log_in, page_width_overflow
from fiat.core.models import Role
from fiat.documents.extraction.result import LineFields, VatBreakdownFields
from fiat.payables.intake import create_invoice_from_document
from fiat.payables.models import InvoiceStatus, PurchaseInvoice
from fiat.payables.tests.factories import (
    OTHER_IBAN,
    make_document,
    make_result,
    make_supplier,
    make_user,
)

pytestmark = pytest.mark.browser

SCREENSHOT_NAMES = {
    "desktop": "review-screen.png",
    "phone": "review-screen-phone.png",
}
INVOICE_HTML = """
<html><head><style>
  @page { size: A4; margin: 18mm; }
  body { font-family: sans-serif; font-size: 10pt; color: #222; }
  h1 { font-size: 20pt; margin: 0 0 4mm; }
  table { width: 100%%; border-collapse: collapse; margin-top: 8mm; }
  th, td { padding: 2mm; border-bottom: 1px solid #bbb; text-align: left; }
  .amount { text-align: right; }
  .totals td { border: 0; }
</style></head><body>
  <h1>Drukkerij De Vries B.V.</h1>
  <p>Industrieweg 12, 3542 AD Utrecht<br>
     KvK 12345678 · btw NL000099998B57<br>
     IBAN %(iban)s</p>
  <p><strong>Factuur 2026-0042</strong><br>
     Factuurdatum 2 maart 2026 · Vervaldatum 1 april 2026<br>
     Aan: Vos &amp; Partners B.V., Keizersgracht 100, Amsterdam</p>
  <table>
    <tr><th>Omschrijving</th><th class="amount">Aantal</th>
        <th class="amount">Prijs</th><th class="amount">Bedrag</th></tr>
    <tr><td>Flyers A5, 4/4 kleuren</td><td class="amount">2500</td>
        <td class="amount">0,40</td><td class="amount">1.000,00</td></tr>
    <tr><td>Posters A2</td><td class="amount">50</td>
        <td class="amount">5,00</td><td class="amount">250,00</td></tr>
    <tr class="totals"><td colspan="3" class="amount">Subtotaal</td>
        <td class="amount">1.250,00</td></tr>
    <tr class="totals"><td colspan="3" class="amount">Btw 21%%</td>
        <td class="amount">262,50</td></tr>
    <tr class="totals"><td colspan="3" class="amount"><strong>Totaal</strong></td>
        <td class="amount"><strong>1.512,50</strong></td></tr>
  </table>
</body></html>
"""


@pytest.fixture
def misread_invoice(db) -> PurchaseInvoice:
    """A one-page PDF invoice whose total was read as 1572.50, not 1512.50."""
    make_supplier()
    pdf = weasyprint.HTML(string=INVOICE_HTML % {"iban": OTHER_IBAN}).write_pdf()
    document = make_document("factuur-2026-0042.pdf", pdf)
    document.page_count = 1
    document.save(update_fields=["page_count"])
    result = make_result(
        file=document.filename,
        supplier={"iban": OTHER_IBAN},
        invoice_number="2026-0042",
        issue_date=date(2026, 3, 2),
        total_net=Decimal("1250.00"),
        total_vat=Decimal("262.50"),
        total_gross=Decimal("1572.50"),
        vat_breakdown=[
            VatBreakdownFields(Decimal("21"), Decimal("1250.00"), Decimal("262.50"))
        ],
        lines=[
            LineFields("Flyers A5, 4/4 kleuren", Decimal("2500"), Decimal("0.40"),
                       Decimal("1000.00"), Decimal("21")),
            LineFields("Posters A2", Decimal("50"), Decimal("5.00"),
                       Decimal("250.00"), Decimal("21")),
        ],
        confidence={"total_gross": 0.62, "invoice_number": 0.97},
    )  # fmt: skip
    return create_invoice_from_document(document, result)


def save_screenshot(page: Page, viewport_name: str) -> None:
    folder = os.environ.get("FIAT_SCREENSHOT_DIR")
    if not folder:
        return
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=Path(folder) / SCREENSHOT_NAMES[viewport_name])


def test_clerk_corrects_and_submits(page, misread_invoice, viewport_name):
    clerk = make_user("anna", Role.AP_CLERK)
    log_in(page, "anna")

    page.goto(f"/payables/{misread_invoice.pk}/")
    expect(page.get_by_role("img", name="Page 1 of 1 of the document")).to_be_visible()
    expect(page.locator(".check-blocking")).to_contain_text(
        "but the total including VAT is EUR 1,572.50"
    )
    gross = page.get_by_label("Total including VAT")
    expect(gross).to_have_value("1572.50")
    save_screenshot(page, viewport_name)
    assert page_width_overflow(page) == 0

    gross.focus()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("1512.50")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Saved, and checked again.")
    expect(page.locator(".check-blocking")).to_have_count(0)
    page.get_by_role("button", name="Submit for approval").click()

    expect(page).to_have_url(re.compile(r"/payables/$"))
    expect(page.get_by_role("status")).to_have_text(
        "Invoice 2026-0042 was submitted for approval."
    )
    misread_invoice.refresh_from_db()
    assert misread_invoice.status == InvoiceStatus.SUBMITTED
    assert misread_invoice.total_gross_amount == Decimal("1512.50")
    corrected = AuditEvent.objects.get(action="invoice.corrected")
    assert corrected.actor == clerk
    assert corrected.data["changes"] == {"total_gross_amount": ["1572.50", "1512.50"]}
    submitted = AuditEvent.objects.get(action="invoice.submitted")
    assert submitted.actor == clerk
    assert submitted.object_id == str(misread_invoice.pk)
    assert submitted.amounts == {"total_gross_amount": "1512.50", "currency": "EUR"}


def test_review_screen_keyboard_order(page, misread_invoice, viewport_name):
    make_user("anna", Role.AP_CLERK)
    log_in(page, "anna")
    page.goto(f"/payables/{misread_invoice.pk}/")

    page.get_by_label("Invoice number").focus()
    page.keyboard.press("Tab")

    invoice_date = page.get_by_label("Invoice date")
    expect(invoice_date).to_be_focused()
    expect(invoice_date).to_have_css("outline-style", "solid")
    expect(invoice_date).to_have_css("outline-width", "3px")


def test_queue_opens_review_screen(page, misread_invoice, viewport_name):
    make_user("anna", Role.AP_CLERK)
    log_in(page, "anna")

    page.goto("/payables/")
    page.get_by_role("link", name="Drukkerij De Vries B.V.").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Drukkerij De Vries B.V. · 2026-0042"
    )
    assert page_width_overflow(page) == 0
