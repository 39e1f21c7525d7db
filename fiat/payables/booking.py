"""Booking an approved purchase invoice in the ledger.

An invoice books as one journal entry dated on its invoice date:

- a debit of the net amount on the invoice's ledger account, with its cost
  centre and project: one line per invoice line when the lines add up to
  the net total, else one line for the net total;
- a debit of the input VAT per VAT subtotal on the account of its VAT code;
- a credit of the gross amount on creditors (1600), with the supplier as
  party.

A credit note books the same lines on the other side. A reverse-charge VAT
code (category AE with a reverse-charge rate, such as an EU service) adds
the VAT that the buyer owes at that rate on the net amount. That VAT is
booked twice: as input VAT on the code's VAT account (1540) and as output
VAT on its reverse-charge account (1520).

An invoice in another currency books in company currency at the rate of its
invoice date (``fiat.core.exchange.rate_on``). Each line is converted and
rounded on its own and keeps its original amount. The cents by which the
converted lines then differ go to rounding differences (4930).
"""

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from fiat.audit.services import record_event
from fiat.core.exchange import MissingExchangeRateError
from fiat.core.models import User
from fiat.core.money import round_money
from fiat.ledger.connectors import get_connector
from fiat.ledger.models import (
    Account,
    JournalEntry,
    VatCategory,
    VatCode,
    VatDirection,
)
from fiat.ledger.posting import (
    ApprovalRecord,
    EntryDraft,
    Posting,
    PostingError,
    approval_records,
    company_currency_lines,
)
from fiat.payables.models import (
    INVOICE_TRANSITIONS,
    InvoiceStatus,
    PurchaseInvoice,
)
from fiat.payables.notify import send_booking_failed_mail
from fiat.payables.workflow import InvalidTransitionError, change_locked_status

logger = logging.getLogger(__name__)

SOURCE_KIND = "payables.purchaseinvoice"
CREDITORS_ACCOUNT = "1600"
ROUNDING_ACCOUNT = "4930"
ZERO = Decimal("0")
HUNDRED = Decimal("100")
# A supplier's intra-community supply (K) is an intra-community acquisition
# for the buyer, who accounts for its VAT the way it does under reverse
# charge.
BUYER_CATEGORIES = {VatCategory.INTRA_COMMUNITY: VatCategory.REVERSE_CHARGE}
# Foreign keys that build_purchase_entry reads, loaded with the locked
# invoice row. An empty key costs no query, and each join adds to
# PostgreSQL's planning time, so the mostly empty project is left out.
BOOKING_RELATIONS = (
    "supplier",
    "ledger_account",
    "cost_centre",
    "vat_code__vat_account",
)
# Fields an invoice needs before it can be booked.
BOOKING_FIELDS = (
    "supplier",
    "issue_date",
    "ledger_account",
    "total_net_amount",
    "total_vat_amount",
    "total_gross_amount",
)


class BookingError(Exception):
    """An approved invoice that cannot be booked until it is corrected."""

    def __init__(self, invoice: PurchaseInvoice, reason: str) -> None:
        super().__init__(f"Invoice {invoice.pk} cannot be booked: {reason}")
        self.invoice = invoice
        self.reason = reason


# The errors that leave an approved invoice unbooked until someone corrects
# it or the ledger. Each is raised before the booking writes anything, so the
# approval can commit without the booking.
BOOKING_FAILURES = (BookingError, PostingError, MissingExchangeRateError)


@dataclass(frozen=True)
class _VatGroup:
    vat_code: VatCode | None
    rate: Decimal | None
    base_amount: Decimal
    vat_amount: Decimal


def book_purchase_invoice(
    invoice: PurchaseInvoice,
    *,
    actor: User | None,
    approvals: Iterable[ApprovalRecord | Mapping] = (),
) -> JournalEntry | None:
    """Book an approved invoice through the ledger connector, exactly once.

    The invoice row is locked, the entry is booked with ``approvals`` as its
    approval trail, and the invoice becomes BOOKED, all in one transaction.
    For an invoice booked already, return its entry without booking again.
    Return None when an external connector keeps the books, since Fiat then
    holds no entry. Raise InvalidTransitionError unless the invoice is
    APPROVED or BOOKED, and BookingError when it lacks what booking needs.
    """
    with transaction.atomic():
        locked = lock_for_booking(invoice.pk)
        return book_locked_invoice(locked, actor=actor, approvals=approvals)


def book_approved_invoice(
    invoice: PurchaseInvoice, *, actor: User | None
) -> JournalEntry | None:
    """Book an approved invoice that could not be booked when it was approved.

    The entry carries the trail of the invoice's last approval request.
    Raise InvalidTransitionError unless the invoice is APPROVED. When it
    still cannot be booked, save and record the new reason without another
    mail, and raise the error, one of BOOKING_FAILURES.
    """
    from fiat.approvals.queries import approval_trail, latest_request

    try:
        with transaction.atomic():
            locked = lock_for_booking(invoice.pk)
            if locked.status != InvoiceStatus.APPROVED:
                raise InvalidTransitionError(locked, InvoiceStatus.BOOKED)
            request = latest_request(locked)
            trail = approval_trail(request) if request is not None else []
            return book_locked_invoice(locked, actor=actor, approvals=trail)
    except BOOKING_FAILURES as error:
        with transaction.atomic():
            locked = lock_for_booking(invoice.pk)
            # Another user may have booked it in the meantime.
            if locked.status == InvoiceStatus.APPROVED:
                record_booking_failure(locked, error, actor=actor, mail=False)
        raise


def record_booking_failure(
    locked: PurchaseInvoice,
    error: Exception,
    *,
    actor: User | None,
    mail: bool = True,
) -> None:
    """Keep an approved invoice that could not be booked, with the reason.

    ``locked`` is APPROVED and locked in the current transaction. The reason
    is saved on the invoice and recorded as ``invoice.booking_failed``. With
    ``mail``, the submitter and the controllers are mailed once the
    transaction commits. The invoice waits for "Book" on its page.
    """
    reason = booking_failure_reason(error)
    locked.booking_error = reason
    # The status is written too: the approval leaves it to the booking.
    locked.save(update_fields=["status", "booking_error", "updated_at"])
    record_event(
        locked,
        "invoice.booking_failed",
        actor=actor,
        amounts={
            "total_gross_amount": locked.total_gross_amount,
            "currency": locked.currency,
        },
        data={"reason": reason},
    )
    logger.warning(
        "Approved invoice %s was not booked: %s",
        locked.pk,
        reason,
        extra={"invoice_id": locked.pk},
    )
    if mail:
        invoice_id = locked.pk
        transaction.on_commit(lambda: send_booking_failed_mail(invoice_id))


def booking_failure_reason(error: Exception) -> str:
    """Return what a person who can fix the invoice or the ledger reads."""
    if isinstance(error, BookingError):
        return error.reason
    return str(error)


def lock_for_booking(invoice_id: int) -> PurchaseInvoice:
    """Lock an invoice row and load it with the related rows booking reads.

    Only the invoice row is locked. Must run inside ``transaction.atomic()``.
    """
    return (
        PurchaseInvoice.objects.select_for_update(of=("self",))
        .select_related(*BOOKING_RELATIONS)
        .get(pk=invoice_id)
    )


def book_locked_invoice(
    locked: PurchaseInvoice,
    *,
    actor: User | None,
    approvals: Iterable[ApprovalRecord | Mapping] = (),
) -> JournalEntry | None:
    """Book an invoice that lock_for_booking locked in the current transaction.

    Otherwise the same as book_purchase_invoice, but without a savepoint of
    its own: an error leaves the caller's transaction to roll back.
    ``locked`` becomes BOOKED in place.
    """
    connector = get_connector()
    if locked.status == InvoiceStatus.BOOKED:
        receipt = connector.find_booking(SOURCE_KIND, str(locked.pk))
        return None if receipt is None else receipt.entry
    if InvoiceStatus.BOOKED not in INVOICE_TRANSITIONS[locked.status]:
        raise InvalidTransitionError(locked, InvoiceStatus.BOOKED)
    draft = replace(build_purchase_entry(locked), approvals=approval_records(approvals))
    receipt = connector.book(draft, actor=actor)
    change_locked_status(
        locked,
        InvoiceStatus.BOOKED,
        actor=actor,
        data={"journal_entry": receipt.external_id},
    )
    if locked.booking_error:
        locked.booking_error = ""
        locked.save(update_fields=["booking_error"])
    logger.info(
        "Booked invoice %s as journal entry %s",
        locked.pk,
        receipt.external_id,
        extra={"invoice_id": locked.pk, "journal_entry": receipt.external_id},
    )
    return receipt.entry


def build_purchase_entry(invoice: PurchaseInvoice) -> EntryDraft:
    """Return the draft journal entry of ``invoice``, in company currency.

    Raise BookingError for missing fields, totals that do not add up, or a
    VAT amount without a VAT code and account to book it on, and
    MissingExchangeRateError for a foreign currency without a rate.
    """
    missing = [name for name in BOOKING_FIELDS if getattr(invoice, name) is None]
    if missing:
        raise BookingError(invoice, f"missing {', '.join(missing)}.")
    # Stored descriptions are in the installation's language (LANGUAGE_CODE),
    # not in the language of the user who books.
    with translation.override(settings.LANGUAGE_CODE):
        groups = _vat_groups(invoice)
        postings = [
            *_expense_postings(invoice, groups),
            *_vat_postings(invoice, groups),
            _creditor_posting(invoice),
        ]
        _check_balance(invoice, postings)
        if invoice.is_credit_note:
            postings = [
                replace(posting, amount=-posting.amount) for posting in postings
            ]
        lines = company_currency_lines(
            postings,
            currency=invoice.currency or settings.FIAT_CURRENCY,
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


def _expense_postings(
    invoice: PurchaseInvoice, groups: list[_VatGroup]
) -> list[Posting]:
    lines = [line for line in invoice.lines.all() if line.net_amount is not None]
    line_total = sum((line.net_amount for line in lines), ZERO)
    if not lines or line_total != invoice.total_net_amount:
        if lines:
            logger.warning(
                "Invoice %s lines add up to %s, not the net total %s; booking "
                "the net total as one line",
                invoice.pk, line_total, invoice.total_net_amount,
                extra={"invoice_id": invoice.pk},
            )  # fmt: skip
        # With one VAT group the net total has that group's VAT code.
        vat_code = groups[0].vat_code if len(groups) == 1 else invoice.vat_code
        return [
            _expense_posting(invoice, invoice.total_net_amount, vat_code, str(invoice))
        ]
    return [
        _expense_posting(
            invoice,
            line.net_amount,
            _vat_code_for_rate(invoice, line.vat_rate),
            line.description or str(invoice),
        )
        for line in lines
    ]


def _expense_posting(
    invoice: PurchaseInvoice,
    amount: Decimal,
    vat_code: VatCode | None,
    description: str,
) -> Posting:
    return Posting(
        account=invoice.ledger_account,
        amount=amount,
        description=description,
        vat_code=vat_code,
        cost_centre=invoice.cost_centre,
        project=invoice.project,
    )


def _vat_postings(invoice: PurchaseInvoice, groups: list[_VatGroup]) -> list[Posting]:
    postings = []
    for group in groups:
        postings += _group_postings(invoice, group)
    return postings


def _vat_groups(invoice: PurchaseInvoice) -> list[_VatGroup]:
    """Return the VAT subtotals, or the totals when the subtotals do not fit.

    Subtotals whose bases or VAT amounts do not add up to the invoice's
    totals would unbalance the entry, so the totals are booked instead, as
    one group with the invoice's VAT code.
    """
    subtotals = [
        subtotal
        for subtotal in invoice.vat_subtotals.all()
        if subtotal.base_amount is not None and subtotal.vat_amount is not None
    ]
    bases = sum((subtotal.base_amount for subtotal in subtotals), ZERO)
    vat_amounts = sum((subtotal.vat_amount for subtotal in subtotals), ZERO)
    fits = bases == invoice.total_net_amount and vat_amounts == invoice.total_vat_amount
    if subtotals and fits:
        return [
            _VatGroup(
                _vat_code_for_rate(invoice, subtotal.rate, subtotal.category),
                subtotal.rate,
                subtotal.base_amount,
                subtotal.vat_amount,
            )
            for subtotal in subtotals
        ]
    code = invoice.vat_code
    return [
        _VatGroup(
            code,
            None if code is None else code.rate,
            invoice.total_net_amount,
            invoice.total_vat_amount,
        )
    ]


def _vat_code_for_rate(
    invoice: PurchaseInvoice, rate: Decimal | None, category: str = ""
) -> VatCode | None:
    """Return the purchase VAT code for ``rate``, preferring the invoice's own.

    The clerk's VAT code on the invoice decides whenever its rate matches,
    so an EU supplier's 0% subtotal books as the reverse charge the clerk
    chose. Another rate takes the active purchase code with that rate, of
    the buyer's side of the subtotal's ``category`` when one exists.
    """
    coded = invoice.vat_code
    if rate is None or (coded is not None and coded.rate == rate):
        return coded
    codes = (
        VatCode.objects.filter(
            direction=VatDirection.PURCHASES, rate=rate, is_active=True
        )
        .select_related("vat_account", "reverse_charge_account")
        .order_by("code")
    )
    if rate:
        codes = codes.filter(category=VatCategory.STANDARD)
    category = BUYER_CATEGORIES.get(category, category)
    return codes.filter(category=category).first() or codes.first()


def _group_postings(invoice: PurchaseInvoice, group: _VatGroup) -> list[Posting]:
    code = group.vat_code
    is_reverse_charge = (
        code is not None
        and code.category == VatCategory.REVERSE_CHARGE
        and code.reverse_charge_rate is not None
    )
    if is_reverse_charge:
        if group.vat_amount:
            raise BookingError(
                invoice,
                f"VAT code {code.code} is reverse charge, but the invoice shows "
                f"VAT of {group.vat_amount}. Correct the VAT code or the amounts.",
            )
        return _reverse_charge_postings(invoice, code, group.base_amount)
    if not group.vat_amount:
        return []
    if code is None or code.vat_account is None:
        rate = "?" if group.rate is None else format(group.rate, "f")
        raise BookingError(
            invoice,
            f"no purchase VAT code with an account for {group.vat_amount} VAT "
            f"at {rate}%. Add one in the admin or correct the invoice's VAT code.",
        )
    return [
        Posting(
            account=code.vat_account,
            amount=group.vat_amount,
            description=code.display_name,
            vat_code=code,
        )
    ]


def _reverse_charge_postings(
    invoice: PurchaseInvoice, code: VatCode, base_amount: Decimal
) -> list[Posting]:
    if code.vat_account is None or code.reverse_charge_account is None:
        raise BookingError(
            invoice,
            f"reverse-charge VAT code {code.code} needs both a VAT account and "
            "a reverse-charge account. Set them in the admin.",
        )
    currency = invoice.currency or settings.FIAT_CURRENCY
    vat_amount = round_money(base_amount * code.reverse_charge_rate / HUNDRED, currency)
    if not vat_amount:
        return []
    return [
        Posting(code.vat_account, vat_amount, code.display_name, vat_code=code),
        Posting(
            code.reverse_charge_account, -vat_amount, code.display_name, vat_code=code
        ),
    ]


def _creditor_posting(invoice: PurchaseInvoice) -> Posting:
    return Posting(
        account=_account(invoice, CREDITORS_ACCOUNT),
        amount=-invoice.total_gross_amount,
        description=str(invoice),
        party=invoice.supplier,
    )


def _check_balance(invoice: PurchaseInvoice, postings: list[Posting]) -> None:
    difference = sum((posting.amount for posting in postings), ZERO)
    if difference:
        raise BookingError(
            invoice,
            f"net {invoice.total_net_amount} plus VAT {invoice.total_vat_amount} "
            f"is not the gross total {invoice.total_gross_amount} (difference "
            f"{difference}). Correct the amounts.",
        )


def _entry_description(invoice: PurchaseInvoice) -> str:
    if invoice.is_credit_note:
        template = gettext("Purchase credit note %(number)s from %(supplier)s")
    else:
        template = gettext("Purchase invoice %(number)s from %(supplier)s")
    return template % {
        "number": invoice.invoice_number or "-",
        "supplier": invoice.supplier.name,
    }


def _account(invoice: PurchaseInvoice, code: str) -> Account:
    try:
        return Account.objects.get(code=code)
    except Account.DoesNotExist:
        raise BookingError(
            invoice,
            f"ledger account {code} does not exist. Add it in the admin, or "
            "run the migrations that install the Dutch chart of accounts.",
        ) from None
