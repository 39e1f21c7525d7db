"""Correcting a released invoice by a credit note or a corrective invoice.

A released invoice is never changed. To cancel it, a credit note repeats
its lines with positive quantities and amounts; its document type says the
money is owed to the customer. A corrective invoice instead repeats them
with negative quantities at the same, positive, prices. Either starts as a
draft that refers to the corrected invoice and is released like any other.
"""

from django.db import transaction

from fiat.core.models import User
from fiat.receivables.drafting import (
    LineData,
    add_charge,
    add_line,
    create_draft,
    recalculate,
)
from fiat.receivables.models import (
    LOCKED_STATUSES,
    DocumentType,
    SalesInvoice,
)


class NotCorrectableError(ValueError):
    """An invoice that cannot be corrected: a draft, or itself a credit note."""


def create_correction(
    invoice: SalesInvoice, actor: User | None, *, corrective_invoice: bool = False
) -> SalesInvoice:
    """Create a draft credit note (or corrective invoice) for all of ``invoice``.

    Remove or change lines of the draft to credit part of it.
    """
    if invoice.status not in LOCKED_STATUSES:
        raise NotCorrectableError(
            f"Sales invoice {invoice.pk} is a draft; edit or delete it instead."
        )
    if invoice.document_type != DocumentType.INVOICE:
        raise NotCorrectableError(
            f"{invoice.number} is a {invoice.get_document_type_display()}; only "
            "an invoice can be corrected."
        )
    document_type = (
        DocumentType.CORRECTIVE_INVOICE if corrective_invoice
        else DocumentType.CREDIT_NOTE
    )  # fmt: skip
    sign = -1 if corrective_invoice else 1
    with transaction.atomic():
        draft = create_draft(
            invoice.customer,
            actor=actor,
            document_type=document_type,
            corrected_invoice=invoice,
            prices_include_vat=invoice.prices_include_vat,
            currency=invoice.currency,
            language=invoice.language,
            vat_treatment=invoice.vat_treatment,
            buyer_reference=invoice.buyer_reference,
            order_reference=invoice.order_reference,
        )
        for line in invoice.lines.select_related("product", "vat_code"):
            add_line(
                draft,
                LineData(
                    description=line.description,
                    quantity=sign * line.quantity,
                    unit_price=line.unit_price,
                    vat_code=line.vat_code,
                    product=line.product,
                    discount_percent=line.discount_percent,
                    unit_code=line.unit_code,
                ),
                recalculate_totals=False,
            )
        # A corrective invoice turns a charge into an allowance of the same
        # amount, since amounts of charges are never negative.
        for charge in invoice.charges.select_related("vat_code"):
            add_charge(
                draft,
                charge.reason,
                charge.amount,
                charge.vat_code,
                is_charge=charge.is_charge != corrective_invoice,
            )
        recalculate(draft)
    return draft
