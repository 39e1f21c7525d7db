"""Small invoices for the tests, built from the demo parties."""

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from fiat.sampledocs.model import InvoiceLine, SupplierInvoice
from fiat.sampledocs.suppliers import (
    CLOUDWERK,
    KANTOORHUIS,
    demo_customer,
    demo_supplier,
)

ISSUE_DATE = date(2025, 3, 3)
DUE_DATE = date(2025, 4, 2)


def office_invoice(**changes: Any) -> SupplierInvoice:
    """Return a Dutch invoice with a 21 % and a 9 % line.

    Net 1234.50 at 21 % and 10.00 at 9 %: VAT 259.25 (259.245 rounded half
    up) and 0.90, gross 1504.65.
    """
    invoice = SupplierInvoice(
        number="F2025-0099",
        issue_date=ISSUE_DATE,
        due_date=DUE_DATE,
        supplier=demo_supplier(KANTOORHUIS).party,
        customer=demo_customer(),
        lines=(
            InvoiceLine("Bureaustoel ErgoFlex, zwart", Decimal(3), Decimal("411.50")),
            InvoiceLine(
                "Agenda 2025", Decimal(2), Decimal("5.00"), vat_rate=Decimal(9)
            ),
        ),
        buyer_reference="A. de Klerk",
        po_reference="PO-2025-0042",
        payment_reference="F2025-0099",
    )
    return replace(invoice, **changes)


def reverse_charge_invoice(**changes: Any) -> SupplierInvoice:
    """Return an English invoice from the German supplier, reverse charged."""
    invoice = SupplierInvoice(
        number="INV-2025-10001",
        issue_date=ISSUE_DATE,
        due_date=DUE_DATE,
        supplier=demo_supplier(CLOUDWERK).party,
        customer=demo_customer(),
        lines=(
            InvoiceLine(
                "Managed Kubernetes cluster",
                Decimal(1),
                Decimal("1840.00"),
                vat_rate=Decimal(0),
                vat_category="AE",
            ),
        ),
        language="en",
        buyer_reference="IT",
    )
    return replace(invoice, **changes)
