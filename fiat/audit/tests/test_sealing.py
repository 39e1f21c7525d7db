"""Seals: every new event chained into one chain of seals."""

from datetime import UTC, datetime

import pytest

from fiat.audit.hashing import GENESIS_HASH
from fiat.audit.models import AuditEvent, AuditSeal
from fiat.audit.sealing import seal_events
from fiat.audit.services import record_event
from fiat.audit.tests.conftest import INVOICE, OTHER_INVOICE
from fiat.audit.verification import verify_trail

pytestmark = pytest.mark.django_db

SEALED_AT = datetime(2025, 3, 15, 9, 31, tzinfo=UTC)


def test_seal_covers_unsealed_events(invoice_events):
    received, _, approved = invoice_events

    seals = seal_events(at=SEALED_AT)

    assert len(seals) == 1
    seal = seals[0]
    assert seal.sequence == 1
    assert seal.previous_hash == GENESIS_HASH
    assert seal.event_count == 3
    assert (seal.first_event_id, seal.last_event_id) == (received.id, approved.id)
    assert seal.sealed_at == SEALED_AT
    assert AuditEvent.objects.filter(seal=seal).count() == 3


def test_sealed_trail_verifies(invoice_events):
    seal_events(at=SEALED_AT)

    report = verify_trail()

    assert report.is_intact
    assert report.seal_count == 1
    assert report.unsealed_event_count == 0
    assert report.latest_seal.sequence == 1


def test_second_seal_chains_to_first(invoice_events):
    first_seal = seal_events(at=SEALED_AT)[0]
    booked = record_event(INVOICE, "invoice.booked")
    other = record_event(OTHER_INVOICE, "invoice.received")

    second_seal = seal_events()[0]

    assert second_seal.sequence == 2
    assert second_seal.previous_hash == first_seal.hash
    assert second_seal.event_count == 2
    assert (second_seal.first_event_id, second_seal.last_event_id) == (
        booked.id,
        other.id,
    )
    assert verify_trail().is_intact


def test_nothing_to_seal_creates_no_seal(invoice_events):
    seal_events()

    seals = seal_events()

    assert seals == []
    assert AuditSeal.objects.count() == 1


def test_large_backlog_split_into_chained_seals():
    for number in range(5):
        record_event(INVOICE, f"invoice.step_{number}")

    seals = seal_events(max_events=2)

    assert [seal.event_count for seal in seals] == [2, 2, 1]
    assert [seal.sequence for seal in seals] == [1, 2, 3]
    assert seals[1].previous_hash == seals[0].hash
    assert seals[2].previous_hash == seals[1].hash
    assert verify_trail().is_intact


def test_unsealed_events_counted(invoice_events):
    seal_events()
    record_event(INVOICE, "invoice.booked")

    report = verify_trail()

    assert report.is_intact
    assert report.event_count == 4
    assert report.seal_count == 1
    assert report.unsealed_event_count == 1


def test_verification_reads_in_chunks(invoice_events):
    seal_events(max_events=2)
    record_event(OTHER_INVOICE, "invoice.received")

    report = verify_trail(chunk_size=1)

    assert report.is_intact
    assert (report.event_count, report.seal_count) == (4, 2)


def test_naive_sealing_time_rejected(invoice_events):
    with pytest.raises(ValueError, match="Naive datetime"):
        seal_events(at=datetime(2025, 3, 15, 9, 31))  # noqa: DTZ001

    assert AuditSeal.objects.count() == 0
