"""The Pipedrive connector against a local server that answers as its API v2.

A deal whose status becomes "won" arrives as a webhook with HTTP Basic
credentials; Fiat reads the deal, its organization and its products and
makes the invoice once per deal.
"""

import base64
import json
import time
from datetime import date

import pytest

from fiat.receivables.models import SalesInvoice, TriggerEvent
from fiat.receivables.release import release_invoice
from fiat.receivables.tests.einvoices import dutch_customer
from fiat.receivables.tests.factories import make_draft
from fiat.receivables.tests.fake_crm import FakeCrm, serve

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sales_policy")]

URL = "/sales/webhooks/pipedrive/"
API_TOKEN = "pd-token-123"
WEBHOOK_PASSWORD = "hook-pass"
ROUTES = {
    ("GET", "/api/v2/deals/77"): (
        200,
        {
            "success": True,
            "data": {
                "id": 77,
                "title": "Jaarcontract",
                "currency": "EUR",
                "status": "won",
                "org_id": 12,
            },
        },
    ),
    ("GET", "/api/v2/organizations/12"): (
        200,
        {
            "success": True,
            "data": {
                "id": 12,
                "name": "Bakkerij Visser B.V.",
                "address": {
                    "route": "Dorpsstraat",
                    "street_number": "4",
                    "postal_code": "3512 AB",
                    "locality": "Utrecht",
                    "country": "NL",
                },
            },
        },
    ),
    ("GET", "/api/v2/deals/77/products"): (
        200,
        {
            "success": True,
            "data": [
                {
                    "name": "Licentie",
                    "quantity": 12,
                    "item_price": 25,
                    "discount": 10,
                    "discount_type": "percentage",
                    "tax": 21,
                },
                {
                    "name": "Handboek",
                    "quantity": 1,
                    "item_price": 24.95,
                    "discount": 0,
                    "discount_type": "percentage",
                    "tax": 9,
                },
            ],
        },
    ),
}


@pytest.fixture
def pipedrive_api(settings):
    crm = FakeCrm(dict(ROUTES), ("x-api-token", API_TOKEN))
    server = serve(crm)
    settings.FIAT_PIPEDRIVE_API_URL = crm.url
    settings.FIAT_PIPEDRIVE_API_TOKEN = API_TOKEN
    settings.FIAT_PIPEDRIVE_WEBHOOK_USER = "fiat"
    settings.FIAT_PIPEDRIVE_WEBHOOK_PASSWORD = WEBHOOK_PASSWORD
    yield crm
    server.shutdown()
    server.server_close()


@pytest.fixture
def known_customer(db):
    customer = dutch_customer()
    release_invoice(make_draft(customer, issue_date=date(2026, 1, 5)), None)
    return customer


def _delivery(status="won", previous="open", age=0) -> dict:
    return {
        "meta": {
            "action": "change",
            "entity": "deal",
            "entity_id": "77",
            "version": "2.0",
            "timestamp": int(time.time()) - age,
        },
        "data": {"id": 77, "status": status, "org_id": 12},
        "previous": {"status": previous},
    }


def _post(client, delivery, password=WEBHOOK_PASSWORD):
    credentials = base64.b64encode(f"fiat:{password}".encode()).decode()
    return client.post(
        URL,
        json.dumps(delivery),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {credentials}",
    )


def test_won_deal_becomes_invoice(client, pipedrive_api, known_customer):
    response = _post(client, _delivery())

    invoice = SalesInvoice.objects.get(order_reference="Jaarcontract")
    lines = list(invoice.lines.order_by("position"))
    assert response.status_code == 201
    assert response.json()["invoice_id"] == invoice.pk
    assert invoice.customer == known_customer
    assert [str(line.net_amount) for line in lines] == ["270.00", "24.95"]
    assert [line.vat_code.code for line in lines] == ["V21", "V9"]
    assert str(invoice.total_vat_amount) == "58.95"


def test_same_deal_won_twice_makes_one_invoice(client, pipedrive_api, known_customer):
    first = _post(client, _delivery())
    second = _post(client, _delivery())

    assert first.status_code == 201
    assert second.status_code == 200
    assert second.json()["duplicate"] is True
    assert TriggerEvent.objects.get().event_id == "pipedrive-deal-77"


def test_open_deal_is_ignored(client, pipedrive_api, known_customer):
    response = _post(client, _delivery(status="open", previous="open"))

    assert response.json() == {"result": "ignored"}
    assert pipedrive_api.requests == []


def test_wrong_credentials_rejected(client, pipedrive_api, known_customer):
    response = _post(client, _delivery(), password="guess")

    assert response.status_code == 401
    assert not SalesInvoice.objects.filter(order_reference="Jaarcontract").exists()


def test_old_delivery_rejected(client, pipedrive_api, known_customer):
    response = _post(client, _delivery(age=301))

    assert response.status_code == 401
    assert "at most 300 are accepted" in response.json()["error"]


def test_api_requests_carry_token(client, pipedrive_api, known_customer):
    _post(client, _delivery())

    assert [request["path"] for request in pipedrive_api.requests] == [
        "/api/v2/deals/77",
        "/api/v2/organizations/12",
        "/api/v2/deals/77/products",
    ]
    assert {r["headers"]["x-api-token"] for r in pipedrive_api.requests} == {API_TOKEN}
