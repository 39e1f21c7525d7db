"""Booking a released sales invoice in the ledger.

An invoice books as one journal entry dated on its invoice date:

- a debit of the amount to pay on debtors (1300), with the customer as
  party;
- a credit of each line's net amount on its revenue account, which is the
  product's own or else the default of the line's VAT code. The defaults
  are 8000 for the standard rate, 8100 for a reduced rate, 8200 zero rated
  or exempt, 8300 within the EU and 8400 outside the EU. A document level
  charge such as freight is revenue too, and an allowance lowers revenue;
- a credit of the output VAT of each VAT category and rate on the VAT
  account of its code;
- the rounding amount of an invoice with gross prices on rounding
  differences (4930).

A credit note books the same lines on the other side, and a corrective
invoice's negative amounts turn the sides by themselves. An invoice in
another currency books in company currency at the rate of its invoice date;
each line is converted and rounded on its own, and the cents by which the
converted lines differ go to 4930.

Booking runs inside the release transaction, so a failed booking undoes
the release. The ledger connector books a source document once: booking
the same invoice again returns the existing entry.
"""

import logging
from dataclasses import replace
from decimal import Decimal

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from fiat.ledger.connectors import LedgerReceipt, get_connector
from fiat.ledger.models import Account, VatCategory, VatCode
from fiat.ledger.posting import EntryDraft, Posting, company_currency_lines
from fiat.receivables.calculation import InvoiceAmounts
from fiat.receivables.drafting import invoice_amounts
from fiat.receivables.models import DocumentType, SalesInvoice

logger = logging.getLogger(__name__)

SOURCE_KIND = "receivables.salesinvoice"
DEBTORS_ACCOUNT = "1300"
ROUNDING_ACCOUNT = "4930"
STANDARD_RATE = Decimal(21)
ZERO = Decimal(0)
# Default revenue accounts by VAT category; the standard category splits
# into the standard rate (8000) and reduced rates (8100).
REVENUE_ACCOUNTS = {
    VatCategory.STANDARD: "8100",
    VatCategory.ZERO: "8200",
    VatCategory.EXEMPT: "8200",
    VatCategory.REVERSE_CHARGE: "8300",
    VatCategory.INTRA_COMMUNITY: "8300",
    VatCategory.EXPORT: "8400",
    VatCategory.OUT_OF_SCOPE: "8200",
}
STANDARD_RATE_REVENUE_ACCOUNT = "8000"


class BookingError(Exception):
    """A released invoice that cannot be booked until the setup is fixed."""

    def __init__(self, invoice: SalesInvoice, reason: str) -> None:
        super().__init__(
            f"Sales invoice {invoice.number or invoice.pk} cannot be booked: {reason}"
        )
        self.invoice = invoice
        self.reason = reason


def book_sales_invoice(invoice: SalesInvoice, *, actor) -> LedgerReceipt:
    """Book the released ``invoice`` through the ledger connector.

    Call inside the release transaction. Return the existing booking when
    the invoice was booked before. Raise BookingError for a missing account
    and MissingExchangeRateError for a foreign currency without a rate.
    """
    receipt = get_connector().book(build_sales_entry(invoice), actor=actor)
    logger.info(
        "Booked sales invoice %s as journal entry %s",
        invoice.number,
        receipt.external_id,
        extra={"sales_invoice_id": invoice.pk, "journal_entry": receipt.external_id},
    )
    return receipt


def build_sales_entry(invoice: SalesInvoice) -> EntryDraft:
    """Return the draft journal entry of ``invoice``, in company currency."""
    # Stored descriptions are in the installation's language, not the
    # customer's or the user's.
    with translation.override(settings.LANGUAGE_CODE):
        amounts = invoice_amounts(invoice)
        postings = [
            _debtor_posting(invoice),
            *_revenue_postings(invoice, amounts),
            *_vat_postings(invoice, amounts),
            *_rounding_postings(invoice),
        ]
        if invoice.document_type == DocumentType.CREDIT_NOTE:
            postings = [_negated(posting) for posting in postings]
        lines = company_currency_lines(
            postings,
            currency=invoice.currency,
            rate_date=invoice.issue_date,
            rounding_account=lambda: _account(invoice, ROUNDING_ACCOUNT),
        )
        description = _entry_description(invoice)
    return EntryDraft(
        entry_date=invoice.issue_date,
        description=description,
        source_kind=SOURCE_KIND,
        source_id=str(invoice.pk),
        lines=tuple(lines),
    )


def _negated(posting: Posting) -> Posting:
    return replace(posting, amount=-posting.amount)


def _debtor_posting(invoice: SalesInvoice) -> Posting:
    return Posting(
        account=_account(invoice, DEBTORS_ACCOUNT),
        amount=invoice.payable_amount,
        description=str(invoice),
        party=invoice.customer,
    )


def _revenue_postings(invoice: SalesInvoice, amounts: InvoiceAmounts) -> list[Posting]:
    lines = invoice.lines.select_related("product__revenue_account", "vat_code")
    postings = [
        Posting(
            account=(line.product.revenue_account if line.product else None)
            or _revenue_account(invoice, line.vat_code),
            amount=-line_amounts.net_amount,
            description=line.description,
            vat_code=line.vat_code,
            project=invoice.project,
        )
        for line, line_amounts in zip(lines, amounts.lines, strict=True)
    ]
    charges = invoice.charges.select_related("vat_code")
    for charge, charge_amounts in zip(charges, amounts.charges, strict=True):
        net_amount = charge_amounts.net_amount
        postings.append(
            Posting(
                account=_revenue_account(invoice, charge.vat_code),
                amount=-net_amount if charge.is_charge else net_amount,
                description=charge.reason,
                vat_code=charge.vat_code,
                project=invoice.project,
            )
        )
    return postings


def _revenue_account(invoice: SalesInvoice, vat_code: VatCode) -> Account:
    is_standard_rate = (
        vat_code.category == VatCategory.STANDARD and vat_code.rate == STANDARD_RATE
    )
    code = (
        STANDARD_RATE_REVENUE_ACCOUNT
        if is_standard_rate
        else REVENUE_ACCOUNTS.get(vat_code.category, "8200")
    )
    return _account(invoice, code)


def _vat_postings(invoice: SalesInvoice, amounts: InvoiceAmounts) -> list[Posting]:
    """Return one output VAT credit per VAT category and rate.

    The amounts are the invoice's VAT breakdown, rounded per group as the
    invoice prints them, so the entry's VAT equals the invoice's VAT.
    """
    codes = {
        (code.category, code.rate): code
        for code in [
            *(line.vat_code for line in invoice.lines.select_related("vat_code")),
            *(charge.vat_code for charge in invoice.charges.select_related("vat_code")),
        ]
    }
    postings = []
    for group in amounts.vat.breakdown:
        if not group.vat_amount:
            continue
        code = codes.get((group.category, group.rate))
        if code is None or code.vat_account is None:
            raise BookingError(
                invoice,
                f"no sales VAT code with a VAT account for {group.category} at "
                f"{group.rate}%. Set the VAT account of the code in the admin.",
            )
        postings.append(
            Posting(
                account=code.vat_account,
                amount=-group.vat_amount,
                description=code.display_name,
                vat_code=code,
            )
        )
    return postings


def _rounding_postings(invoice: SalesInvoice) -> list[Posting]:
    if not invoice.rounding_amount:
        return []
    return [
        Posting(
            account=_account(invoice, ROUNDING_ACCOUNT),
            amount=-invoice.rounding_amount,
            description=gettext("Rounding of the amount to pay"),
        )
    ]


def _entry_description(invoice: SalesInvoice) -> str:
    if invoice.document_type == DocumentType.CREDIT_NOTE:
        template = gettext("Sales credit note %(number)s to %(customer)s")
    else:
        template = gettext("Sales invoice %(number)s to %(customer)s")
    return template % {"number": invoice.number, "customer": invoice.customer.name}


def _account(invoice: SalesInvoice, code: str) -> Account:
    account = Account.objects.filter(code=code).first()
    if account is None:
        raise BookingError(
            invoice,
            f"ledger account {code} does not exist. Add it in the admin, or run "
            "the migrations that install the Dutch chart of accounts.",
        )
    return account
