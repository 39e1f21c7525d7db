"""The HubSpot connector against a local server that answers as HubSpot's API.

A deal moved to the won stage arrives as a signed webhook event; Fiat reads
the deal, its company and its line items and makes the invoice once.
"""

import base64
import hashlib
import hmac
import json
import time
from datetime import date

import pytest

from fiat.receivables.crm.hubspot import verify_signature
from fiat.receivables.models import SalesInvoice, TriggerEvent
from fiat.receivables.release import release_invoice
from fiat.receivables.signatures import InvalidSignatureError
from fiat.receivables.tests.einvoices import dutch_customer
from fiat.receivables.tests.factories import make_draft, make_product
from fiat.receivables.tests.fake_crm import FakeCrm, serve

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sales_policy")]

CLIENT_SECRET = "hubspot-client-secret"
TOKEN = "pat-eu1-test"
URL = "/sales/webhooks/hubspot/"
DEAL_PATH = (
    "/crm/v3/objects/deals/9001?properties=dealname,deal_currency_code,dealstage"
    "&associations=companies,line_items"
)
COMPANY_PATH = (
    "/crm/v3/objects/companies/501?properties=name,address,zip,city,country,"
    "vat_number,kvk_number,invoice_email"
)
ROUTES = {
    ("GET", DEAL_PATH): (
        200,
        {
            "id": "9001",
            "properties": {
                "dealname": "Onderhoud 2026",
                "deal_currency_code": "EUR",
                "dealstage": "closedwon",
            },
            "associations": {
                "companies": {"results": [{"id": "501", "type": "deal_to_company"}]},
                "line_items": {
                    "results": [
                        {"id": "71", "type": "deal_to_line_item"},
                        {"id": "72", "type": "deal_to_line_item"},
                    ]
                },
            },
        },
    ),
    ("GET", COMPANY_PATH): (
        200,
        {
            "id": "501",
            "properties": {
                "name": "Bakkerij Visser B.V.",
                "address": "Dorpsstraat 4",
                "zip": "3512 AB",
                "city": "Utrecht",
                "country": "NL",
                "vat_number": "NL000099998B57",
            },
        },
    ),
    ("POST", "/crm/v3/objects/line_items/batch/read"): (
        200,
        {
            "status": "COMPLETE",
            "results": [
                {
                    "id": "71",
                    "properties": {
                        "name": "Onderhoud",
                        "quantity": "4",
                        "price": "80.00",
                        "hs_discount_percentage": "5",
                    },
                },
                {
                    "id": "72",
                    "properties": {
                        "name": "Advies per uur",
                        "quantity": "2",
                        "price": "90.00",
                        "hs_sku": "CONSULT",
                    },
                },
            ],
        },
    ),
}


@pytest.fixture
def hubspot_api(settings):
    crm = FakeCrm(dict(ROUTES), ("Authorization", f"Bearer {TOKEN}"))
    server = serve(crm)
    settings.FIAT_HUBSPOT_API_URL = crm.url
    settings.FIAT_HUBSPOT_ACCESS_TOKEN = TOKEN
    settings.FIAT_HUBSPOT_CLIENT_SECRET = CLIENT_SECRET
    settings.FIAT_HUBSPOT_WON_STAGES = ["closedwon"]
    yield crm
    server.shutdown()
    server.server_close()


@pytest.fixture
def known_customer(db):
    customer = dutch_customer()
    release_invoice(make_draft(customer, issue_date=date(2026, 1, 5)), None)
    make_product()
    return customer


def _events(event_id=3001, stage="closedwon") -> list[dict]:
    return [
        {
            "eventId": event_id,
            "subscriptionId": 11,
            "portalId": 62515,
            "occurredAt": 1772000000000,
            "subscriptionType": "deal.propertyChange",
            "attemptNumber": 0,
            "objectId": 9001,
            "propertyName": "dealstage",
            "propertyValue": stage,
            "changeSource": "CRM",
        }
    ]


def _signature(method: str, url: str, body: bytes, timestamp: str) -> str:
    message = method.encode() + url.encode() + body + timestamp.encode()
    digest = hmac.new(CLIENT_SECRET.encode(), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _post(client, events, *, age_ms=0, secret_ok=True):
    body = json.dumps(events).encode()
    timestamp = str(int(time.time() * 1000) - age_ms)
    signature = _signature("POST", f"http://testserver{URL}", body, timestamp)
    if not secret_ok:
        signature = signature[::-1]
    return client.post(
        URL,
        body,
        content_type="application/json",
        HTTP_X_HUBSPOT_SIGNATURE_V3=signature,
        HTTP_X_HUBSPOT_REQUEST_TIMESTAMP=timestamp,
    )


def test_signature_checks_method_url_body_and_time():
    body = b"[]"
    signature = _signature(
        "POST", "https://fiat.example/sales/webhooks/hubspot/", body, "1772000000000"
    )

    verify_signature(
        method="POST", url="https://fiat.example/sales/webhooks/hubspot/",
        body=body, timestamp="1772000000000", signature=signature,
        secret=CLIENT_SECRET, now_ms=1772000000000 + 60_000,
    )  # fmt: skip
    with pytest.raises(InvalidSignatureError, match="does not match"):
        verify_signature(
            method="POST", url="https://fiat.example/other/", body=body,
            timestamp="1772000000000", signature=signature,
            secret=CLIENT_SECRET, now_ms=1772000000000,
        )  # fmt: skip


def test_won_deal_becomes_invoice(client, hubspot_api, known_customer):
    response = _post(client, _events())

    invoice = SalesInvoice.objects.get(order_reference="Onderhoud 2026")
    lines = list(invoice.lines.order_by("position"))
    assert response.status_code == 200
    assert response.json()["results"][0]["invoice_id"] == invoice.pk
    assert invoice.customer == known_customer
    assert invoice.status == "released"
    assert [line.description for line in lines] == ["Onderhoud", "Advies per uur"]
    assert [str(line.net_amount) for line in lines] == ["304.00", "180.00"]
    assert lines[1].product.code == "CONSULT"


def test_api_requests_carry_token(client, hubspot_api, known_customer):
    _post(client, _events())

    paths = [request["path"] for request in hubspot_api.requests]
    assert paths == [DEAL_PATH, COMPANY_PATH, "/crm/v3/objects/line_items/batch/read"]
    assert hubspot_api.requests[2]["body"]["inputs"] == [{"id": "71"}, {"id": "72"}]


def test_repeated_event_makes_one_invoice(client, hubspot_api, known_customer):
    responses = [_post(client, _events()) for _delivery in range(5)]

    assert [r.json()["results"][0]["duplicate"] for r in responses] == [
        False, True, True, True, True,
    ]  # fmt: skip
    assert SalesInvoice.objects.filter(order_reference="Onderhoud 2026").count() == 1
    assert TriggerEvent.objects.get().event_id == "hubspot-3001"


def test_other_stage_is_ignored(client, hubspot_api, known_customer):
    response = _post(client, _events(stage="appointmentscheduled"))

    assert response.json() == {"results": []}
    assert hubspot_api.requests == []


def test_wrong_signature_rejected(client, hubspot_api, known_customer):
    response = _post(client, _events(), secret_ok=False)

    assert response.status_code == 401
    assert hubspot_api.requests == []


def test_old_request_rejected(client, hubspot_api, known_customer):
    response = _post(client, _events(), age_ms=6 * 60 * 1000)

    assert response.status_code == 401
    assert "at most 300 are accepted" in response.json()["error"]


def test_api_failure_asks_for_retry(client, hubspot_api, known_customer, settings):
    settings.FIAT_HUBSPOT_ACCESS_TOKEN = "expired"

    response = _post(client, _events())

    assert response.status_code == 502
    assert "HTTP 401" in response.json()["error"]
    assert not TriggerEvent.objects.exists()
