"""Two workers posting the same document at once, each in its own connection.

Runs on SQLite and PostgreSQL. On PostgreSQL the second insert waits for the
first transaction and then fails on the one-booking constraint. On SQLite
the write lock queues the second transaction behind the first. Either way
the document is booked once.
"""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from fiat.audit.models import AuditEvent
from fiat.ledger.connectors import BuiltInLedger
from fiat.ledger.models import JournalEntry
from fiat.ledger.posting import DuplicateBookingError, post_entry
from fiat.ledger.tests.factories import install_chart, office_supplies_draft

pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT_SECONDS = 30


def run_together(*functions: Callable) -> list:
    """Run ``functions`` in threads that start together; return each outcome.

    An outcome is the return value, or the exception raised.
    """
    barrier = threading.Barrier(len(functions))

    def run(function: Callable):
        try:
            barrier.wait(TIMEOUT_SECONDS)
            return function()
        except Exception as error:
            # The test checks which call failed, and how.
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(len(functions)) as pool:
        futures = [pool.submit(run, function) for function in functions]
        return [future.result(TIMEOUT_SECONDS) for future in futures]


def test_racing_posts_book_once():
    accounts = install_chart()
    draft = office_supplies_draft(accounts)

    outcomes = run_together(
        lambda: post_entry(draft, actor=None).number,
        lambda: post_entry(draft, actor=None).number,
    )

    numbers = [outcome for outcome in outcomes if isinstance(outcome, str)]
    errors = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert numbers == ["2026-000001"]
    assert len(errors) == 1
    assert isinstance(errors[0], DuplicateBookingError)
    assert errors[0].existing.number == "2026-000001"
    assert JournalEntry.objects.count() == 1
    assert AuditEvent.objects.filter(action="journal_entry.posted").count() == 1


def test_racing_connector_bookings_return_one_entry():
    accounts = install_chart()
    draft = office_supplies_draft(accounts)
    ledger = BuiltInLedger()

    outcomes = run_together(
        lambda: ledger.book(draft, actor=None),
        lambda: ledger.book(draft, actor=None),
    )

    assert [receipt.external_id for receipt in outcomes] == ["2026-000001"] * 2
    assert sorted(receipt.created for receipt in outcomes) == [False, True]
    assert JournalEntry.objects.count() == 1
