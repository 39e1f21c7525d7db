"""Benchmark of a routine sales invoice, from the webhook to the sent mail.

Each run posts a signed "deal won" event for a known customer, so the demo
policy releases the invoice at once. The tasks run in the request, as the
immediate task backend runs them, so the time includes numbering, booking,
rendering the PDF/A-3 with its Factur-X XML and the UBL file, and
recording the mail in the outbox (delivery off).
"""

import json
import time
from datetime import date
from decimal import Decimal

from django.test import Client, override_settings

from fiat.bench import Measurement, benchmark
from fiat.bench.reading import IMMEDIATE_TASKS
from fiat.receivables.signatures import sign

SECRET = "bench-webhook-secret"
RUNS = 10


def _prepare() -> None:
    from fiat.approvals.demo import load_demo_policy
    from fiat.core.demo import load_demo
    from fiat.core.models import Party
    from fiat.ledger.models import VatCode
    from fiat.receivables.drafting import LineData, create_draft
    from fiat.receivables.release import release_invoice

    load_demo()
    load_demo_policy()
    customer, _created = Party.objects.get_or_create(
        name="Bench Klant B.V.",
        defaults={"is_customer": True, "email": "bench@klant.example"},
    )
    line = LineData(
        description="Advies",
        unit_price=Decimal(95),
        vat_code=VatCode.objects.get(code="V21"),
    )
    release_invoice(
        create_draft(customer, lines=[line], issue_date=date(2026, 1, 5)), None
    )


def _event(number: int) -> bytes:
    return json.dumps(
        {
            "event_id": f"bench-{time.time_ns()}-{number}",
            "reference": f"BENCH-{number}",
            "customer": {"name": "Bench Klant B.V."},
            "lines": [
                {"description": "Advies", "quantity": "2", "unit_price": "95.00",
                 "vat_rate": "21"},
            ],
        }
    ).encode()  # fmt: skip


@benchmark
def webhook_to_mail() -> Measurement:
    from fiat.receivables.models import MailingStatus, SalesInvoiceMail

    samples = []
    with override_settings(
        TASKS=IMMEDIATE_TASKS,
        FIAT_SALES_WEBHOOK_SECRET=SECRET,
        FIAT_EMAIL_DELIVERY="none",
        EMAIL_BACKEND="fiat.notifications.backends.OutboxBackend",
        ALLOWED_HOSTS=["testserver"],
    ):
        _prepare()
        client = Client()
        for number in range(RUNS):
            body = _event(number)
            started = time.perf_counter()
            response = client.post(
                "/sales/webhooks/deal-won/",
                body,
                content_type="application/json",
                HTTP_FIAT_SIGNATURE=sign(body, SECRET, int(time.time())),
            )
            mailing = SalesInvoiceMail.objects.get(
                invoice_id=response.json()["invoice_id"]
            )
            samples.append((time.perf_counter() - started) * 1000)
            if mailing.status != MailingStatus.SENT:
                raise RuntimeError(f"Bench invoice was not mailed: {mailing.error}")
    return Measurement(
        "routine sales invoice, webhook to mail sent", "ms", samples, "< 5000 ms"
    )
