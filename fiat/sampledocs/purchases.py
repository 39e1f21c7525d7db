"""Invoices and credit notes of the demo suppliers, dated relative to today.

Each function returns one invoice or credit note of the demo set. Invoice
numbers carry the year of the issue date, as suppliers' numbering usually
does. ``demo_purchase_order`` is the order that one invoice is billed
against at a higher price than agreed.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from stdnum.iso7064 import mod_97_10

from fiat.core.vat import VatCategory, line_net_amount
from fiat.sampledocs.formatting import MONTH_NAMES
from fiat.sampledocs.model import DocumentType, InvoiceLine, SupplierInvoice
from fiat.sampledocs.suppliers import (
    BOEKHANDEL,
    CLOUDWERK,
    DRUKKERIJ,
    HELDER,
    KANTOORHUIS,
    DemoSupplier,
    demo_customer,
    demo_supplier,
)

# A valid Dutch IBAN at another bank than the one on file for Helder.
CHANGED_IBAN = "NL51KNAB0258123456"


@dataclass(frozen=True)
class PurchaseOrderLine:
    description: str
    quantity: Decimal
    unit_price: Decimal
    vat_rate: Decimal = Decimal(21)


@dataclass(frozen=True)
class SamplePurchaseOrder:
    """A purchase order that the demo company sent to a supplier."""

    number: str
    supplier_name: str
    order_date: date
    currency: str
    lines: tuple[PurchaseOrderLine, ...]

    @property
    def total_net_amount(self) -> Decimal:
        return sum(
            (
                line_net_amount(line.quantity, line.unit_price, self.currency)
                for line in self.lines
            ),
            Decimal(0),
        )


def demo_purchase_order(today: date) -> SamplePurchaseOrder:
    """Return the order that the price-difference invoice is billed against."""
    order_date = today - timedelta(days=21)
    return SamplePurchaseOrder(
        number=f"PO-{order_date.year}-0042",
        supplier_name=KANTOORHUIS,
        order_date=order_date,
        currency="EUR",
        lines=(
            PurchaseOrderLine(
                "Bureaustoel ErgoFlex, zwart", Decimal(6), Decimal("289.00")
            ),
            PurchaseOrderLine(
                "Zit-sta bureau 160 x 80 cm, wit", Decimal(2), Decimal("545.00")
            ),
        ),
    )


def _invoice(
    supplier: DemoSupplier,
    number: str,
    issue_date: date,
    lines: tuple[InvoiceLine, ...],
    **fields: Any,
) -> SupplierInvoice:
    fields.setdefault("payment_reference", number)
    return SupplierInvoice(
        number=number,
        issue_date=issue_date,
        due_date=issue_date + timedelta(days=supplier.payment_terms_days),
        supplier=supplier.party,
        customer=demo_customer(),
        lines=lines,
        language=supplier.language,
        **fields,
    )


def _line(
    description: str, quantity: str, unit_price: str, **fields: Any
) -> InvoiceLine:
    return InvoiceLine(description, Decimal(quantity), Decimal(unit_price), **fields)


def _reverse_charge_line(
    description: str, quantity: str, unit_price: str, **fields: Any
) -> InvoiceLine:
    return _line(
        description,
        quantity,
        unit_price,
        vat_rate=Decimal(0),
        vat_category=VatCategory.REVERSE_CHARGE,
        **fields,
    )


def _month(issue_date: date, language: str) -> str:
    return f"{MONTH_NAMES[language][issue_date.month - 1]} {issue_date.year}"


def office_supplies(today: date) -> SupplierInvoice:
    issued = today - timedelta(days=12)
    return _invoice(
        demo_supplier(KANTOORHUIS),
        f"F{issued.year}-0412",
        issued,
        (
            _line("Kopieerpapier A4 80 g/m², doos 5 x 500 vel", "8", "24.95",
                  article_number="KP-80-A4"),
            _line("Tonercartridge zwart, type LX-59", "2", "89.50",
                  article_number="TN-LX59"),
            _line("Bureaulamp LED, dimbaar", "3", "39.95", article_number="BL-200"),
            _line("Whiteboardmarkers, set van 4 kleuren", "5", "6.45",
                  article_number="WM-4"),
        ),
        buyer_reference="A. de Klerk",
    )  # fmt: skip


def office_supplies_return(today: date, invoice: SupplierInvoice) -> SupplierInvoice:
    """Credit one lamp of ``invoice``, returned because it was defective."""
    issued = today - timedelta(days=5)
    return _invoice(
        demo_supplier(KANTOORHUIS),
        f"C{issued.year}-0033",
        issued,
        (_line("Retour: Bureaulamp LED, dimbaar (defect)", "1", "39.95",
               article_number="BL-200"),),
        document_type=DocumentType.CREDIT_NOTE,
        preceding_invoice_number=invoice.number,
        buyer_reference="A. de Klerk",
    )  # fmt: skip


def office_furniture(today: date) -> SupplierInvoice:
    """Bill the demo purchase order, with 20.00 more a chair than ordered."""
    order = demo_purchase_order(today)
    issued = today - timedelta(days=3)
    chairs, desks = order.lines
    return _invoice(
        demo_supplier(KANTOORHUIS),
        f"F{issued.year}-0437",
        issued,
        (
            _line(chairs.description, "6", "309.00", article_number="ST-EF-01"),
            _line(desks.description, "2", "545.00", article_number="ZS-1680"),
        ),
        po_reference=order.number,
        delivery_date=today - timedelta(days=6),
    )


def office_cleaning(today: date, *, days_ago: int, iban: str = "") -> SupplierInvoice:
    """Bill a month of cleaning. A non-empty ``iban`` replaces the known one."""
    issued = today - timedelta(days=days_ago)
    return _invoice(
        demo_supplier(HELDER, iban=iban),
        f"HS-{issued.year}-{100 + issued.month}",
        issued,
        (
            _line(f"Schoonmaakonderhoud kantoor, {_month(issued, 'nl')}", "1",
                  "1185.00", unit_code="MON"),
            _line("Glasbewassing buitenzijde", "1", "145.00"),
            _line("Sanitaire voorzieningen en hygiëneproducten", "1", "62.50"),
        ),
        buyer_reference="Facilitair",
    )  # fmt: skip


def printing(today: date) -> SupplierInvoice:
    issued = today - timedelta(days=30)
    return _invoice(
        demo_supplier(DRUKKERIJ),
        f"{issued.year}-0318",
        issued,
        (
            _line("Visitekaartjes 85 x 55 mm, 4 namen x 250 stuks", "4", "42.50"),
            _line("Flyers A5, 135 g/m² silk, oplage 2.500", "1", "489.00"),
            _line("Presentatiemappen A4 met insteekvak, 500 stuks", "1", "1150.00"),
            _line("Ontwerp en opmaak", "3.5", "65.00", unit_code="HUR"),
        ),
        delivery_date=issued - timedelta(days=2),
    )


def printing_credit(today: date, invoice: SupplierInvoice) -> SupplierInvoice:
    """Credit the misprinted flyers of ``invoice``."""
    issued = today - timedelta(days=8)
    return _invoice(
        demo_supplier(DRUKKERIJ),
        f"CN{issued.year}-0021",
        issued,
        (_line("Creditering flyers A5 wegens drukfout, oplage 2.500", "1", "489.00"),),
        document_type=DocumentType.CREDIT_NOTE,
        preceding_invoice_number=invoice.number,
        payment_reference="",
    )


def _creditor_reference(reference: str) -> str:
    """Return an ISO 11649 creditor reference ("RF" + check digits + text)."""
    return f"RF{mod_97_10.calc_check_digits(reference + 'RF')}{reference}"


def hosting(
    today: date, *, days_ago: int, sequence: int, extra_lines: tuple[InvoiceLine, ...]
) -> SupplierInvoice:
    """Bill a month of hosting from Germany, with VAT reverse charged."""
    issued = today - timedelta(days=days_ago)
    number = f"INV-{issued.year}-{sequence}"
    cluster = f"Managed Kubernetes cluster, 3 nodes, {_month(issued, 'en')}"
    return _invoice(
        demo_supplier(CLOUDWERK),
        number,
        issued,
        (
            _reverse_charge_line(cluster, "1", "840.00", unit_code="MON"),
            _reverse_charge_line("Object storage, per TB", "2", "46.00"),
            *extra_lines,
        ),
        payment_reference=_creditor_reference(f"CW{issued.year}{sequence}"),
        buyer_reference="IT",
    )


def recent_hosting(today: date) -> SupplierInvoice:
    return hosting(
        today,
        days_ago=18,
        sequence=10457,
        extra_lines=(
            _reverse_charge_line("Support engineering", "4", "95.00", unit_code="HUR"),
            _reverse_charge_line("Backup retention 90 days", "1", "120.00"),
        ),
    )


def earlier_hosting(today: date) -> SupplierInvoice:
    return hosting(
        today,
        days_ago=48,
        sequence=10391,
        extra_lines=(
            _reverse_charge_line("Wildcard TLS certificate, 1 year", "1", "189.00"),
        ),
    )


def books(today: date) -> SupplierInvoice:
    """Bill books at the reduced rate of 9 % and notebooks at 21 %."""
    issued = today - timedelta(days=9)
    return _invoice(
        demo_supplier(BOEKHANDEL),
        f"BL{issued.year}-0781",
        issued,
        (
            _line(f"Handboek Belastingrecht {issued.year}", "2", "79.50",
                  vat_rate=Decimal(9)),
            _line("Jaarboek Personeelsmanagement", "1", "64.95", vat_rate=Decimal(9)),
            _line("Notitieboeken A5 gelinieerd, 10 stuks", "1", "34.90"),
        ),
    )  # fmt: skip


def magazine_subscription(today: date) -> SupplierInvoice:
    issued = today - timedelta(days=60)
    return _invoice(
        demo_supplier(BOEKHANDEL),
        f"BL{issued.year}-0702",
        issued,
        (
            _line(f"Abonnement Vakblad Fiscaal Actueel, jaargang {issued.year}",
                  "1", "249.00", vat_rate=Decimal(9)),
            _line("Verzendkosten", "1", "6.95"),
        ),
    )  # fmt: skip
