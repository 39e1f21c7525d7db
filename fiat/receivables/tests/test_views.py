"""The sales invoice pages through Django's test client."""

from decimal import Decimal

import pytest
from django.urls import reverse

from fiat.core.models import Role
from fiat.receivables.models import InvoiceStatus, SalesInvoice, SalesInvoiceMail
from fiat.receivables.release import release_invoice
from fiat.receivables.tests.einvoices import dutch_customer
from fiat.receivables.tests.factories import make_draft, make_user, sales_vat_code

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sales_policy")]


@pytest.fixture
def controller_client(client, controller):
    client.force_login(controller)
    return client


def _line_post(**values) -> dict:
    data = {
        "issue_date": "",
        "buyer_reference": "PO-1",
        "order_reference": "",
        "note": "",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        "lines-0-description": "Advies",
        "lines-0-quantity": "2",
        "lines-0-unit_price": "95",
        "lines-0-discount_percent": "0",
        "lines-0-vat_code": str(sales_vat_code().pk),
    }
    data.update(values)
    return data


def test_employee_gets_not_found(client):
    client.force_login(make_user("femke", Role.EMPLOYEE))

    response = client.get(reverse("receivables:list"))

    assert response.status_code == 404


def test_auditor_reads_but_cannot_send(client):
    invoice = release_invoice(make_draft(dutch_customer()), None)
    client.force_login(make_user("hanna", Role.AUDITOR))

    page = client.get(reverse("receivables:invoice", args=[invoice.pk]))
    send = client.post(reverse("receivables:send", args=[invoice.pk]))

    assert page.status_code == 200
    assert send.status_code == 403


def test_new_draft_opens_editor(controller_client):
    customer = dutch_customer()

    response = controller_client.post(
        reverse("receivables:new"), {"customer": customer.pk}
    )

    draft = SalesInvoice.objects.get(customer=customer)
    assert response.url == reverse("receivables:edit", args=[draft.pk])
    assert draft.status == InvoiceStatus.DRAFT


def test_edit_saves_lines_and_totals(controller_client):
    draft = make_draft(dutch_customer())

    controller_client.post(
        reverse("receivables:edit", args=[draft.pk]), _line_post(action="save")
    )

    draft.refresh_from_db()
    assert [line.description for line in draft.lines.all()] == ["Advies"]
    assert draft.buyer_reference == "PO-1"
    assert draft.payable_amount == Decimal("229.90")


def test_edit_rejects_line_without_price(controller_client):
    draft = make_draft(dutch_customer())

    response = controller_client.post(
        reverse("receivables:edit", args=[draft.pk]),
        _line_post(**{"lines-0-unit_price": "", "action": "save"}),
    )

    assert response.status_code == 200
    assert "Enter a price or choose a product." in response.content.decode()
    assert draft.lines.count() == 1


def test_save_and_release_new_customer_awaits_review(controller_client):
    draft = make_draft(dutch_customer())

    response = controller_client.post(
        reverse("receivables:edit", args=[draft.pk]), _line_post(action="finalise")
    )

    draft.refresh_from_db()
    assert response.url == reverse("receivables:invoice", args=[draft.pk])
    assert draft.status == InvoiceStatus.AWAITING_REVIEW


def test_draft_preview_is_pdf(controller_client):
    draft = make_draft(dutch_customer())

    response = controller_client.get(reverse("receivables:pdf", args=[draft.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert f"factuur-concept-{draft.pk}.pdf" in response["Content-Disposition"]


def test_released_invoice_ubl_download(controller_client):
    invoice = release_invoice(make_draft(dutch_customer()), None)

    response = controller_client.get(reverse("receivables:ubl", args=[invoice.pk]))

    assert response["Content-Type"] == "application/xml"
    assert f"<cbc:ID>{invoice.number}</cbc:ID>".encode() in response.content


def test_send_again_queues_mail(controller_client):
    invoice = release_invoice(make_draft(dutch_customer()), None)

    controller_client.post(reverse("receivables:send", args=[invoice.pk]))

    assert SalesInvoiceMail.objects.filter(invoice=invoice).count() == 2


def test_credit_note_button_opens_draft(controller_client):
    invoice = release_invoice(make_draft(dutch_customer()), None)

    response = controller_client.post(reverse("receivables:credit", args=[invoice.pk]))

    credit_note = SalesInvoice.objects.get(corrected_invoice=invoice)
    assert response.url == reverse("receivables:edit", args=[credit_note.pk])
    assert credit_note.document_type == "credit_note"


def test_list_shows_failed_mailing(controller_client):
    invoice = release_invoice(make_draft(dutch_customer()), None)
    mailing = SalesInvoiceMail.objects.get(invoice=invoice)
    mailing.status = "failed"
    mailing.error = "Connection refused"
    mailing.save()
    SalesInvoice.objects.filter(pk=invoice.pk).update(send_error="Connection refused")

    response = controller_client.get(reverse("receivables:list"))

    content = response.content.decode()
    assert "Invoices that could not be sent" in content
    assert f"{invoice.number} · Bakkerij Visser B.V.</a>: Connection refused" in content
