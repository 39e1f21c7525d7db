"""The ORM raises on every change or deletion of audit records."""

import pytest

from fiat.audit.models import AppendOnlyError, AuditEvent, AuditSeal
from fiat.audit.sealing import seal_events
from fiat.audit.services import record_event
from fiat.audit.tests.conftest import INVOICE

pytestmark = pytest.mark.django_db


def test_event_save_raises(invoice_events):
    event = invoice_events[0]
    event.action = "invoice.rejected"

    with pytest.raises(AppendOnlyError, match="append-only"):
        event.save()

    assert AuditEvent.objects.get(pk=event.pk).action == "invoice.received"


def test_event_save_of_other_fields_raises(invoice_events):
    event = invoice_events[0]
    event.actor_label = "Eva Jansen"

    with pytest.raises(AppendOnlyError):
        event.save(update_fields=["actor_label"])

    assert AuditEvent.objects.get(pk=event.pk).actor_label == "system"


def test_event_delete_raises(invoice_events):
    with pytest.raises(AppendOnlyError):
        invoice_events[0].delete()

    assert AuditEvent.objects.count() == 3


def test_event_queryset_update_raises(invoice_events):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(action="invoice.approved").update(amounts={})

    assert AuditEvent.objects.get(pk=invoice_events[2].pk).amounts == {
        "total_gross_amount": "1210.00",
        "currency": "EUR",
    }


def test_event_bulk_update_raises(invoice_events):
    event = invoice_events[0]
    event.action = "invoice.rejected"

    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["action"])


def test_event_queryset_delete_raises(invoice_events):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()

    assert AuditEvent.objects.count() == 3


def test_event_seal_set_when_empty(invoice_events):
    seal = seal_events()[0]
    event = record_event(INVOICE, "invoice.booked")
    event.seal = seal

    event.save(update_fields=["seal"])

    assert AuditEvent.objects.get(pk=event.pk).seal == seal


def test_event_seal_change_raises(invoice_events):
    seal = seal_events()[0]
    event = invoice_events[0]
    event.seal = None

    with pytest.raises(AppendOnlyError, match="has a seal already"):
        event.save(update_fields=["seal"])

    assert AuditEvent.objects.get(pk=event.pk).seal == seal


def test_seal_save_and_delete_raise(invoice_events):
    seal = seal_events()[0]
    seal.event_count = 2

    with pytest.raises(AppendOnlyError):
        seal.save()
    with pytest.raises(AppendOnlyError):
        seal.delete()
    with pytest.raises(AppendOnlyError):
        AuditSeal.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditSeal.objects.update(event_count=2)

    assert AuditSeal.objects.get(pk=seal.pk).event_count == 3
