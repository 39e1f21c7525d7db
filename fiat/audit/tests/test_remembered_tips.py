"""Chain tips remembered within a transaction, and the cases that forget them.

A second event on the same object in one transaction follows the first
without reading the chain. A tip whose event was rolled back, or a guess of
an empty chain that is wrong, must still give an intact chain.
"""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from fiat.audit.models import AuditEvent
from fiat.audit.services import record_event
from fiat.audit.tests.conftest import INVOICE, OTHER_INVOICE, RECEIVED_AT
from fiat.audit.verification import verify_trail

pytestmark = pytest.mark.django_db


def chain_reads(queries: CaptureQueriesContext) -> int:
    """Count the captured reads of a chain's last event."""
    return sum(
        1
        for query in queries.captured_queries
        if query["sql"].startswith("SELECT sequence, hash FROM audit_auditevent")
    )


def sequences(subject: tuple[str, int]) -> list[int]:
    object_type, object_id = subject
    return list(
        AuditEvent.objects.filter(object_type=object_type, object_id=str(object_id))
        .order_by("sequence")
        .values_list("sequence", flat=True)
    )


def record_and_roll_back(action: str) -> None:
    """Record an event in a transaction or savepoint that then rolls back."""
    with transaction.atomic():
        record_event(INVOICE, action, at=RECEIVED_AT)
        raise RuntimeError("rolled back")


def test_second_event_reads_no_chain():
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        first = record_event(INVOICE, "invoice.received", at=RECEIVED_AT)
        second = record_event(INVOICE, "invoice.submitted", at=RECEIVED_AT)

    assert chain_reads(queries) == 1
    assert second.sequence == 2
    assert second.previous_hash == first.hash
    assert verify_trail().is_intact


def test_created_subject_reads_no_chain():
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        event = record_event(INVOICE, "invoice.received", created=True)

    assert chain_reads(queries) == 0
    assert event.sequence == 1
    assert verify_trail().is_intact


def test_created_guess_wrong_appends_after_tip():
    with transaction.atomic():
        record_event(INVOICE, "invoice.received", at=RECEIVED_AT)
    with transaction.atomic():
        event = record_event(INVOICE, "invoice.submitted", created=True)

    assert event.sequence == 2
    assert sequences(INVOICE) == [1, 2]
    assert verify_trail().is_intact


def test_rolled_back_savepoint_forgets_tip():
    with transaction.atomic():
        first = record_event(INVOICE, "invoice.received", at=RECEIVED_AT)
        with pytest.raises(RuntimeError):
            record_and_roll_back("invoice.submitted")
        third = record_event(INVOICE, "invoice.approved", at=RECEIVED_AT)

    assert third.sequence == 2
    assert third.previous_hash == first.hash
    assert sequences(INVOICE) == [1, 2]
    assert verify_trail().is_intact


def test_rolled_back_transaction_forgets_tip():
    with pytest.raises(RuntimeError):
        record_and_roll_back("invoice.received")
    with transaction.atomic():
        event = record_event(INVOICE, "invoice.submitted", at=RECEIVED_AT)

    assert event.sequence == 1
    assert sequences(INVOICE) == [1]
    assert verify_trail().is_intact


def test_tips_kept_per_object():
    with transaction.atomic():
        record_event(INVOICE, "invoice.received", at=RECEIVED_AT)
        record_event(OTHER_INVOICE, "invoice.received", at=RECEIVED_AT)
        with CaptureQueriesContext(connection) as queries:
            second = record_event(INVOICE, "invoice.submitted", at=RECEIVED_AT)
            other_second = record_event(
                OTHER_INVOICE, "invoice.submitted", at=RECEIVED_AT
            )

    assert chain_reads(queries) == 0
    assert (second.sequence, other_second.sequence) == (2, 2)
    assert verify_trail().is_intact


@pytest.mark.django_db(transaction=True)
def test_tip_of_committed_transaction_not_followed():
    with transaction.atomic():
        record_event(INVOICE, "invoice.received", at=RECEIVED_AT)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        event = record_event(INVOICE, "invoice.submitted", at=RECEIVED_AT)

    assert chain_reads(queries) == 1
    assert event.sequence == 2
    assert verify_trail().is_intact
