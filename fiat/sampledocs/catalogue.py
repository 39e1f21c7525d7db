"""The demo set of purchase invoices, with the values a reader must find.

``demo_invoices(today)`` returns twelve files from the demo suppliers, with
dates counted back from ``today``. They cover e-invoices (Peppol UBL, bare
CII and Factur-X), PDFs with a text layer in Dutch and English, an
image-only scan and two credit notes. Three files carry a problem for the
checks to find: a reminder that repeats an invoice already sent, an invoice
that requests payment to a new IBAN, and an invoice against the demo
purchase order at a higher price than agreed. The files are listed in the
order in which they would arrive, so an original comes before its duplicate
and an invoice before its credit note.

Each ``SampleFile.expected`` is the ground truth in the shape of
``fiat extract --json``: what the document states, with amounts as decimal
strings and missing fields as None.
"""

import logging
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from fiat.sampledocs import purchases
from fiat.sampledocs.cii import cii_xml
from fiat.sampledocs.formatting import format_iban
from fiat.sampledocs.model import Party, SupplierInvoice
from fiat.sampledocs.pdf import factur_x_pdf, invoice_pdf, scanned_pdf
from fiat.sampledocs.purchases import CHANGED_IBAN
from fiat.sampledocs.suppliers import demo_supplier, known_iban
from fiat.sampledocs.ubl import ubl_xml

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SampleFile:
    """One demo file with its invoice and the values a reader must find.

    ``source`` is the ``fiat extract`` source that fits the file ("ubl",
    "cii", "facturx", "pdf_text" or "ocr"). ``duplicate_of`` names the file
    whose invoice this one repeats, and ``known_iban`` is the supplier's IBAN
    on file when the invoice requests payment to another account.
    """

    filename: str
    content: bytes
    description: str
    invoice: SupplierInvoice
    source: str
    duplicate_of: str = ""
    known_iban: str = ""

    @property
    def expected(self) -> dict[str, Any]:
        return expected_fields(self.invoice, self.source)


def demo_invoices(today: date) -> list[SampleFile]:
    """Build the twelve demo files, dated relative to ``today``."""
    office_supplies = purchases.office_supplies(today)
    printing = purchases.printing(today)
    printing_sample = _pdf_sample(6, printing, "Dutch PDF invoice with a text layer")
    return [
        _factur_x_sample(1, office_supplies),
        _ubl_sample(2, purchases.office_supplies_return(today, office_supplies)),
        _pdf_sample(
            3, purchases.office_furniture(today), "PDF invoice above the ordered price"
        ),
        _ubl_sample(4, purchases.office_cleaning(today, days_ago=35)),
        _changed_iban_sample(
            5, purchases.office_cleaning(today, days_ago=4, iban=CHANGED_IBAN)
        ),
        printing_sample,
        _reminder_sample(7, printing_sample),
        _pdf_sample(
            8, purchases.printing_credit(today, printing), "Dutch PDF credit note"
        ),
        _pdf_sample(
            9, purchases.recent_hosting(today), "English PDF invoice, reverse charge"
        ),
        _cii_sample(10, purchases.earlier_hosting(today)),
        _scan_sample(11, purchases.books(today)),
        _ubl_sample(12, purchases.magazine_subscription(today)),
    ]


def write_demo_invoices(folder: Path, today: date) -> list[Path]:
    """Write the demo files into ``folder`` (created if missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for sample in demo_invoices(today):
        path = folder / sample.filename
        path.write_bytes(sample.content)
        paths.append(path)
    logger.info("Wrote %d demo invoices to %s", len(paths), folder)
    return paths


def expected_fields(invoice: SupplierInvoice, source: str) -> dict[str, Any]:
    """Return what a reader must find in a file, as ``fiat extract`` prints it.

    A printed credit note states no due date or payment reference, because
    the supplier owes the money, so those fields are None for it.
    """
    printed_credit_note = invoice.is_credit_note and source in {"pdf_text", "ocr"}
    due_date = None if printed_credit_note else invoice.due_date.isoformat()
    payment_reference = None if printed_credit_note else invoice.payment_reference
    return {
        "source": source,
        "document_type": invoice.document_type.value,
        "supplier": _supplier_fields(invoice.supplier),
        "customer": {
            "name": invoice.customer.name,
            "vat_number": invoice.customer.vat_number or None,
        },
        "invoice_number": invoice.number,
        "issue_date": invoice.issue_date.isoformat(),
        "due_date": due_date,
        "currency": invoice.currency,
        "total_net": _text(invoice.total_net_amount),
        "total_vat": _text(invoice.total_vat_amount),
        "total_gross": _text(invoice.total_gross_amount),
        "amount_due": _text(invoice.amount_due),
        "po_reference": invoice.po_reference or None,
        "payment_reference": payment_reference or None,
        "vat_breakdown": [
            {
                "rate": _text(group.rate),
                "base": _text(group.base_amount),
                "amount": _text(group.vat_amount),
            }
            for group in invoice.vat_totals.breakdown
        ],
        "lines": _line_fields(invoice),
    }


def _supplier_fields(supplier: Party) -> dict[str, str | None]:
    return {
        "name": supplier.name,
        "vat_number": supplier.vat_number or None,
        "iban": supplier.iban,
        "bic": supplier.bic or None,
        "coc_number": supplier.coc_number or None,
        "country": supplier.address.country,
    }


def _line_fields(invoice: SupplierInvoice) -> list[dict[str, str]]:
    return [
        {
            "description": line.description,
            "quantity": _text(line.quantity),
            "unit_price": _text(line.unit_price),
            "net_amount": _text(net_amount),
            "vat_rate": _text(line.vat_rate),
        }
        for line, net_amount in zip(
            invoice.lines, invoice.line_net_amounts, strict=True
        )
    ]


def _text(value: Decimal) -> str:
    return format(value, "f")


def _slug(invoice: SupplierInvoice) -> str:
    supplier_word = invoice.supplier.name.split()[0].lower()
    return f"{supplier_word}-{invoice.number.replace('/', '-')}"


# The files. Each function wraps one invoice in its format.


def _name(position: int, invoice: SupplierInvoice, extension: str) -> str:
    return f"{position:02d}-{_slug(invoice)}.{extension}"


def _ubl_sample(position: int, invoice: SupplierInvoice) -> SampleFile:
    kind = "credit note" if invoice.is_credit_note else "invoice"
    return SampleFile(
        filename=_name(position, invoice, "xml"),
        content=ubl_xml(invoice),
        description=f"Peppol BIS 3.0 UBL {kind} from {invoice.supplier.name}",
        invoice=invoice,
        source="ubl",
    )


def _cii_sample(position: int, invoice: SupplierInvoice) -> SampleFile:
    return SampleFile(
        filename=_name(position, invoice, "xml"),
        content=cii_xml(invoice),
        description=f"EN 16931 CII invoice from {invoice.supplier.name}",
        invoice=invoice,
        source="cii",
    )


def _factur_x_sample(position: int, invoice: SupplierInvoice) -> SampleFile:
    supplier = demo_supplier(invoice.supplier.name)
    return SampleFile(
        filename=_name(position, invoice, "pdf"),
        content=factur_x_pdf(invoice, letterhead=supplier.letterhead),
        description=f"Factur-X PDF/A-3 invoice from {invoice.supplier.name}",
        invoice=invoice,
        source="facturx",
    )


def _pdf_sample(
    position: int, invoice: SupplierInvoice, description: str
) -> SampleFile:
    supplier = demo_supplier(invoice.supplier.name)
    return SampleFile(
        filename=_name(position, invoice, "pdf"),
        content=invoice_pdf(invoice, letterhead=supplier.letterhead),
        description=f"{description} from {invoice.supplier.name}",
        invoice=invoice,
        source="pdf_text",
    )


def _changed_iban_sample(position: int, invoice: SupplierInvoice) -> SampleFile:
    """Print ``invoice`` with a notice that the supplier's account changed.

    Such a notice is what a payment diversion fraud looks like, so the IBAN
    check must flag the invoice whatever its text states.
    """
    with_notice = replace(
        invoice,
        note=(
            "Let op: ons rekeningnummer is gewijzigd. Wilt u deze en volgende "
            f"facturen voortaan betalen op {format_iban(invoice.supplier.iban)}?"
        ),
    )
    sample = _pdf_sample(position, with_notice, "Dutch PDF invoice with a new IBAN")
    return replace(sample, known_iban=known_iban(invoice.supplier.name))


def _reminder_sample(position: int, original: SampleFile) -> SampleFile:
    """Re-send the original's invoice as a reminder: same number and amounts."""
    invoice = original.invoice
    supplier = demo_supplier(invoice.supplier.name)
    reminder = replace(
        invoice,
        note=(
            "Volgens onze administratie is deze factuur nog niet voldaan. Wilt u "
            "het openstaande bedrag binnen 7 dagen overmaken?"
        ),
    )
    return SampleFile(
        filename=f"{position:02d}-{_slug(invoice)}-herinnering.pdf",
        content=invoice_pdf(reminder, letterhead=supplier.letterhead,
                            stamp="HERINNERING"),
        description=f"Reminder that repeats invoice {invoice.number}",
        invoice=reminder,
        source="pdf_text",
        duplicate_of=original.filename,
    )  # fmt: skip


def _scan_sample(position: int, invoice: SupplierInvoice) -> SampleFile:
    supplier = demo_supplier(invoice.supplier.name)
    return SampleFile(
        filename=f"{position:02d}-scan-{invoice.issue_date:%Y%m%d}.pdf",
        content=scanned_pdf(invoice, letterhead=supplier.letterhead),
        description=f"Scanned paper invoice from {invoice.supplier.name}",
        invoice=invoice,
        source="ocr",
    )
