"""Changes made behind the ORM's back, found by verify_trail."""

import json

import pytest

from fiat.audit.hashing import EVENT_HASH_FIELDS, GENESIS_HASH, compute_event_hash
from fiat.audit.models import AuditEvent
from fiat.audit.sealing import seal_events
from fiat.audit.services import record_event
from fiat.audit.tests.conftest import INVOICE, execute_sql
from fiat.audit.verification import ProblemKind, verify_trail

pytestmark = pytest.mark.django_db

RAISED_AMOUNTS = {"total_gross_amount": "9210.00", "currency": "EUR"}


def _rehash_with_amounts(event: AuditEvent, amounts: dict) -> str:
    """Return the hash someone would compute to hide a change of amounts."""
    fields = {name: getattr(event, name) for name in EVENT_HASH_FIELDS}
    return compute_event_hash({**fields, "amounts": amounts})


def _problem_summary(report) -> list[tuple[str, int | None, int | None]]:
    return [
        (problem.kind, problem.event_id, problem.seal_sequence)
        for problem in report.problems
    ]


def test_changed_amounts_name_the_event(invoice_events):
    submitted = invoice_events[1]
    execute_sql(
        "UPDATE audit_auditevent SET amounts = %s WHERE id = %s",
        [json.dumps(RAISED_AMOUNTS), submitted.id],
    )

    report = verify_trail()

    assert not report.is_intact
    assert _problem_summary(report) == [
        (ProblemKind.EVENT_HASH_MISMATCH, submitted.id, None)
    ]
    assert report.first_problem.found == submitted.hash
    assert report.first_problem.expected == _rehash_with_amounts(
        submitted, RAISED_AMOUNTS
    )
    assert report.first_problem.object_type == "purchases.invoice"
    assert report.first_problem.object_id == "77"
    assert report.first_problem.action == "invoice.submitted"


def test_changed_actor_label_caught(invoice_events):
    approved = invoice_events[2]
    execute_sql(
        "UPDATE audit_auditevent SET actor_label = %s WHERE id = %s",
        ["Eva Jansen", approved.id],
    )

    report = verify_trail()

    assert _problem_summary(report) == [
        (ProblemKind.EVENT_HASH_MISMATCH, approved.id, None)
    ]


def test_float_written_into_data_caught(invoice_events):
    approved = invoice_events[2]
    execute_sql(
        "UPDATE audit_auditevent SET data = %s WHERE id = %s",
        ['{"exchange_rate": 1.5}', approved.id],
    )

    report = verify_trail()

    assert _problem_summary(report) == [
        (ProblemKind.EVENT_FIELDS_INVALID, approved.id, None)
    ]


def test_deleted_middle_event_breaks_chain(invoice_events):
    received, submitted, approved = invoice_events
    execute_sql("DELETE FROM audit_auditevent WHERE id = %s", [submitted.id])

    report = verify_trail()

    assert _problem_summary(report) == [
        (ProblemKind.SEQUENCE_GAP, approved.id, None),
        (ProblemKind.CHAIN_BROKEN, approved.id, None),
    ]
    assert (report.problems[0].expected, report.problems[0].found) == ("2", "3")
    assert report.problems[1].expected == received.hash
    assert report.problems[1].found == submitted.hash


def test_deleted_first_event_breaks_chain(invoice_events):
    received, submitted, _ = invoice_events
    execute_sql("DELETE FROM audit_auditevent WHERE id = %s", [received.id])

    report = verify_trail()

    assert _problem_summary(report) == [
        (ProblemKind.SEQUENCE_GAP, submitted.id, None),
        (ProblemKind.CHAIN_BROKEN, submitted.id, None),
    ]


def test_rehashed_event_caught_by_next_event(invoice_events):
    submitted, approved = invoice_events[1], invoice_events[2]
    forged_hash = _rehash_with_amounts(submitted, RAISED_AMOUNTS)
    execute_sql(
        "UPDATE audit_auditevent SET amounts = %s, hash = %s WHERE id = %s",
        [json.dumps(RAISED_AMOUNTS), forged_hash, submitted.id],
    )

    report = verify_trail()

    assert _problem_summary(report) == [(ProblemKind.CHAIN_BROKEN, approved.id, None)]
    assert report.first_problem.expected == forged_hash
    assert report.first_problem.found == submitted.hash


def test_rehashed_sealed_event_caught_by_seal(invoice_events):
    approved = invoice_events[2]
    seal_events()
    forged_hash = _rehash_with_amounts(approved, RAISED_AMOUNTS)
    execute_sql(
        "UPDATE audit_auditevent SET amounts = %s, hash = %s WHERE id = %s",
        [json.dumps(RAISED_AMOUNTS), forged_hash, approved.id],
    )

    report = verify_trail()

    assert _problem_summary(report) == [(ProblemKind.SEAL_HASH_MISMATCH, None, 1)]


def test_deleted_last_sealed_event_caught_by_seal(invoice_events):
    received, _, approved = invoice_events
    seal_events()
    execute_sql("DELETE FROM audit_auditevent WHERE id = %s", [approved.id])

    report = verify_trail()

    assert _problem_summary(report) == [
        (ProblemKind.SEAL_EVENT_COUNT_MISMATCH, None, 1),
        (ProblemKind.SEAL_EVENT_RANGE_MISMATCH, None, 1),
        (ProblemKind.SEAL_HASH_MISMATCH, None, 1),
    ]
    assert (report.problems[0].expected, report.problems[0].found) == ("3", "2")
    assert report.problems[1].expected == f"{received.id}-{approved.id}"


def test_event_taken_out_of_seal_caught(invoice_events):
    approved = invoice_events[2]
    seal_events()
    execute_sql(
        "UPDATE audit_auditevent SET seal_id = NULL WHERE id = %s", [approved.id]
    )

    report = verify_trail()

    assert [problem.kind for problem in report.problems] == [
        ProblemKind.SEAL_EVENT_COUNT_MISMATCH,
        ProblemKind.SEAL_EVENT_RANGE_MISMATCH,
        ProblemKind.SEAL_HASH_MISMATCH,
    ]
    assert report.unsealed_event_count == 1


def test_changed_seal_hash_breaks_seal_chain(invoice_events, daan):
    first_seal = seal_events()[0]
    record_event(INVOICE, "invoice.booked", actor=daan)
    seal_events()
    execute_sql(
        "UPDATE audit_auditseal SET hash = %s WHERE id = %s", ["f" * 64, first_seal.id]
    )

    report = verify_trail()

    assert _problem_summary(report) == [
        (ProblemKind.SEAL_HASH_MISMATCH, None, 1),
        (ProblemKind.SEAL_CHAIN_BROKEN, None, 2),
    ]


def test_deleted_first_seal_caught_by_second(invoice_events, daan):
    first_seal = seal_events()[0]
    record_event(INVOICE, "invoice.booked", actor=daan)
    seal_events()
    execute_sql(
        "UPDATE audit_auditevent SET seal_id = NULL WHERE seal_id = %s",
        [first_seal.id],
    )
    execute_sql("DELETE FROM audit_auditseal WHERE id = %s", [first_seal.id])

    report = verify_trail()

    assert _problem_summary(report) == [
        (ProblemKind.SEAL_SEQUENCE_GAP, None, 2),
        (ProblemKind.SEAL_CHAIN_BROKEN, None, 2),
    ]
    assert report.problems[1].expected == GENESIS_HASH
    assert report.problems[1].found == first_seal.hash
