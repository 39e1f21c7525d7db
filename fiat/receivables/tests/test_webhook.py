"""The signed "deal won" webhook: signatures, idempotency, invoices."""

import json
import logging
import time
from datetime import date

import pytest
from django.urls import reverse

from fiat.core.models import Party, Project
from fiat.receivables.models import InvoiceStatus, SalesInvoice, TriggerEvent
from fiat.receivables.release import release_invoice
from fiat.receivables.signatures import (
    InvalidSignatureError,
    sign,
    verify,
)
from fiat.receivables.tests.einvoices import dutch_customer
from fiat.receivables.tests.factories import make_draft, make_product

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sales_policy")]

SECRET = "whsec-test-4f1c"
URL = "/sales/webhooks/deal-won/"
T0 = 1_772_000_000


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.FIAT_SALES_WEBHOOK_SECRET = SECRET


@pytest.fixture
def known_customer(db):
    customer = dutch_customer()
    release_invoice(make_draft(customer, issue_date=date(2026, 1, 5)), None)
    return customer


def _event(event_id="evt-0042", **fields) -> dict:
    return {
        "event_id": event_id,
        "type": "deal.won",
        "reference": "DEAL-42",
        "customer": {
            "name": "Bakkerij Visser B.V.",
            "vat_number": "NL000099998B57",
            "email": "administratie@bakkerijvisser.nl",
            "country": "NL",
        },
        "lines": [
            {
                "description": "Advies",
                "quantity": "2",
                "unit_price": "95.00",
                "vat_rate": "21",
            }
        ],
        **fields,
    }


def _post(client, event, *, timestamp=None, secret=SECRET, signature=None):
    body = json.dumps(event).encode()
    timestamp = int(time.time()) if timestamp is None else timestamp
    header = signature or sign(body, secret, timestamp)
    return client.post(
        URL, body, content_type="application/json", HTTP_FIAT_SIGNATURE=header
    )


def test_url_name_resolves():
    assert reverse("receivables:webhook-deal-won") == URL


def test_signature_round_trip():
    body = b'{"event_id": "evt-1"}'

    header = sign(body, SECRET, T0)

    assert verify(header, body, SECRET, now=T0 + 10) == T0


@pytest.mark.parametrize(
    ("header", "now", "message"),
    [
        (None, T0, "header is missing"),
        ("v1=abc", T0, "Invalid Fiat-Signature header"),
        (sign(b"{}", SECRET, T0), T0 + 301, "301 seconds from now"),
        (sign(b"{}", SECRET, T0 + 400), T0, "-400 seconds from now"),
        (sign(b"{}", "other", T0), T0, "does not match"),
        (sign(b"{ }", SECRET, T0), T0, "does not match"),
    ],
)
def test_signature_rejected(header, now, message):
    with pytest.raises(InvalidSignatureError, match=message):
        verify(header, b"{}", SECRET, now=now)


def test_routine_deal_becomes_released_invoice(client, known_customer):
    response = _post(client, _event())

    invoice = SalesInvoice.objects.get(order_reference="DEAL-42")
    assert response.status_code == 201
    assert response.json()["invoice_id"] == invoice.pk
    assert response.json()["invoice_status"] == "released"
    assert invoice.customer == known_customer
    assert invoice.number.endswith("-00002")
    assert [line.description for line in invoice.lines.all()] == ["Advies"]
    assert str(invoice.payable_amount) == "229.90"


def test_new_customer_is_created_and_reviewed(client):
    response = _post(
        client,
        _event(customer={"name": "Nieuw B.V.", "country": "NL", "language": "en"}),
    )

    customer = Party.objects.get(name="Nieuw B.V.")
    invoice = SalesInvoice.objects.get(customer=customer)
    assert response.status_code == 201
    assert customer.is_customer is True
    assert customer.language == "en"
    assert invoice.status == InvoiceStatus.AWAITING_REVIEW


def test_same_event_five_times_makes_one_invoice(client, known_customer):
    responses = [_post(client, _event()) for _delivery in range(5)]

    assert [response.status_code for response in responses] == [201] + [200] * 4
    assert {response.json()["invoice_id"] for response in responses} == {
        SalesInvoice.objects.get(order_reference="DEAL-42").pk
    }
    assert [response.json()["duplicate"] for response in responses] == [
        False, True, True, True, True,
    ]  # fmt: skip
    assert TriggerEvent.objects.count() == 1


def test_wrong_signature_rejected_and_logged(client, known_customer, caplog):
    with caplog.at_level(logging.WARNING, logger="fiat.receivables.webhook_views"):
        response = _post(client, _event(), secret="guessed")

    assert response.status_code == 401
    assert "does not match" in response.json()["error"]
    assert not SalesInvoice.objects.filter(order_reference="DEAL-42").exists()
    assert "Sales webhook delivery from 127.0.0.1 rejected" in caplog.text


def test_stale_timestamp_rejected_and_logged(client, known_customer, caplog):
    six_minutes_ago = int(time.time()) - 360

    with caplog.at_level(logging.WARNING, logger="fiat.receivables.webhook_views"):
        response = _post(client, _event(), timestamp=six_minutes_ago)

    assert response.status_code == 401
    assert "at most 300 are accepted" in response.json()["error"]
    assert not TriggerEvent.objects.exists()
    assert "rejected" in caplog.text


def test_invalid_event_lists_every_problem(client):
    event = _event(
        event_id="",
        project="P-404",
        lines=[{"quantity": "two", "unit_price": "9.50", "vat_rate": "7"}],
    )

    response = _post(client, event)

    assert response.status_code == 400
    assert response.json()["errors"] == [
        "event_id is missing.",
        "lines[0].quantity: invalid number 'two'.",
        "lines[0].vat_rate: no active sales VAT code at 7%.",
        "lines[0].description is missing.",
        "project: no project with code 'P-404'.",
    ]


def test_product_line_and_project(client, known_customer):
    make_product()
    project = Project.objects.create(code="P-001", name="Nieuwbouw")

    _post(
        client, _event(project="P-001", lines=[{"product": "CONSULT", "quantity": 3}])
    )

    invoice = SalesInvoice.objects.get(order_reference="DEAL-42")
    line = invoice.lines.get()
    assert invoice.project == project
    assert line.description == "Advies per uur"
    assert str(line.net_amount) == "285.00"


def test_float_amount_is_read_exactly(client, known_customer):
    event = _event(
        lines=[
            {"description": "Kabel", "quantity": 3, "unit_price": 0.1, "vat_rate": 21}
        ]
    )

    _post(client, event)

    invoice = SalesInvoice.objects.get(order_reference="DEAL-42")
    assert str(invoice.total_net_amount) == "0.30"


def test_no_secret_rejects_everything(client, settings):
    settings.FIAT_SALES_WEBHOOK_SECRET = ""

    response = _post(client, _event(), secret="")

    assert response.status_code == 503


def test_project_ready_to_invoice_bills_its_customer(client, known_customer):
    project = Project.objects.create(
        code="P-007", name="Verbouwing", customer=known_customer
    )
    event = _event(event_id="prj-7-1", type="project.ready_to_invoice", project="P-007")
    del event["customer"]

    response = _post(client, event)

    invoice = SalesInvoice.objects.get(project=project)
    assert response.status_code == 201
    assert invoice.customer == known_customer
    assert invoice.status == InvoiceStatus.RELEASED


def test_project_without_customer_is_rejected(client):
    Project.objects.create(code="P-008", name="Intern")
    event = _event(event_id="prj-8-1", type="project.ready_to_invoice", project="P-008")
    del event["customer"]

    response = _post(client, event)

    assert response.status_code == 400
    assert response.json()["errors"] == [
        (
            "project P-008 has no customer: name the customer in the event or set "
            "it on the project."
        )
    ]
