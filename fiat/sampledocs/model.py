"""A supplier invoice or credit note as the sample generators write it.

The fields follow the EN 16931 semantic model (the business terms BT-1 and
onwards that UBL and CII both carry). Amounts are Decimal. Line net amounts
come from ``line_net_amount`` and the VAT breakdown and totals from
``compute_vat``, so every format shows the same, correctly rounded figures.
A credit note contains positive quantities and amounts, as EN 16931 requires,
and its document type states that the amounts are owed to the buyer.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cached_property

from fiat.core.money import currency_exponent, to_decimal
from fiat.core.vat import VatCategory, VatLine, VatTotals, compute_vat, line_net_amount

LANGUAGES = ("nl", "en")

# The VAT categories that the generators write and the EN 16931 rules were
# run on: standard rate, zero rated and reverse charge.
SUPPORTED_VAT_CATEGORIES = frozenset(
    {VatCategory.STANDARD_RATE, VatCategory.ZERO_RATED, VatCategory.REVERSE_CHARGE}
)

# EN 16931 rule BR-AE-10 requires an exemption reason (code from the VATEX
# list or text) in each reverse charge VAT breakdown.
VAT_EXEMPTION_REASONS = {
    VatCategory.REVERSE_CHARGE: ("VATEX-EU-AE", "Reverse charge"),
}

# Peppol electronic address scheme (EAS) for a VAT number, by country.
_VAT_ENDPOINT_SCHEMES = {"NL": "9944", "DE": "9930", "BE": "9925", "FR": "9957"}
KVK_SCHEME = "0106"


class DocumentType(StrEnum):
    """Invoice or credit note, with its UNTDID 1001 type code (BT-3)."""

    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"

    @property
    def type_code(self) -> str:
        return "381" if self is DocumentType.CREDIT_NOTE else "380"


@dataclass(frozen=True)
class Address:
    street: str
    postal_code: str
    city: str
    country: str  # ISO 3166-1 alpha-2


@dataclass(frozen=True)
class Party:
    """Seller or buyer, with the identifiers that invoices print.

    ``coc_number`` is the Dutch KvK number (empty outside the Netherlands).
    """

    name: str
    address: Address
    vat_number: str = ""
    coc_number: str = ""
    iban: str = ""
    bic: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""

    @property
    def endpoint(self) -> tuple[str, str]:
        """Return the Peppol electronic address (BT-34, BT-49) as (scheme, id).

        A Dutch party is addressed by its KvK number, any other by its VAT
        number. Raise ValueError when the party has neither.
        """
        if self.coc_number:
            return KVK_SCHEME, self.coc_number
        scheme = _VAT_ENDPOINT_SCHEMES.get(self.vat_number[:2])
        if scheme is None:
            raise ValueError(
                f"{self.name} has no KvK number and no VAT number of "
                f"{', '.join(_VAT_ENDPOINT_SCHEMES)}, so it has no Peppol address."
            )
        return scheme, self.vat_number


@dataclass(frozen=True)
class InvoiceLine:
    """An invoice line. ``unit_code`` is from UN/ECE Recommendation 20.

    ``vat_rate`` is a percentage ("21" for 21 %). Quantity and unit price
    are converted to Decimal, so "2.5" is accepted but a float is not.
    """

    description: str
    quantity: Decimal
    unit_price: Decimal
    vat_rate: Decimal = Decimal(21)
    vat_category: VatCategory = VatCategory.STANDARD_RATE
    unit_code: str = "C62"
    article_number: str = ""

    def __post_init__(self) -> None:
        vat_line = VatLine(Decimal(0), self.vat_category, self.vat_rate)
        if vat_line.category not in SUPPORTED_VAT_CATEGORIES:
            codes = ", ".join(sorted(SUPPORTED_VAT_CATEGORIES))
            raise ValueError(
                f"VAT category {vat_line.category} is not supported for sample "
                f"invoices; use one of {codes}."
            )
        object.__setattr__(self, "quantity", to_decimal(self.quantity))
        object.__setattr__(self, "unit_price", to_decimal(self.unit_price))
        object.__setattr__(self, "vat_category", vat_line.category)
        object.__setattr__(self, "vat_rate", vat_line.rate)


@dataclass(frozen=True)
class SupplierInvoice:
    """A purchase invoice or credit note as the supplier sends it.

    ``delivery_date`` is the date of supply (BT-72) and defaults to the
    issue date. ``po_reference`` is the buyer's purchase order number (BT-13),
    ``buyer_reference`` the reference the buyer asked for (BT-10),
    ``preceding_invoice_number`` the invoice that a credit note corrects
    (BT-25) and ``note`` free text printed on the document (BT-22).
    """

    number: str
    issue_date: date
    due_date: date
    supplier: Party
    customer: Party
    lines: tuple[InvoiceLine, ...]
    currency: str = "EUR"
    document_type: DocumentType = DocumentType.INVOICE
    language: str = "nl"
    buyer_reference: str = ""
    po_reference: str = ""
    payment_reference: str = ""
    preceding_invoice_number: str = ""
    note: str = ""
    delivery_date: date | None = None

    def __post_init__(self) -> None:
        currency_exponent(self.currency)
        if self.delivery_date is None:
            object.__setattr__(self, "delivery_date", self.issue_date)
        if not self.lines:
            raise ValueError(f"Invoice {self.number} has no lines; add at least one.")
        if self.language not in LANGUAGES:
            raise ValueError(
                f"Invalid language {self.language!r} for invoice {self.number}: "
                f"use one of {', '.join(LANGUAGES)}."
            )
        if self.due_date < self.issue_date:
            raise ValueError(
                f"Invoice {self.number} is due on {self.due_date}, before its "
                f"issue date {self.issue_date}."
            )

    @cached_property
    def line_net_amounts(self) -> tuple[Decimal, ...]:
        """Net amount of each line (BT-131), in the order of ``lines``."""
        return tuple(
            line_net_amount(line.quantity, line.unit_price, self.currency)
            for line in self.lines
        )

    @cached_property
    def vat_totals(self) -> VatTotals:
        """VAT breakdown (BG-23) and the document totals."""
        vat_lines = (
            VatLine(net_amount, line.vat_category, line.vat_rate)
            for line, net_amount in zip(self.lines, self.line_net_amounts, strict=True)
        )
        return compute_vat(vat_lines, self.currency)

    @property
    def total_net_amount(self) -> Decimal:
        return self.vat_totals.total_net_amount

    @property
    def total_vat_amount(self) -> Decimal:
        return self.vat_totals.total_vat_amount

    @property
    def total_gross_amount(self) -> Decimal:
        return self.vat_totals.total_gross_amount

    @property
    def amount_due(self) -> Decimal:
        """Amount due (BT-115), equal to the gross total: no prepayments."""
        return self.vat_totals.total_gross_amount

    @property
    def is_credit_note(self) -> bool:
        return self.document_type is DocumentType.CREDIT_NOTE
