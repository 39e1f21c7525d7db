"""The sales invoice endpoints of the JSON API."""

from datetime import date

import pytest

from fiat.core.models import Role
from fiat.core.tokens import create_token
from fiat.receivables.models import SalesInvoice
from fiat.receivables.release import release_invoice
from fiat.receivables.tests.einvoices import dutch_customer
from fiat.receivables.tests.factories import make_draft, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sales_policy")]

URL = "/api/v1/sales-invoices"
BODY = {
    "event_id": "api-0001",
    "reference": "PO-77",
    "customer": {"name": "Bakkerij Visser B.V.", "vat_number": "NL000099998B57"},
    "lines": [
        {"description": "Advies", "quantity": "2", "unit_price": "95.00",
         "vat_rate": "21"},
    ],
}  # fmt: skip


@pytest.fixture
def known_customer(db):
    customer = dutch_customer()
    release_invoice(make_draft(customer, issue_date=date(2026, 1, 5)), None)
    return customer


def _headers(*roles: Role) -> dict:
    _token, raw = create_token(make_user("api-user", *roles), "tests")
    return {"Authorization": f"Bearer {raw}"}


def test_create_releases_routine_invoice(client, known_customer):
    response = client.post(
        URL, BODY, content_type="application/json", headers=_headers(Role.CONTROLLER)
    )

    invoice = SalesInvoice.objects.get(order_reference="PO-77")
    assert response.status_code == 201
    assert response.json() == {
        "id": invoice.pk,
        "number": invoice.number,
        "status": "released",
        "customer": "Bakkerij Visser B.V.",
        "currency": "EUR",
        "total_net_amount": "190.00",
        "total_vat_amount": "39.90",
        "payable_amount": "229.90",
        "payment_reference": invoice.payment_reference,
    }


def test_repeated_event_id_returns_first_invoice(client, known_customer):
    headers = _headers(Role.CONTROLLER)

    first = client.post(URL, BODY, content_type="application/json", headers=headers)
    again = client.post(URL, BODY, content_type="application/json", headers=headers)

    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]


def test_invalid_line_is_422(client):
    body = {**BODY, "lines": [{"description": "Advies", "unit_price": "9.50"}]}

    response = client.post(
        URL, body, content_type="application/json", headers=_headers(Role.CONTROLLER)
    )

    assert response.status_code == 422
    assert response.json()["message"] == "lines[0].vat_rate is missing."


def test_clerk_may_not_create(client):
    response = client.post(
        URL, BODY, content_type="application/json", headers=_headers(Role.AP_CLERK)
    )

    assert response.status_code == 403


def test_get_returns_invoice(client, known_customer):
    invoice = SalesInvoice.objects.get(customer=known_customer)

    response = client.get(f"{URL}/{invoice.pk}", headers=_headers(Role.AUDITOR))

    assert response.status_code == 200
    assert response.json()["number"] == invoice.number


def test_get_unknown_is_404(client):
    response = client.get(f"{URL}/999", headers=_headers(Role.CONTROLLER))

    assert response.status_code == 404
