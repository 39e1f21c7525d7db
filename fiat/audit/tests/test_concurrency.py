"""Concurrent writers and sealers on PostgreSQL, each in its own connection.

Per-object chains let writers of different objects run side by side. Two
writers of one object meet on the unique (object, sequence) constraint, and
the one that loses records its event after the winner's.
"""

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction

from fiat.audit.models import AuditEvent, AuditSeal
from fiat.audit.sealing import seal_events
from fiat.audit.services import AuditConflictError, record_event
from fiat.audit.tests.conftest import INVOICE, OTHER_INVOICE
from fiat.audit.verification import verify_trail

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TIMEOUT_SECONDS = 10


def _own_connection(function: Callable) -> Callable:
    """Wrap ``function`` to close the thread's database connection at the end."""

    def run():
        try:
            return function()
        finally:
            connection.close()

    return run


def _wait_for_lock_waiters(count: int) -> None:
    """Wait until ``count`` sessions wait for a lock held by another one."""
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0] >= count:
                return
        time.sleep(0.02)
    raise TimeoutError(f"{count} sessions did not start waiting for a lock")


def _record_and_hold(subject, recorded: threading.Event, release: threading.Event):
    """Record an event, then keep its transaction open until ``release``."""

    def run() -> int:
        with transaction.atomic():
            event = record_event(subject, "invoice.submitted")
            recorded.set()
            assert release.wait(TIMEOUT_SECONDS)
        return event.sequence

    return _own_connection(run)


def _record_after(subject, recorded: threading.Event) -> Callable:
    def run() -> int:
        assert recorded.wait(TIMEOUT_SECONDS)
        with transaction.atomic():
            return record_event(subject, "invoice.approved").sequence

    return _own_connection(run)


def test_other_object_does_not_wait():
    recorded, release = threading.Event(), threading.Event()

    with ThreadPoolExecutor(max_workers=2) as pool:
        holder = pool.submit(_record_and_hold(INVOICE, recorded, release))
        other = pool.submit(_record_after(OTHER_INVOICE, recorded))
        other_sequence = other.result(timeout=TIMEOUT_SECONDS)
        holder_was_open = not holder.done()
        release.set()

    assert other_sequence == 1
    assert holder_was_open
    assert holder.result() == 1


def test_same_object_writer_retries_after_conflict(caplog):
    caplog.set_level(logging.INFO, logger="fiat.audit.services")
    recorded, release = threading.Event(), threading.Event()

    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(_record_and_hold(INVOICE, recorded, release))
        second = pool.submit(_record_after(INVOICE, recorded))
        _wait_for_lock_waiters(1)
        release.set()

    assert first.result() == 1
    assert second.result() == 2
    assert "Sequence 1 of audit chain purchases.invoice 77 was taken" in caplog.text
    assert verify_trail().is_intact


def _record_many(subject, count: int, start: threading.Barrier) -> Callable:
    def run() -> tuple[int, int]:
        recorded = conflicts = 0
        start.wait(TIMEOUT_SECONDS)
        for _ in range(count):
            try:
                with transaction.atomic():
                    record_event(subject, "invoice.commented")
                recorded += 1
            except AuditConflictError:
                conflicts += 1
        return recorded, conflicts

    return _own_connection(run)


def test_many_writers_never_fork_a_chain():
    writers, events_each = 8, 15
    start = threading.Barrier(writers)

    with ThreadPoolExecutor(max_workers=writers) as pool:
        futures = [
            pool.submit(_record_many(INVOICE, events_each, start))
            for _ in range(writers)
        ]
        results = [future.result(timeout=60) for future in futures]

    recorded = sum(result[0] for result in results)
    conflicts = sum(result[1] for result in results)
    sequences = list(
        AuditEvent.objects.order_by("sequence").values_list("sequence", flat=True)
    )
    assert recorded + conflicts == writers * events_each
    assert sequences == list(range(1, recorded + 1))
    assert verify_trail().is_intact


def test_writers_of_different_objects_all_succeed():
    writers, events_each = 8, 15
    start = threading.Barrier(writers)

    with ThreadPoolExecutor(max_workers=writers) as pool:
        futures = [
            pool.submit(_record_many(("purchases.invoice", n), events_each, start))
            for n in range(writers)
        ]
        results = [future.result(timeout=60) for future in futures]

    assert results == [(events_each, 0)] * writers
    assert AuditEvent.objects.count() == writers * events_each
    assert verify_trail().is_intact


def test_concurrent_sealers_create_one_seal():
    with transaction.atomic():
        for number in range(3):
            record_event(INVOICE, f"invoice.step_{number}")
    sealed, release = threading.Event(), threading.Event()

    def seal_and_hold():
        with transaction.atomic():
            seals = seal_events()
            sealed.set()
            assert release.wait(TIMEOUT_SECONDS)
        return [seal.sequence for seal in seals]

    def seal_after():
        assert sealed.wait(TIMEOUT_SECONDS)
        return [seal.sequence for seal in seal_events()]

    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(_own_connection(seal_and_hold))
        second = pool.submit(_own_connection(seal_after))
        _wait_for_lock_waiters(1)
        release.set()

    assert first.result() == [1]
    assert second.result() == []
    assert AuditSeal.objects.count() == 1
    assert verify_trail().is_intact
