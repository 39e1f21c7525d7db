"""Filling in draft sales invoices: customer defaults, lines and totals.

A draft takes its language, currency, payment term, e-invoice profile and
VAT treatment from the customer. Lines store their net amount and the
invoice its totals, recomputed by ``recalculate`` after every change, so
that lists and the review rules read stored figures that match what the
rendered invoice prints.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from fiat.core.models import Party, User
from fiat.core.money import to_decimal
from fiat.ledger.models import VatCode, VatDirection
from fiat.receivables import vat_rules
from fiat.receivables.calculation import (
    ChargeInput,
    InvoiceAmounts,
    LineInput,
    compute_invoice_amounts,
)
from fiat.receivables.models import (
    CustomerSettings,
    DocumentType,
    InvoiceCharge,
    LockedInvoiceError,
    Product,
    SalesInvoice,
    SalesInvoiceLine,
)
from fiat.receivables.terms import compute_due_date

# The statement a reverse-charged invoice must carry ("btw verlegd" in
# Dutch), printed in the customer's language.
REVERSE_CHARGE_TEXT = _("VAT reverse charged")
EXPORT_TEXT = _("Export outside the EU: zero rated")


class NotACustomerError(ValueError):
    """A party that is not marked as a customer."""


@dataclass(frozen=True)
class LineData:
    """A line to add: from a product, or free text with its own price."""

    description: str = ""
    quantity: Decimal = Decimal(1)
    unit_price: Decimal | None = None
    vat_code: VatCode | None = None
    product: Product | None = None
    discount_percent: Decimal = Decimal(0)
    unit_code: str = ""


def create_draft(
    customer: Party,
    *,
    actor: User | None = None,
    lines: list[LineData] = (),
    document_type: str = DocumentType.INVOICE,
    issue_date: date | None = None,
    prices_include_vat: bool = False,
    **fields,
) -> SalesInvoice:
    """Create a draft for ``customer`` with its defaults, lines and totals.

    ``fields`` sets other invoice fields, such as ``note`` or ``currency``.
    """
    if not customer.is_customer:
        raise NotACustomerError(
            f"{customer} is not marked as a customer; mark it in its party record."
        )
    settings = CustomerSettings.objects.filter(party=customer).first()
    defaults = {
        "language": customer.language,
        "currency": customer.currency,
        "payment_days": customer.payment_terms_days,
        "vat_treatment": customer_vat_treatment(customer),
    }
    if settings is not None:
        defaults["payment_term"] = settings.payment_term
        defaults["einvoice_profile"] = settings.einvoice_profile
        defaults["buyer_reference"] = settings.buyer_reference
    with transaction.atomic():
        invoice = SalesInvoice.objects.create(
            customer=customer,
            document_type=document_type,
            issue_date=issue_date,
            prices_include_vat=prices_include_vat,
            created_by=actor,
            **{**defaults, **fields},
        )
        for line in lines:
            add_line(invoice, line, recalculate_totals=False)
        recalculate(invoice)
    return invoice


def customer_vat_treatment(customer: Party) -> str:
    return vat_rules.decide_vat_treatment(
        customer.country, customer.vat_number, is_consumer=customer.is_consumer
    )


def add_line(
    invoice: SalesInvoice, data: LineData, *, recalculate_totals: bool = True
) -> SalesInvoiceLine:
    """Add a line to a draft; a product fills what ``data`` leaves empty."""
    _require_editable(invoice)
    product = data.product
    unit_price = data.unit_price
    if unit_price is None:
        if product is None:
            raise ValueError("A line without a product needs a unit price.")
        unit_price = product.unit_price
    vat_code = data.vat_code or (product.vat_code if product else None)
    if vat_code is None:
        raise ValueError("A line without a product needs a VAT code.")
    description = data.description or (
        product.name_in(invoice.language) if product else ""
    )
    line = SalesInvoiceLine.objects.create(
        invoice=invoice,
        position=invoice.lines.count() + 1,
        product=product,
        description=description,
        quantity=to_decimal(data.quantity),
        unit_code=data.unit_code or (product.unit_code if product else "C62"),
        unit_price=to_decimal(unit_price),
        discount_percent=to_decimal(data.discount_percent),
        vat_code=effective_vat_code(vat_code, invoice.vat_treatment),
    )
    if recalculate_totals:
        recalculate(invoice)
    return line


def replace_lines(invoice: SalesInvoice, lines: list[LineData]) -> None:
    """Replace every line of a draft by ``lines`` and store the new totals."""
    _require_editable(invoice)
    with transaction.atomic():
        invoice.lines.all().delete()
        for line in lines:
            add_line(invoice, line, recalculate_totals=False)
        recalculate(invoice)


def add_charge(
    invoice: SalesInvoice,
    reason: str,
    amount: Decimal,
    vat_code: VatCode,
    *,
    is_charge: bool = True,
) -> InvoiceCharge:
    """Add a document level charge (freight) or allowance to a draft."""
    _require_editable(invoice)
    charge = InvoiceCharge.objects.create(
        invoice=invoice,
        reason=reason,
        amount=to_decimal(amount),
        is_charge=is_charge,
        vat_code=effective_vat_code(vat_code, invoice.vat_treatment),
    )
    recalculate(invoice)
    return charge


def effective_vat_code(vat_code: VatCode, treatment: str) -> VatCode:
    """Return the sales VAT code a line gets under the customer's treatment.

    Reverse charge and export replace the line's own code by the sales code
    of their category; a domestic sale keeps it.
    """
    category = vat_rules.TREATMENT_CATEGORIES.get(treatment)
    if category is None or vat_code.category == category:
        return vat_code
    replacement = (
        VatCode.objects.filter(
            direction=VatDirection.SALES, category=category, is_active=True
        )
        .order_by("code")
        .first()
    )
    if replacement is None:
        raise VatCode.DoesNotExist(
            f"No active sales VAT code of category {category} exists; add one in "
            "the admin under VAT codes."
        )
    return replacement


def invoice_amounts(invoice: SalesInvoice) -> InvoiceAmounts:
    """Compute the amounts of ``invoice`` from its stored lines and charges."""
    lines = [
        LineInput(
            quantity=line.quantity,
            unit_price=line.unit_price,
            category=line.vat_code.category,
            rate=line.vat_code.rate,
            discount_percent=line.discount_percent,
        )
        for line in invoice.lines.select_related("vat_code")
    ]
    charges = [
        ChargeInput(
            amount=charge.amount,
            category=charge.vat_code.category,
            rate=charge.vat_code.rate,
            is_charge=charge.is_charge,
            reason=charge.reason,
        )
        for charge in invoice.charges.select_related("vat_code")
    ]
    return compute_invoice_amounts(
        lines,
        invoice.currency,
        prices_include_vat=invoice.prices_include_vat,
        charges=charges,
    )


def recalculate(invoice: SalesInvoice) -> InvoiceAmounts:
    """Store the line net amounts and the totals of a draft."""
    _require_editable(invoice)
    amounts = invoice_amounts(invoice)
    set_amounts(invoice, amounts)
    invoice.save(update_fields=[*TOTAL_FIELDS, "updated_at"])
    return amounts


TOTAL_FIELDS = (
    "total_net_amount",
    "total_vat_amount",
    "total_gross_amount",
    "rounding_amount",
    "payable_amount",
)


def set_amounts(invoice: SalesInvoice, amounts: InvoiceAmounts) -> None:
    """Save the line net amounts and set the totals on ``invoice``.

    The caller saves the invoice's TOTAL_FIELDS.
    """
    for line, line_amounts in zip(invoice.lines.all(), amounts.lines, strict=True):
        if line.net_amount != line_amounts.net_amount:
            line.net_amount = line_amounts.net_amount
            line.save(update_fields=["net_amount"])
    invoice.total_net_amount = amounts.total_net_amount
    invoice.total_vat_amount = amounts.total_vat_amount
    invoice.total_gross_amount = amounts.total_gross_amount
    invoice.rounding_amount = amounts.rounding_amount
    invoice.payable_amount = amounts.payable_amount


def expected_due_date(invoice: SalesInvoice, issue_date: date) -> date:
    return compute_due_date(issue_date, invoice.payment_term, invoice.payment_days)


def vat_treatment_text(invoice: SalesInvoice) -> str:
    """Return the VAT statement the invoice must print, or ""."""
    if invoice.vat_treatment == vat_rules.REVERSE_CHARGE:
        return str(REVERSE_CHARGE_TEXT)
    if invoice.vat_treatment == vat_rules.EXPORT:
        return str(EXPORT_TEXT)
    return ""


def _require_editable(invoice: SalesInvoice) -> None:
    if not invoice.is_editable:
        raise LockedInvoiceError(invoice, "edited")
