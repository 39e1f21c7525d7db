"""Finding the supplier of an invoice, and creating it from what was read.

A supplier is found by the identifiers printed on the invoice, most specific
first: VAT number, then IBAN, then KvK number. Only when none of them is
known does the name count, and then only when exactly one supplier has that
name. Identifiers on ``core.Party`` are stored compact (see
``Party.clean``), so the invoice's values are cleaned the same way before
they are compared.
"""

import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext

from fiat.audit.services import record_event
from fiat.core import identifiers
from fiat.core.models import Party, User
from fiat.payables.findings import CheckCode, Finding, Severity
from fiat.payables.models import PurchaseInvoice

logger = logging.getLogger(__name__)

# Invoice field, Party field and how to clean it, in the order in which
# they identify a supplier. Findings name an identifier by its Party field.
IDENTIFIERS: tuple[tuple[str, str, Callable[[str], str]], ...] = (
    ("supplier_vat_number", "vat_number", identifiers.clean_vat_number),
    ("iban", "iban", identifiers.clean_iban),
    ("supplier_coc_number", "coc_number", identifiers.clean_coc_number),
)

# Legal forms left out when names are compared: "Drukkerij De Vries B.V."
# and "Drukkerij de Vries" are one supplier.
_LEGAL_FORMS = frozenset(
    {"bv", "nv", "vof", "cv", "gmbh", "ag", "kg", "sarl", "sprl", "srl", "sa",
     "ltd", "limited", "llc", "inc", "plc", "bvba", "ug", "ohg", "eurl", "sas"}
)  # fmt: skip
_NAME_SEPARATORS = re.compile(r"[^\w]+")
# VAT number prefixes that differ from the ISO 3166 country code.
_VAT_PREFIX_COUNTRIES = {"EL": "GR", "XI": "GB"}


class SupplierExistsError(Exception):
    """The invoice already has a supplier, so none is created."""

    def __init__(self, invoice: PurchaseInvoice) -> None:
        super().__init__(
            f"Invoice {invoice.pk} already has supplier {invoice.supplier}; "
            "clear it first to create another."
        )
        self.invoice = invoice


@dataclass(frozen=True)
class SupplierMatch:
    supplier: Party
    matched_on: str


def clean_or_none(clean: Callable[[str], str], value: str) -> str | None:
    """Return the compact identifier, or None when it is empty or invalid."""
    if not value:
        return None
    try:
        return clean(value)
    except identifiers.InvalidIdentifierError:
        return None


def normalise_name(name: str) -> str:
    """Return ``name`` folded for comparison, without legal form or dots."""
    # Dots go first, so "B.V." becomes the one word "bv".
    words = _NAME_SEPARATORS.split(name.casefold().replace(".", ""))
    return " ".join(word for word in words if word and word not in _LEGAL_FORMS)


def active_suppliers() -> QuerySet[Party]:
    return Party.objects.filter(is_supplier=True, is_active=True)


def find_supplier(invoice: PurchaseInvoice) -> SupplierMatch | None:
    """Return the supplier that the invoice's identifiers or name point to."""
    for invoice_field, party_field, clean in IDENTIFIERS:
        value = clean_or_none(clean, getattr(invoice, invoice_field))
        if value is None:
            continue
        supplier = (
            active_suppliers().filter(**{party_field: value}).order_by("pk").first()
        )
        if supplier is not None:
            return SupplierMatch(supplier, party_field)
    return _find_by_name(invoice.supplier_name)


def _find_by_name(name: str) -> SupplierMatch | None:
    target_name = normalise_name(name)
    if not target_name:
        return None
    # Names are few enough per company to compare in Python, and the folding
    # (legal forms, punctuation) has no portable SQL equivalent.
    candidates = [
        supplier
        for supplier in active_suppliers().only("pk", "name")
        if normalise_name(supplier.name) == target_name
    ]
    if len(candidates) != 1:
        return None
    return SupplierMatch(candidates[0], "name")


def check_supplier(invoice: PurchaseInvoice) -> list[Finding]:
    """Report how the supplier was found, or that none was found."""
    supplier = invoice.supplier
    if supplier is None:
        return [_unknown_supplier(invoice)]
    matched_on = [
        party_field
        for invoice_field, party_field, clean in IDENTIFIERS
        if clean_or_none(clean, getattr(invoice, invoice_field))
        == (getattr(supplier, party_field) or "")
    ]
    findings = list(_conflicts(invoice, supplier))
    if matched_on:
        findings.insert(0, _matched(supplier, ",".join(matched_on)))
    elif normalise_name(invoice.supplier_name) == normalise_name(supplier.name):
        findings.insert(
            0,
            Finding(
                CheckCode.SUPPLIER_MATCHED_BY_NAME,
                Severity.WARNING,
                field="supplier",
                source=f"supplier {supplier.pk}",
                params={"supplier": supplier.name},
            ),
        )
    return findings


def _matched(supplier: Party, matched_on: str) -> Finding:
    return Finding(
        CheckCode.SUPPLIER_MATCHED,
        Severity.INFO,
        field="supplier",
        source=f"supplier {supplier.pk}",
        params={"supplier": supplier.name, "matched_on": matched_on},
    )


def _unknown_supplier(invoice: PurchaseInvoice) -> Finding:
    return Finding(
        CheckCode.SUPPLIER_UNKNOWN,
        Severity.BLOCKING,
        field="supplier",
        source="document",
        params={
            "name": invoice.supplier_name,
            "vat_number": invoice.supplier_vat_number,
            "coc_number": invoice.supplier_coc_number,
            "iban": invoice.iban,
        },
    )


def _conflicts(invoice: PurchaseInvoice, supplier: Party) -> Iterator[Finding]:
    """Yield a warning for each identifier that belongs to another supplier."""
    for invoice_field, party_field, clean in IDENTIFIERS:
        value = clean_or_none(clean, getattr(invoice, invoice_field))
        if value is None or value == getattr(supplier, party_field):
            continue
        other = (
            active_suppliers().filter(**{party_field: value}).exclude(pk=supplier.pk)
        )
        for other_supplier in other.order_by("pk")[:3]:
            yield Finding(
                CheckCode.SUPPLIER_CONFLICT,
                Severity.WARNING,
                field=invoice_field,
                source=f"supplier {other_supplier.pk}",
                expected=getattr(supplier, party_field),
                found=value,
                params={
                    "identifier": party_field,
                    "other": other_supplier.name,
                    "supplier": supplier.name,
                },
            )


def create_supplier_from_invoice(invoice: PurchaseInvoice, actor: User) -> Party:
    """Create the supplier from the name and identifiers read on the invoice.

    Identifiers that fail their checks are left out, so the new party always
    passes its own validation. The invoice gets the new supplier, and the
    caller runs the checks again. Raise SupplierExistsError when the invoice
    has a supplier already.
    """
    with transaction.atomic():
        invoice = PurchaseInvoice.objects.select_for_update().get(pk=invoice.pk)
        if invoice.supplier_id is not None:
            raise SupplierExistsError(invoice)
        supplier = Party.objects.create(**_supplier_fields(invoice))
        invoice.supplier = supplier
        invoice.save(update_fields=["supplier", "updated_at"])
        record_event(
            supplier,
            "supplier.created",
            actor=actor,
            data={"from_invoice": invoice.pk, "iban": supplier.iban},
        )
    logger.info(
        "Supplier %s created from invoice %s",
        supplier.pk,
        invoice.pk,
        extra={"supplier_id": supplier.pk, "invoice_id": invoice.pk},
    )
    return supplier


def _supplier_fields(invoice: PurchaseInvoice) -> dict:
    country = (invoice.supplier_country or "").upper()
    vat_number = clean_or_none(
        identifiers.clean_vat_number, invoice.supplier_vat_number
    )
    if not country and vat_number:
        country = _VAT_PREFIX_COUNTRIES.get(vat_number[:2], vat_number[:2])
    return {
        "name": invoice.supplier_name.strip() or gettext("Supplier without a name"),
        "is_supplier": True,
        "vat_number": vat_number or "",
        "iban": clean_or_none(identifiers.clean_iban, invoice.iban) or "",
        "bic": clean_or_none(identifiers.clean_bic, invoice.bic) or "",
        "coc_number": clean_or_none(
            identifiers.clean_coc_number, invoice.supplier_coc_number
        )
        or "",
        "country": country or "NL",
        "currency": invoice.currency,
    }
