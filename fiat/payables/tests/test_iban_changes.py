"""A new IBAN on an invoice: a warning, and a change that needs four eyes."""

import pytest

from fiat.audit.models import AuditEvent
from fiat.payables.checks import recheck_invoice
from fiat.payables.iban_changes import (
    ACCEPT,
    CONFIRM,
    REJECT,
    FourEyesError,
    IbanChangeError,
    accept_iban_change,
    allowed_iban_actions,
    confirm_iban_change,
    reject_iban_change,
)
from fiat.payables.models import IbanChangeRequest, IbanChangeStatus
from fiat.payables.tests.factories import (
    OTHER_IBAN,
    SUPPLIER_IBAN,
    blocking_codes,
    check_codes,
    make_invoice,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def change(supplier) -> IbanChangeRequest:
    """The change request opened by an invoice that names a new IBAN."""
    make_invoice(supplier={"iban": OTHER_IBAN})
    return IbanChangeRequest.objects.get()


def test_new_iban_warns_without_blocking(supplier):
    invoice = make_invoice(supplier={"iban": OTHER_IBAN})

    check = invoice.checks.get(code="iban_changed")
    assert check.severity == "warning"
    assert check.expected == SUPPLIER_IBAN
    assert check.found == OTHER_IBAN
    assert check.source == f"supplier {supplier.pk}"
    assert blocking_codes(invoice) == []


def test_first_iban_of_supplier_needs_four_eyes(supplier, clerk, controller):
    supplier.iban = ""
    supplier.save()
    invoice = make_invoice(supplier={"iban": OTHER_IBAN})
    change = IbanChangeRequest.objects.get()

    accept_iban_change(change, clerk)
    confirm_iban_change(change, controller)

    assert invoice.checks.get(code="iban_not_on_file").severity == "warning"
    assert change.old_iban == ""
    supplier.refresh_from_db()
    assert supplier.iban == OTHER_IBAN


def test_new_iban_opens_change_request(supplier):
    invoice = make_invoice(supplier={"iban": OTHER_IBAN})

    change = IbanChangeRequest.objects.get()
    assert change.supplier == supplier
    assert change.invoice == invoice
    assert change.old_iban == SUPPLIER_IBAN
    assert change.new_iban == OTHER_IBAN
    assert change.status == IbanChangeStatus.PENDING
    assert change.requested_by is None


def test_second_invoice_reuses_open_request(supplier):
    make_invoice(supplier={"iban": OTHER_IBAN}, invoice_number="1")

    make_invoice(supplier={"iban": OTHER_IBAN}, invoice_number="2")

    assert IbanChangeRequest.objects.count() == 1


def test_accepting_alone_does_not_change_supplier(change, clerk, supplier):
    accept_iban_change(change, clerk)

    supplier.refresh_from_db()
    change.refresh_from_db()
    assert supplier.iban == SUPPLIER_IBAN
    assert change.status == IbanChangeStatus.ACCEPTED
    assert change.accepted_by == clerk


def test_accepter_cannot_confirm(change, clerk, supplier):
    accept_iban_change(change, clerk)

    with pytest.raises(FourEyesError):
        confirm_iban_change(change, clerk)

    supplier.refresh_from_db()
    change.refresh_from_db()
    assert supplier.iban == SUPPLIER_IBAN
    assert change.status == IbanChangeStatus.ACCEPTED


def test_requester_cannot_confirm(supplier, clerk, second_clerk):
    invoice = make_invoice()
    invoice.iban = OTHER_IBAN
    invoice.save(update_fields=["iban"])
    recheck_invoice(invoice, iban_requested_by=clerk)
    change = IbanChangeRequest.objects.get()
    accept_iban_change(change, second_clerk)

    with pytest.raises(FourEyesError):
        confirm_iban_change(change, clerk)

    supplier.refresh_from_db()
    assert supplier.iban == SUPPLIER_IBAN


def test_second_person_confirms_and_iban_changes(change, clerk, controller, supplier):
    accept_iban_change(change, clerk)

    confirm_iban_change(change, controller)

    supplier.refresh_from_db()
    change.refresh_from_db()
    assert supplier.iban == OTHER_IBAN
    assert change.status == IbanChangeStatus.CONFIRMED
    assert change.decided_by == controller


def test_confirmation_needs_acceptance_first(change, controller, supplier):
    with pytest.raises(IbanChangeError):
        confirm_iban_change(change, controller)

    supplier.refresh_from_db()
    assert supplier.iban == SUPPLIER_IBAN


def test_rejected_change_cannot_be_confirmed(change, clerk, controller, supplier):
    accept_iban_change(change, clerk)
    reject_iban_change(change, controller)

    with pytest.raises(IbanChangeError):
        confirm_iban_change(change, controller)

    supplier.refresh_from_db()
    assert supplier.iban == SUPPLIER_IBAN


def test_iban_change_audited_with_both_people(change, clerk, controller, supplier):
    accept_iban_change(change, clerk)

    confirm_iban_change(change, controller)

    actions = list(
        AuditEvent.objects.filter(object_type="payables.ibanchangerequest")
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions == [
        "iban_change.requested",
        "iban_change.accepted",
        "iban_change.confirmed",
    ]
    supplier_event = AuditEvent.objects.get(
        object_type="core.party", action="supplier.iban_changed"
    )
    assert supplier_event.actor == controller
    assert supplier_event.data == {
        "old_iban": SUPPLIER_IBAN,
        "new_iban": OTHER_IBAN,
        "change_request": change.pk,
        "accepted_by": clerk.pk,
    }


def test_warning_gone_once_confirmed(change, clerk, controller):
    accept_iban_change(change, clerk)
    confirm_iban_change(change, controller)
    invoice = change.invoice

    recheck_invoice(invoice)

    assert "iban_changed" not in check_codes(invoice)


def test_actions_offered_follow_four_eyes(change, clerk, controller):
    assert allowed_iban_actions(change, clerk) == {ACCEPT, REJECT}

    change = accept_iban_change(change, clerk)

    assert allowed_iban_actions(change, clerk) == {REJECT}
    assert allowed_iban_actions(change, controller) == {CONFIRM, REJECT}
