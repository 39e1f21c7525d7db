"""The purchase invoice and purchase order endpoints of the JSON API."""

from decimal import Decimal

import pytest

from fiat.core.tokens import create_token
from fiat.payables.models import PurchaseOrder
from fiat.payables.tests.factories import make_invoice

pytestmark = pytest.mark.django_db

ORDER = {
    "number": "PO-2026-0042",
    "order_date": "2026-02-20",
    "currency": "EUR",
    "description": "Spring campaign",
    "lines": [
        {"description": "Flyers A5", "quantity": "2000", "unit_price": "0.40"},
        {"description": "Posters A2", "quantity": "50", "unit_price": "4.00"},
    ],
}


def bearer(user) -> dict[str, str]:
    _token, raw = create_token(user, "tests")
    return {"Authorization": f"Bearer {raw}"}


def test_purchase_invoices_listed_with_decimal_strings(client, supplier, clerk):
    invoice = make_invoice()

    response = client.get("/api/v1/purchase-invoices", headers=bearer(clerk))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == invoice.pk
    assert item["status"] == "in_review"
    assert item["document_type"] == "invoice"
    assert item["source"] == "pdf_text"
    assert item["total_gross_amount"] == "121.00"
    assert item["total_net_amount"] == "100.00"
    assert item["ledger_account_code"] == "4600"
    assert item["vat_code"] == "I21"
    assert item["blocking_count"] == 0
    assert item["lines"][0]["net_amount"] == "100.00"
    assert item["checks"][0]["code"] == "supplier_matched"
    assert item["checks"][0]["severity"] == "info"


def test_purchase_invoices_filtered_by_status(client, supplier, clerk):
    make_invoice()

    response = client.get(
        "/api/v1/purchase-invoices", {"status": "submitted"}, headers=bearer(clerk)
    )

    assert response.json() == {"items": [], "count": 0}


def test_unknown_status_rejected(client, supplier, clerk):
    response = client.get(
        "/api/v1/purchase-invoices", {"status": "paid"}, headers=bearer(clerk)
    )

    assert response.status_code == 422


def test_other_roles_may_not_list_invoices(client, supplier, employee):
    make_invoice()

    response = client.get("/api/v1/purchase-invoices", headers=bearer(employee))

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_purchase_order_created(client, supplier, clerk):
    response = client.post(
        "/api/v1/purchase-orders",
        {**ORDER, "supplier_id": supplier.pk},
        content_type="application/json",
        headers=bearer(clerk),
    )

    assert response.status_code == 201
    body = response.json()
    assert body["number"] == "PO-2026-0042"
    assert body["total_net_amount"] == "1000.00"
    assert body["open_amount"] == "1000.00"
    assert [line["net_amount"] for line in body["lines"]] == ["800.00", "200.00"]
    order = PurchaseOrder.objects.get()
    assert order.created_by == clerk


def test_purchase_order_sent_twice_created_once(client, supplier, clerk):
    payload = {**ORDER, "supplier_id": supplier.pk}
    client.post("/api/v1/purchase-orders", payload, content_type="application/json",
                headers=bearer(clerk))  # fmt: skip

    again = client.post(
        "/api/v1/purchase-orders",
        {**payload, "number": "po 2026 42"},
        content_type="application/json",
        headers=bearer(clerk),
    )

    assert again.status_code == 200
    assert again.json()["number"] == "PO-2026-0042"
    assert PurchaseOrder.objects.count() == 1


def test_purchase_order_amount_as_float_rejected(client, supplier, clerk):
    lines = [{"description": "Flyers", "quantity": 1, "unit_price": 0.4}]

    response = client.post(
        "/api/v1/purchase-orders",
        {**ORDER, "supplier_id": supplier.pk, "lines": lines},
        content_type="application/json",
        headers=bearer(clerk),
    )

    assert response.status_code == 422
    assert response.json()["field"] == "lines.0.unit_price"


def test_purchase_order_for_unknown_supplier_rejected(client, supplier, clerk):
    response = client.post(
        "/api/v1/purchase-orders",
        {**ORDER, "supplier_id": supplier.pk + 100},
        content_type="application/json",
        headers=bearer(clerk),
    )

    assert response.status_code == 422
    assert response.json()["field"] == "supplier_id"


def test_auditor_may_read_but_not_create_orders(client, supplier, auditor):
    created = client.post(
        "/api/v1/purchase-orders",
        {**ORDER, "supplier_id": supplier.pk},
        content_type="application/json",
        headers=bearer(auditor),
    )
    listed = client.get("/api/v1/purchase-orders", headers=bearer(auditor))

    assert created.status_code == 403
    assert listed.status_code == 200
    assert not PurchaseOrder.objects.exists()


def test_open_amount_follows_invoices(client, supplier, clerk):
    client.post("/api/v1/purchase-orders", {**ORDER, "supplier_id": supplier.pk},
                content_type="application/json", headers=bearer(clerk))  # fmt: skip
    make_invoice(po_reference="PO-2026-0042", total_net=Decimal("600.00"),
                 total_vat=Decimal("126.00"), total_gross=Decimal("726.00"),
                 vat_breakdown=[], lines=[])  # fmt: skip

    response = client.get("/api/v1/purchase-orders", headers=bearer(clerk))

    assert response.json()["items"][0]["open_amount"] == "400.00"


def test_openapi_lists_statuses_as_enum(client):
    schema = client.get("/api/v1/openapi.json").json()

    statuses = schema["components"]["schemas"]["InvoiceStatus"]["enum"]
    assert statuses == [
        "in_review",
        "submitted",
        "approved",
        "booked",
        "rejected",
        "cancelled",
    ]
    amount = schema["components"]["schemas"]["PurchaseInvoiceOut"]["properties"][
        "total_gross_amount"
    ]
    assert {"type": "string", "format": "decimal"}.items() <= amount["anyOf"][0].items()


def test_one_purchase_invoice_returned(client, supplier, clerk):
    make_invoice()
    invoice = make_invoice(invoice_number="INV-00124")

    response = client.get(
        f"/api/v1/purchase-invoices/{invoice.pk}", headers=bearer(clerk)
    )

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == invoice.pk
    assert body["invoice_number"] == "INV-00124"
    assert body["total_gross_amount"] == "121.00"
    assert body["lines"][0]["net_amount"] == "100.00"


def test_one_purchase_invoice_hidden_from_other_roles(client, supplier, employee):
    invoice = make_invoice()

    response = client.get(
        f"/api/v1/purchase-invoices/{invoice.pk}", headers=bearer(employee)
    )

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_missing_purchase_invoice_is_404(client, supplier, clerk):
    invoice = make_invoice()

    response = client.get(
        f"/api/v1/purchase-invoices/{invoice.pk + 1}",
        headers={**bearer(clerk), "Accept-Language": "en"},
    )

    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "message": f"/api/v1/purchase-invoices/{invoice.pk + 1} was not found.",
        "field": None,
        "errors": [],
    }
