"""A status sent by the submitter, through a form or the API, changes nothing.

The status of a purchase invoice moves only through the workflow functions
and the approval engine, so ``status: "approved"`` in a payload neither
approves nor books the invoice.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fiat.approvals.models import ApprovalRequest, Decision, RequestStatus
from fiat.approvals.queries import latest_request
from fiat.approvals.tests.helpers import open_approvers
from fiat.audit.models import AuditEvent
from fiat.core.tokens import create_token
from fiat.documents.models import Document, DocumentStatus
from fiat.documents.reading import read_document
from fiat.documents.tests import samples
from fiat.payables.models import InvoiceStatus, PurchaseInvoice
from fiat.payables.tests.factories import make_invoice
from fiat.payables.tests.test_views import review_data

pytestmark = pytest.mark.django_db


def bearer(user) -> dict[str, str]:
    _token, raw = create_token(user, "tests")
    return {"Authorization": f"Bearer {raw}"}


def invoice_url(invoice: PurchaseInvoice) -> str:
    return reverse("payables:invoice", args=[invoice.pk])


def test_form_save_with_status_keeps_review(client, people, demo_like_policy, supplier):
    invoice = make_invoice()
    client.force_login(people["clerk"])

    response = client.post(
        invoice_url(invoice), review_data(invoice, status="approved")
    )

    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.IN_REVIEW
    assert not ApprovalRequest.objects.exists()


def test_form_submit_with_status_only_submits(
    client, people, demo_like_policy, supplier
):
    invoice = make_invoice()
    client.force_login(people["clerk"])

    response = client.post(
        invoice_url(invoice),
        review_data(invoice, status="approved", action="submit"),
    )

    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.SUBMITTED
    request = latest_request(invoice)
    assert request.status == RequestStatus.PENDING
    assert open_approvers(request) == ["controller", "controller2"]
    assert not Decision.objects.exists()
    assert not AuditEvent.objects.filter(action="invoice.approved").exists()


def test_form_status_on_submitted_invoice_ignored(
    client, people, demo_like_policy, supplier
):
    invoice = make_invoice()
    client.force_login(people["clerk"])
    client.post(invoice_url(invoice), review_data(invoice, action="submit"))
    invoice.refresh_from_db()

    client.post(invoice_url(invoice), review_data(invoice, status="approved"))

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.SUBMITTED
    assert latest_request(invoice).status == RequestStatus.PENDING
    assert not Decision.objects.exists()


@pytest.mark.parametrize("method", ["patch", "put", "post"])
def test_api_has_no_status_write(client, people, supplier, method):
    invoice = make_invoice()
    send = getattr(client, method)

    response = send(
        f"/api/v1/purchase-invoices/{invoice.pk}",
        {"status": "approved"},
        content_type="application/json",
        headers=bearer(people["clerk"]),
    )

    assert response.status_code == 405
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.IN_REVIEW


def test_api_list_create_refused(client, people, supplier):
    response = client.post(
        "/api/v1/purchase-invoices",
        {"status": "approved", "invoice_number": "X-1"},
        content_type="application/json",
        headers=bearer(people["clerk"]),
    )

    assert response.status_code == 405
    assert not PurchaseInvoice.objects.exists()


def test_api_upload_ignores_status(client, people, demo_like_policy, supplier):
    response = client.post(
        "/api/v1/documents",
        {
            "files": [SimpleUploadedFile("ubl.xml", samples.ubl_invoice())],
            "status": "approved",
        },
        headers=bearer(people["clerk"]),
    )

    assert response.status_code == 201
    document = Document.objects.get()
    assert response.json()["items"][0]["document"]["status"] == "received"
    assert document.status == DocumentStatus.RECEIVED

    read_document.call(document.pk)

    invoice = PurchaseInvoice.objects.get(document=document)
    assert invoice.status == InvoiceStatus.IN_REVIEW
    assert not ApprovalRequest.objects.exists()
