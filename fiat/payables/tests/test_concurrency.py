"""Two requests at once on PostgreSQL, each in its own connection.

Row locks make the second of two simultaneous status changes see the first
one's result, so an invoice is submitted once and a document becomes one
invoice however many workers race for it.
"""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from fiat.audit.models import AuditEvent
from fiat.core.models import Role
from fiat.payables.iban_changes import (
    FourEyesError,
    IbanChangeError,
    accept_iban_change,
    confirm_iban_change,
)
from fiat.payables.intake import create_invoice_from_document
from fiat.payables.models import IbanChangeRequest, InvoiceStatus, PurchaseInvoice
from fiat.payables.tests.factories import (
    OTHER_IBAN,
    make_document,
    make_invoice,
    make_result,
    make_supplier,
    make_user,
)
from fiat.payables.workflow import InvalidTransitionError, submit_for_approval

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

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


def test_invoice_submitted_once_by_two_clerks():
    make_supplier()
    invoice = make_invoice()
    first = make_user("anna", Role.AP_CLERK)
    second = make_user("bert", Role.AP_CLERK)

    outcomes = run_together(
        lambda: submit_for_approval(invoice, first),
        lambda: submit_for_approval(invoice, second),
    )

    errors = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert len(errors) == 1
    assert isinstance(errors[0], InvalidTransitionError)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.SUBMITTED
    assert AuditEvent.objects.filter(action="invoice.submitted").count() == 1


def test_document_read_by_two_workers_gives_one_invoice():
    make_supplier()
    document = make_document()

    outcomes = run_together(
        lambda: create_invoice_from_document(document, make_result()).pk,
        lambda: create_invoice_from_document(document, make_result()).pk,
    )

    assert outcomes[0] == outcomes[1]
    assert PurchaseInvoice.objects.count() == 1
    assert AuditEvent.objects.filter(action="invoice.created").count() == 1


def test_iban_change_confirmed_once():
    supplier = make_supplier()
    make_invoice(supplier={"iban": OTHER_IBAN})
    change = IbanChangeRequest.objects.get()
    accept_iban_change(change, make_user("anna", Role.AP_CLERK))
    controller = make_user("daan", Role.CONTROLLER)
    director = make_user("eva", Role.DIRECTOR)

    outcomes = run_together(
        lambda: confirm_iban_change(change, controller),
        lambda: confirm_iban_change(change, director),
    )

    errors = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert len(errors) == 1
    assert isinstance(errors[0], IbanChangeError)
    assert not isinstance(errors[0], FourEyesError)
    supplier.refresh_from_db()
    assert supplier.iban == OTHER_IBAN
    assert AuditEvent.objects.filter(action="supplier.iban_changed").count() == 1
