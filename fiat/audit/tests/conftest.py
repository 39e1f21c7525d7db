"""Fixtures for the audit trail tests: a user, an invoice's history, raw SQL."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction

from fiat.audit.models import AuditEvent
from fiat.audit.services import record_event

INVOICE = ("purchases.invoice", 77)
OTHER_INVOICE = ("purchases.invoice", 78)
RECEIVED_AT = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)


@pytest.fixture
def daan(django_user_model):
    return django_user_model.objects.create_user(
        username="daan", first_name="Daan", last_name="de Vries"
    )


@pytest.fixture
def invoice_events(db, daan) -> list[AuditEvent]:
    """Return the three events of a supplier invoice: received, submitted, approved."""
    amounts = {"total_gross_amount": Decimal("1210.00"), "currency": "EUR"}
    with transaction.atomic():
        return [
            record_event(INVOICE, "invoice.received", amounts=amounts, at=RECEIVED_AT),
            record_event(
                INVOICE,
                "invoice.submitted",
                actor=daan,
                amounts=amounts,
                at=RECEIVED_AT + timedelta(hours=1),
            ),
            record_event(
                INVOICE,
                "invoice.approved",
                actor=daan,
                amounts=amounts,
                data={"comment": "Klopt met de offerte."},
                at=RECEIVED_AT + timedelta(days=1),
            ),
        ]


def execute_sql(sql: str, params: list) -> None:
    """Change rows behind the ORM's back, as someone with database access could."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
