"""Two workers booking the same approved invoice at once.

Runs on SQLite and PostgreSQL. The invoice row lock (or SQLite's write lock)
makes the second worker wait, then find the invoice booked and return the
first worker's entry.
"""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from fiat.audit.models import AuditEvent
from fiat.ledger.models import JournalEntry
from fiat.payables.booking import book_purchase_invoice
from fiat.payables.models import InvoiceStatus
from fiat.payables.tests.booked import approved_invoice
from fiat.payables.tests.factories import make_supplier

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


def test_invoice_booked_once_by_two_workers():
    make_supplier()
    invoice = approved_invoice()

    def book() -> str:
        return book_purchase_invoice(invoice, actor=None, approvals=()).number

    outcomes = run_together(book, book, book)

    assert outcomes == ["2026-000001"] * 3
    assert JournalEntry.objects.count() == 1
    assert AuditEvent.objects.filter(action="invoice.booked").count() == 1
    assert AuditEvent.objects.filter(action="journal_entry.posted").count() == 1
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.BOOKED
