"""Recording audit events: per-object chains and values stored exactly."""

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from fiat.audit.hashing import GENESIS_HASH
from fiat.audit.models import AuditEvent
from fiat.audit.services import NotInTransactionError, record_event
from fiat.audit.tests.conftest import INVOICE, OTHER_INVOICE, RECEIVED_AT
from fiat.audit.verification import verify_trail
from fiat.core.money import InvalidCurrencyError

pytestmark = pytest.mark.django_db


def test_chain_of_three_events_verifies(invoice_events):
    received, submitted, approved = invoice_events

    report = verify_trail()

    assert report.is_intact
    assert report.event_count == 3
    assert [received.sequence, submitted.sequence, approved.sequence] == [1, 2, 3]
    assert received.previous_hash == GENESIS_HASH
    assert submitted.previous_hash == received.hash
    assert approved.previous_hash == submitted.hash


def test_objects_chain_independently():
    with transaction.atomic():
        first = record_event(INVOICE, "invoice.received", at=RECEIVED_AT)
        other_first = record_event(OTHER_INVOICE, "invoice.received", at=RECEIVED_AT)
        second = record_event(INVOICE, "invoice.submitted", at=RECEIVED_AT)
        other_second = record_event(OTHER_INVOICE, "invoice.submitted", at=RECEIVED_AT)

    report = verify_trail()

    assert report.is_intact
    assert (first.sequence, second.sequence) == (1, 2)
    assert (other_first.sequence, other_second.sequence) == (1, 2)
    assert other_first.previous_hash == GENESIS_HASH
    assert second.previous_hash == first.hash
    assert other_second.previous_hash == other_first.hash


def test_amounts_stored_as_decimal_strings():
    amounts = {
        "total_net_amount": Decimal("1000"),
        "total_vat_amount": Decimal("2.1E+2"),
        "total_gross_amount": "1210.00",
        "discount_amount": 0,
        "currency": "EUR",
    }

    with transaction.atomic():
        event = record_event(INVOICE, "invoice.received", amounts=amounts)

    assert AuditEvent.objects.get(pk=event.pk).amounts == {
        "total_net_amount": "1000",
        "total_vat_amount": "210",
        "total_gross_amount": "1210.00",
        "discount_amount": "0",
        "currency": "EUR",
    }


def test_data_stored_as_database_returns_it():
    data = {
        "note": "Geëxporteerd, € 1.210,00",
        "due_date": date(2025, 4, 13),
        "vat_amount": Decimal("210.00"),
        "lines": [{"quantity": 2, "paid": False, "project": None}],
    }

    with transaction.atomic():
        event = record_event(INVOICE, "invoice.approved", data=data, at=RECEIVED_AT)

    assert AuditEvent.objects.get(pk=event.pk).data == {
        "note": "Geëxporteerd, € 1.210,00",
        "due_date": "2025-04-13",
        "vat_amount": "210.00",
        "lines": [{"quantity": 2, "paid": False, "project": None}],
    }
    assert verify_trail().is_intact


def test_occurred_at_stored_in_utc():
    amsterdam_time = datetime(
        2025, 3, 14, 10, 30, 0, 123456, ZoneInfo("Europe/Amsterdam")
    )

    with transaction.atomic():
        event = record_event(INVOICE, "invoice.received", at=amsterdam_time)

    stored = AuditEvent.objects.get(pk=event.pk).occurred_at
    assert stored == datetime(2025, 3, 14, 9, 30, 0, 123456, UTC)
    assert stored.utcoffset().total_seconds() == 0
    assert verify_trail().is_intact


def test_model_instance_as_subject(daan):
    with transaction.atomic():
        event = record_event(daan, "user.created")

    assert event.object_type == "core.user"
    assert event.object_id == str(daan.pk)


def test_actor_label_names_who_acted(daan, django_user_model):
    piet = django_user_model.objects.create_user(username="piet")

    with transaction.atomic():
        by_daan = record_event(INVOICE, "invoice.submitted", actor=daan)
        by_piet = record_event(INVOICE, "invoice.checked", actor=piet)
        by_system = record_event(INVOICE, "invoice.read")
        by_scheduler = record_event(INVOICE, "invoice.due", actor_label="scheduler")

    assert by_daan.actor_label == "Daan de Vries"
    assert by_piet.actor_label == "piet"
    assert by_system.actor_label == "system"
    assert by_system.actor is None
    assert by_scheduler.actor_label == "scheduler"


def test_stand_in_recorded_with_approver(daan, django_user_model):
    eva = django_user_model.objects.create_user(
        username="eva", first_name="Eva", last_name="Jansen"
    )

    with transaction.atomic():
        event = record_event(INVOICE, "invoice.approved", actor=daan, on_behalf_of=eva)

    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor == daan
    assert stored.on_behalf_of == eva
    assert verify_trail().is_intact


@pytest.mark.parametrize(
    ("amounts", "data"),
    [
        ({"total_gross_amount": 1210.0, "currency": "EUR"}, None),
        (None, {"exchange_rate": 1.0842}),
        (None, {"lines": [{"vat_rate": 0.21}]}),
    ],
)
def test_float_rejected(amounts, data):
    with transaction.atomic(), pytest.raises(TypeError, match=r"[Ff]loat"):
        record_event(INVOICE, "invoice.received", amounts=amounts, data=data)

    assert AuditEvent.objects.count() == 0


def test_invalid_currency_rejected():
    amounts = {"total_gross_amount": "1210.00", "currency": "euro"}

    with transaction.atomic(), pytest.raises(InvalidCurrencyError):
        record_event(INVOICE, "invoice.received", amounts=amounts)


def test_naive_datetime_rejected():
    with transaction.atomic(), pytest.raises(ValueError, match="Naive datetime"):
        record_event(INVOICE, "invoice.received", at=datetime(2025, 3, 14, 9, 30))  # noqa: DTZ001


def test_unsaved_subject_rejected(django_user_model):
    with transaction.atomic(), pytest.raises(ValueError, match="save it before"):
        record_event(django_user_model(username="nobody"), "user.created")


def test_event_rolls_back_with_caller():
    def submit_invoice_that_fails() -> None:
        with transaction.atomic():
            record_event(INVOICE, "invoice.submitted")
            raise RuntimeError("the invoice failed to save")

    with pytest.raises(RuntimeError):
        submit_invoice_that_fails()

    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_recording_outside_transaction_rejected():
    with pytest.raises(NotInTransactionError):
        record_event(INVOICE, "invoice.received")

    assert AuditEvent.objects.count() == 0
