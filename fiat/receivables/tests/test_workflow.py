"""Status changes, the lock on released invoices, credit notes, payments."""

from datetime import date
from decimal import Decimal

import pytest

from fiat.audit.models import AuditEvent
from fiat.audit.testing import recorded_actions
from fiat.receivables.credit import NotCorrectableError, create_correction
from fiat.receivables.drafting import LineData, add_charge, add_line, recalculate
from fiat.receivables.models import (
    INVOICE_TRANSITIONS,
    DocumentType,
    InvoiceStatus,
    LockedInvoiceError,
    SalesInvoice,
)
from fiat.receivables.release import release_invoice
from fiat.receivables.tests.factories import german_vat_code, make_draft, sales_vat_code
from fiat.receivables.workflow import (
    InvalidPaymentError,
    InvalidTransitionError,
    mark_sent,
    record_payment,
    return_to_draft,
    submit_for_review,
)

pytestmark = pytest.mark.django_db


def returned_goods_invoice() -> SalesInvoice:
    """Release an invoice of 2 units at 7.50 net and 19 % VAT."""
    line = LineData(
        description="Kabel", quantity=Decimal(2), unit_price=Decimal("7.50"),
        vat_code=german_vat_code(),
    )  # fmt: skip
    return release_invoice(make_draft(None, line, issue_date=date(2026, 4, 1)), None)


def test_transitions_cover_every_status():
    assert set(INVOICE_TRANSITIONS) == set(InvoiceStatus.values)
    assert INVOICE_TRANSITIONS[InvoiceStatus.CREDITED] == frozenset()


def test_released_invoice_cannot_be_edited():
    invoice = release_invoice(make_draft(), None)

    invoice.note = "Changed afterwards"
    with pytest.raises(LockedInvoiceError, match="credit note"):
        invoice.save()

    assert SalesInvoice.objects.get(pk=invoice.pk).note == ""


def test_released_invoice_cannot_be_deleted():
    invoice = release_invoice(make_draft(), None)

    with pytest.raises(LockedInvoiceError):
        invoice.delete()

    assert SalesInvoice.objects.filter(pk=invoice.pk).exists()


def test_released_line_cannot_be_changed_or_deleted():
    invoice = release_invoice(make_draft(), None)
    line = invoice.lines.get()

    line.unit_price = Decimal("1.00")
    with pytest.raises(LockedInvoiceError):
        line.save()
    with pytest.raises(LockedInvoiceError):
        line.delete()

    assert invoice.lines.get().unit_price == Decimal("95.0000")


def test_released_invoice_takes_no_new_line_or_charge():
    invoice = release_invoice(make_draft(), None)
    line = LineData(
        description="Extra", unit_price=Decimal(1), vat_code=sales_vat_code()
    )

    with pytest.raises(LockedInvoiceError):
        add_line(invoice, line)
    with pytest.raises(LockedInvoiceError):
        add_charge(invoice, "Vracht", Decimal("5.00"), sales_vat_code())


def test_stale_instance_cannot_edit_released_row():
    draft = make_draft()
    stale = SalesInvoice.objects.get(pk=draft.pk)
    release_invoice(draft, None)

    stale.note = "Edited from an old page"
    with pytest.raises(LockedInvoiceError):
        stale.save()


def test_draft_can_be_deleted():
    invoice = make_draft()

    invoice.delete()

    assert not SalesInvoice.objects.exists()


def test_credit_note_for_returned_goods():
    invoice = returned_goods_invoice()

    credit_note = create_correction(invoice, None)

    line = credit_note.lines.get()
    assert credit_note.document_type == DocumentType.CREDIT_NOTE
    assert credit_note.type.type_code == "381"
    assert credit_note.corrected_invoice == invoice
    assert line.quantity == Decimal(2)
    assert line.unit_price == Decimal("7.50")
    assert line.net_amount == Decimal("15.00")
    assert credit_note.total_vat_amount == Decimal("2.85")
    assert credit_note.payable_amount == Decimal("17.85")


def test_corrective_invoice_for_returned_goods():
    invoice = returned_goods_invoice()

    corrective = create_correction(invoice, None, corrective_invoice=True)

    line = corrective.lines.get()
    assert corrective.type.type_code == "384"
    assert line.quantity == Decimal(-2)
    assert line.unit_price == Decimal("7.50")
    assert line.net_amount == Decimal("-15.00")
    assert corrective.total_vat_amount == Decimal("-2.85")
    assert corrective.payable_amount == Decimal("-17.85")


def test_corrective_invoice_turns_charge_into_allowance():
    vat_19 = german_vat_code()
    draft = make_draft(
        None,
        LineData(description="Kabel", unit_price=Decimal("10.00"), vat_code=vat_19),
    )
    add_charge(draft, "Vracht", Decimal("5.99"), vat_19)
    invoice = release_invoice(draft, None)

    corrective = create_correction(invoice, None, corrective_invoice=True)

    charge = corrective.charges.get()
    assert charge.is_charge is False
    assert corrective.total_net_amount == Decimal("-15.99")


def test_released_credit_note_credits_invoice():
    invoice = returned_goods_invoice()
    credit_note = create_correction(invoice, None)

    release_invoice(credit_note, None)

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.CREDITED
    assert credit_note.__class__.objects.get(pk=credit_note.pk).number == "F2026-00002"


def test_partial_credit_note_leaves_invoice_open():
    invoice = returned_goods_invoice()
    credit_note = create_correction(invoice, None)
    line = credit_note.lines.get()
    line.quantity = Decimal(1)
    line.save()
    recalculate(credit_note)
    release_invoice(credit_note, None)

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.RELEASED


def test_draft_cannot_be_corrected():
    with pytest.raises(NotCorrectableError):
        create_correction(make_draft(), None)


def test_credit_note_cannot_be_corrected():
    credit_note = release_invoice(
        create_correction(returned_goods_invoice(), None), None
    )

    with pytest.raises(NotCorrectableError):
        create_correction(credit_note, None)


def test_review_and_return_to_draft(controller):
    invoice = make_draft()
    submit_for_review(invoice, None, ["new_customer"])

    returned = return_to_draft(invoice, controller, "Wrong customer")

    assert returned.status == InvoiceStatus.DRAFT
    assert recorded_actions(invoice) == [
        "sales_invoice.awaiting_review",
        "sales_invoice.draft",
    ]


def test_mark_sent_then_sent_again():
    invoice = release_invoice(make_draft(), None)

    first = mark_sent(invoice, None, mail_id=1)
    second = mark_sent(invoice, None, mail_id=2)

    invoice.refresh_from_db()
    assert first is True
    assert second is False
    assert invoice.status == InvoiceStatus.SENT
    assert AuditEvent.objects.filter(action="sales_invoice.sent_again").count() == 1


def test_draft_cannot_be_sent():
    with pytest.raises(InvalidTransitionError):
        mark_sent(make_draft(), None, mail_id=1)


def test_payments_make_invoice_partly_then_fully_paid():
    invoice = release_invoice(make_draft(), None)

    partly = record_payment(invoice, Decimal("100.00"))
    paid = record_payment(invoice, Decimal("129.90"))

    assert partly.status == InvoiceStatus.PARTLY_PAID
    assert paid.status == InvoiceStatus.PAID
    assert paid.paid_amount == Decimal("229.90")
    assert paid.open_amount == Decimal("0.00")


def test_payment_on_draft_rejected():
    with pytest.raises(InvalidTransitionError):
        record_payment(make_draft(), Decimal("10.00"))


def test_zero_payment_rejected():
    invoice = release_invoice(make_draft(), None)

    with pytest.raises(InvalidPaymentError):
        record_payment(invoice, Decimal(0))
