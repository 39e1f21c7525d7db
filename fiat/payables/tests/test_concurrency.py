"""Two requests at once on PostgreSQL, each in its own connection.

Row locks make the second of two simultaneous status changes see the first
one's result, so an invoice is submitted once and a document becomes one
invoice however many workers race for it.
"""

import pytest

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
from fiat.testing import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


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
