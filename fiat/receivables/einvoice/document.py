"""A released or draft sales invoice as the EN 16931 model names its parts.

``build_document`` reads an invoice, its lines and the company once and
returns plain values, so that the CII and UBL writers and the printed page
show the same figures. Business terms (BT-n) name the fields where the
name alone could mislead.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import translation
from django.utils.translation import pgettext_lazy

from fiat.core.dates import business_date
from fiat.core.models import Company
from fiat.core.models import Party as PartyModel
from fiat.receivables.calculation import InvoiceAmounts
from fiat.receivables.drafting import (
    EXPORT_TEXT,
    REVERSE_CHARGE_TEXT,
    expected_due_date,
    invoice_amounts,
)
from fiat.receivables.models import CustomerSettings, SalesInvoice
from fiat.receivables.vat_rules import EXEMPTION_REASON_CODES

# Peppol electronic address schemes (EAS) for a VAT number, by country; a
# Dutch party with a KvK number is addressed by that number (scheme 0106).
VAT_ENDPOINT_SCHEMES = {
    "NL": "9944", "DE": "9930", "BE": "9925", "FR": "9957", "AT": "9915",
    "IT": "9906", "ES": "9920", "LU": "9938",
}  # fmt: skip
KVK_SCHEME = "0106"
EMAIL_SCHEME = "EM"
# The number a draft shows until release numbers it ("CONCEPT" in Dutch).
DRAFT_NUMBER = pgettext_lazy("number of a draft invoice", "DRAFT")


@dataclass(frozen=True)
class TradeParty:
    """Seller or buyer with the identifiers that e-invoices carry."""

    name: str
    street: str
    postal_code: str
    city: str
    country: str
    vat_number: str
    coc_number: str
    email: str
    iban: str = ""
    bic: str = ""
    endpoint_scheme: str = ""
    endpoint_id: str = ""

    @property
    def endpoint(self) -> tuple[str, str]:
        """Return the electronic address (BT-34, BT-49) as (scheme, id).

        A stored Peppol identifier comes first, then the KvK number of a
        Dutch party, then the VAT number where its country has a scheme.
        """
        if self.endpoint_scheme and self.endpoint_id:
            return self.endpoint_scheme, self.endpoint_id
        if self.country == "NL" and self.coc_number:
            return KVK_SCHEME, self.coc_number
        scheme = VAT_ENDPOINT_SCHEMES.get(self.country)
        if scheme and self.vat_number:
            return scheme, self.vat_number
        # NOTE: Peppol BIS 3 does not accept the e-mail scheme (rule
        # PEPPOL-EN16931-CL008), so a customer without any identifier above
        # gets a UBL file that only EN 16931 and NLCIUS accept.
        return EMAIL_SCHEME, self.email


@dataclass(frozen=True)
class DocumentLine:
    line_id: str
    description: str
    quantity: Decimal
    unit_code: str
    net_unit_price: Decimal
    allowance_amount: Decimal
    discount_percent: Decimal
    net_amount: Decimal
    category: str
    rate: Decimal


@dataclass(frozen=True)
class DocumentCharge:
    is_charge: bool
    reason: str
    amount: Decimal
    category: str
    rate: Decimal


@dataclass(frozen=True)
class VatGroup:
    category: str
    rate: Decimal
    base_amount: Decimal
    vat_amount: Decimal
    exemption_reason_code: str
    exemption_reason: str


@dataclass(frozen=True)
class InvoiceDocument:
    number: str
    type_code: str
    is_credit_note: bool
    is_draft: bool
    issue_date: date
    due_date: date | None
    currency: str
    language: str
    note: str
    buyer_reference: str
    order_reference: str
    preceding_invoice_number: str
    preceding_invoice_date: date | None
    payment_reference: str
    seller: TradeParty
    buyer: TradeParty
    lines: tuple[DocumentLine, ...]
    charges: tuple[DocumentCharge, ...]
    vat_groups: tuple[VatGroup, ...]
    amounts: InvoiceAmounts


def invoice_document(invoice: SalesInvoice) -> InvoiceDocument:
    """Return the e-invoice view of ``invoice`` in the invoice language."""
    with translation.override(invoice.language):
        exemption_texts = {"AE": str(REVERSE_CHARGE_TEXT), "G": str(EXPORT_TEXT)}
        draft_number = str(DRAFT_NUMBER)
    return build_document(
        invoice,
        exemption_texts=exemption_texts,
        today=business_date(),
        draft_number=draft_number,
    )


def build_document(
    invoice: SalesInvoice,
    *,
    exemption_texts: dict[str, str],
    today: date,
    draft_number: str = "CONCEPT",
) -> InvoiceDocument:
    """Return the e-invoice view of ``invoice``.

    A draft has no number yet and shows ``draft_number``. Without its own
    dates it is dated ``today`` and due as release on ``today`` would make
    it, so a preview shows what the customer would receive.
    ``exemption_texts`` maps a VAT category to the statement that the
    invoice prints for it, in the invoice language.
    """
    amounts = invoice_amounts(invoice)
    company = Company.current()
    corrected = invoice.corrected_invoice
    lines = invoice.lines.select_related("vat_code")
    issue_date = invoice.issue_date or today
    due_date = invoice.due_date
    if due_date is None and not invoice.number:
        due_date = expected_due_date(invoice, issue_date)
    return InvoiceDocument(
        number=invoice.number or draft_number,
        type_code=invoice.type.type_code,
        is_credit_note=invoice.document_type == "credit_note",
        is_draft=not invoice.number,
        issue_date=issue_date,
        due_date=due_date,
        currency=invoice.currency,
        language=invoice.language,
        note=invoice.note,
        buyer_reference=invoice.buyer_reference,
        order_reference=invoice.order_reference,
        preceding_invoice_number=corrected.number if corrected else "",
        preceding_invoice_date=corrected.issue_date if corrected else None,
        payment_reference=invoice.payment_reference,
        seller=_company_party(company),
        buyer=_customer_party(invoice.customer),
        lines=tuple(
            DocumentLine(
                line_id=str(position),
                description=line.description,
                quantity=line.quantity.normalize(),
                unit_code=line.unit_code,
                net_unit_price=line_amounts.net_unit_price,
                allowance_amount=line_amounts.allowance_amount,
                discount_percent=line.discount_percent,
                net_amount=line_amounts.net_amount,
                category=str(line_amounts.category),
                rate=line_amounts.rate or Decimal(0),
            )
            for position, (line, line_amounts) in enumerate(
                zip(lines, amounts.lines, strict=True), start=1
            )
        ),
        charges=tuple(
            DocumentCharge(
                is_charge=charge.is_charge,
                reason=charge.reason,
                amount=charge.net_amount,
                category=str(charge.category),
                rate=charge.rate or Decimal(0),
            )
            for charge in amounts.charges
        ),
        vat_groups=tuple(
            VatGroup(
                category=str(group.category),
                rate=group.rate or Decimal(0),
                base_amount=group.base_amount,
                vat_amount=group.vat_amount,
                exemption_reason_code=EXEMPTION_REASON_CODES.get(group.category, ""),
                exemption_reason=exemption_texts.get(str(group.category), ""),
            )
            for group in amounts.vat.breakdown
        ),
        amounts=amounts,
    )


def _company_party(company: Company) -> TradeParty:
    return TradeParty(
        name=company.legal_name or company.name,
        street=company.street,
        postal_code=company.postal_code,
        city=company.city,
        country=company.country,
        vat_number=company.vat_number,
        coc_number=company.coc_number,
        email=company.email,
        iban=company.iban,
        bic=company.bic,
    )


def _customer_party(party: PartyModel) -> TradeParty:
    settings = CustomerSettings.objects.filter(party=party).first()
    return TradeParty(
        name=party.name,
        street=party.street,
        postal_code=party.postal_code,
        city=party.city,
        country=party.country,
        vat_number=party.vat_number,
        coc_number=party.coc_number,
        email=party.invoice_email or party.email,
        endpoint_scheme=settings.endpoint_scheme if settings else "",
        endpoint_id=settings.endpoint_id if settings else "",
    )
