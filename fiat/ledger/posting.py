"""Posting and reversing journal entries in the built-in ledger.

A caller describes an entry as an ``EntryDraft``: the date, a description,
the source document and the lines, every amount in company currency
(``FIAT_CURRENCY``). ``post_entry`` checks the draft, because a double-entry
ledger takes only entries whose debits equal their credits, and then writes
the entry, its lines and an audit event in one transaction. Entry numbers are
gap-free per year of the entry date ("2026-000123").

A posted entry never changes. ``reverse_entry`` corrects one by posting its
mirror image, with debits and credits swapped, which points back at it.
"""

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext

from fiat.audit.services import record_event
from fiat.core.dates import business_date
from fiat.core.exchange import rate_on
from fiat.core.models import CostCentre, Party, Project, User
from fiat.core.money import round_money, to_decimal
from fiat.core.numbering import format_number, next_number
from fiat.ledger.models import (
    Account,
    EntryPurpose,
    JournalEntry,
    JournalLine,
    VatCode,
)

logger = logging.getLogger(__name__)

ZERO = Decimal("0")
# The number series of journal entries, one per year of the entry date.
SEQUENCE_NAME = "journal_entry"
NUMBER_WIDTH = 6
POSTED_ACTION = "journal_entry.posted"
REVERSED_ACTION = "journal_entry.reversed"


@dataclass(frozen=True)
class DraftLine:
    """One debit or credit of a draft, in company currency.

    Exactly one of ``debit`` and ``credit`` is above zero. A line booked
    from a document in another currency gives that currency and the
    (non-negative) amount in it as ``original_currency`` and
    ``original_amount``.
    """

    account: Account
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    description: str = ""
    vat_code: VatCode | None = None
    cost_centre: CostCentre | None = None
    project: Project | None = None
    party: Party | None = None
    original_currency: str = ""
    original_amount: Decimal | None = None


@dataclass(frozen=True)
class Posting:
    """A line in the document's currency; a positive amount is a debit."""

    account: Account
    amount: Decimal
    description: str
    vat_code: VatCode | None = None
    cost_centre: CostCentre | None = None
    project: Project | None = None
    party: Party | None = None


def company_currency_lines(
    postings: Iterable[Posting],
    *,
    currency: str,
    rate_date: date,
    rounding_account: Callable[[], Account],
) -> list[DraftLine]:
    """Convert ``postings`` into draft lines in company currency.

    A document in another currency is converted at the rate of
    ``rate_date``, line by line, each line rounded on its own and keeping
    its original amount. The cents by which the rounded lines no longer
    balance go to ``rounding_account()``, which is only called then.
    """
    company_currency = settings.FIAT_CURRENCY
    postings = [posting for posting in postings if posting.amount]
    if currency == company_currency:
        return [_draft_line(posting, posting.amount) for posting in postings]
    rate = rate_on(currency, rate_date).rate
    lines = [
        _draft_line(
            posting,
            round_money(posting.amount * rate, company_currency),
            original_currency=currency,
        )
        for posting in postings
    ]
    # A tiny amount can convert to zero, which no journal line may carry.
    lines = [line for line in lines if line.debit or line.credit]
    difference = sum((line.debit - line.credit for line in lines), Decimal("0"))
    if difference:
        rounding = Posting(
            account=rounding_account(),
            amount=-difference,
            description=gettext("Rounding difference from currency conversion"),
        )
        lines.append(_draft_line(rounding, rounding.amount))
    return lines


def _draft_line(
    posting: Posting, amount: Decimal, *, original_currency: str = ""
) -> DraftLine:
    """Return ``posting`` as a draft line of ``amount`` in company currency."""
    return DraftLine(
        account=posting.account,
        debit=max(amount, Decimal("0")),
        credit=max(-amount, Decimal("0")),
        description=posting.description,
        vat_code=posting.vat_code,
        cost_centre=posting.cost_centre,
        project=posting.project,
        party=posting.party,
        original_currency=original_currency,
        original_amount=abs(posting.amount) if original_currency else None,
    )


@dataclass(frozen=True)
class ApprovalRecord:
    """One decision of a document's approval trail, as the entry keeps it.

    ``approver`` and ``on_behalf_of`` are names, not user ids, so the trail
    reads the same after a user is renamed or removed. ``amount`` and
    ``currency`` are what the approver approved. ``details`` carries any
    further JSON values the approval engine records, such as its request id.
    """

    step: int
    approver: str
    decision: str
    decided_at: datetime
    on_behalf_of: str = ""
    comment: str = ""
    step_name: str = ""
    amount: Decimal | None = None
    currency: str = ""
    details: Mapping = field(default_factory=dict)

    def as_json(self) -> dict:
        record = {
            **self.details,
            "step": self.step,
            "approver": self.approver,
            "on_behalf_of": self.on_behalf_of,
            "decision": self.decision,
            "decided_at": self.decided_at.isoformat(),
            "comment": self.comment,
        }
        if self.step_name:
            record["step_name"] = self.step_name
        if self.amount is not None:
            record["amount"] = format(to_decimal(self.amount), "f")
            record["currency"] = self.currency
        return record


# The keys of a stored approval record that are ApprovalRecord fields.
_APPROVAL_RECORD_FIELDS = frozenset(
    name for name in ApprovalRecord.__dataclass_fields__ if name != "details"
)


@dataclass(frozen=True)
class EntryDraft:
    """An entry to post: what it books, when, and its lines.

    ``source_kind`` is the source model's label, such as
    "payables.purchaseinvoice", and ``source_id`` its primary key.
    """

    entry_date: date
    description: str
    source_kind: str
    source_id: str
    lines: tuple[DraftLine, ...]
    approvals: tuple[ApprovalRecord, ...] = ()

    @property
    def total_debit(self) -> Decimal:
        return sum((to_decimal(line.debit) for line in self.lines), ZERO)

    @property
    def total_credit(self) -> Decimal:
        return sum((to_decimal(line.credit) for line in self.lines), ZERO)


class PostingError(ValueError):
    """A draft or a reversal that the ledger rejects."""


class UnbalancedEntryError(PostingError):
    """A draft whose debits and credits differ."""

    def __init__(self, draft: EntryDraft, currency: str) -> None:
        self.total_debit = draft.total_debit
        self.total_credit = draft.total_credit
        self.difference = self.total_debit - self.total_credit
        super().__init__(
            f"Journal entry for {draft.source_kind} {draft.source_id} is out of "
            f"balance: debits {self.total_debit} {currency}, credits "
            f"{self.total_credit} {currency}, difference {self.difference} "
            f"{currency}. Correct an amount, or add a line for the difference."
        )


class InvalidLineError(PostingError):
    """A draft line that breaks a rule of the ledger."""

    def __init__(self, position: int, reason: str) -> None:
        super().__init__(f"Invalid journal line {position}: {reason}")
        self.position = position
        self.reason = reason


class DuplicateBookingError(PostingError):
    """A second booking of a document that has its booking already."""

    def __init__(self, existing: JournalEntry) -> None:
        super().__init__(
            f"{existing.source_kind} {existing.source_id} was booked already "
            f"in journal entry {existing.number}. Reverse that entry to undo it."
        )
        self.existing = existing


class ReversalError(PostingError):
    """A reversal that the ledger rejects."""


def post_entry(draft: EntryDraft, *, actor: User | None) -> JournalEntry:
    """Check ``draft`` and write it as the booking of its source document.

    The entry, its lines and the audit event commit together, inside the
    caller's transaction when there is one. Raise UnbalancedEntryError or
    InvalidLineError for a draft the ledger does not take, and
    DuplicateBookingError (carrying the existing entry) when the source
    document has a booking already. A unique constraint decides that, so it
    holds for concurrent callers too.
    """
    currency = settings.FIAT_CURRENCY
    check_draft(draft, currency)
    try:
        with transaction.atomic():
            return _write_entry(
                draft, currency, actor=actor, purpose=EntryPurpose.BOOKING
            )
    except IntegrityError:
        existing = find_booking(draft.source_kind, draft.source_id)
        if existing is None:
            raise
        raise DuplicateBookingError(existing) from None


def find_booking(source_kind: str, source_id: object) -> JournalEntry | None:
    """Return the booking entry of a source document, or None."""
    return JournalEntry.objects.filter(
        source_kind=source_kind,
        source_id=str(source_id),
        purpose=EntryPurpose.BOOKING,
    ).first()


def check_draft(draft: EntryDraft, currency: str) -> None:
    """Raise a PostingError unless ``draft`` can be posted in ``currency``."""
    if not draft.source_kind or not str(draft.source_id):
        raise PostingError(
            "A journal entry needs its source: set source_kind (such as "
            "'payables.purchaseinvoice') and source_id."
        )
    if not draft.description.strip():
        raise PostingError(
            f"Journal entry for {draft.source_kind} {draft.source_id} has no "
            "description."
        )
    if len(draft.lines) < 2:
        raise PostingError(
            f"Journal entry for {draft.source_kind} {draft.source_id} has "
            f"{len(draft.lines)} lines; an entry needs a debit and a credit."
        )
    for position, line in enumerate(draft.lines, start=1):
        _check_line(position, line, currency)
    if draft.total_debit != draft.total_credit:
        raise UnbalancedEntryError(draft, currency)


def _check_line(position: int, line: DraftLine, currency: str) -> None:
    debit, credit = to_decimal(line.debit), to_decimal(line.credit)
    if debit < 0 or credit < 0:
        raise InvalidLineError(
            position,
            f"debit {debit} and credit {credit} must not be negative; book a "
            "negative amount on the other side.",
        )
    if (debit == 0) == (credit == 0):
        raise InvalidLineError(
            position,
            f"debit {debit} and credit {credit}: exactly one of them must be "
            "above zero.",
        )
    amount = debit or credit
    if amount != round_money(amount, currency):
        raise InvalidLineError(
            position, f"{amount} has more decimals than {currency} allows."
        )
    if not line.account.is_active:
        raise InvalidLineError(
            position,
            f"account {line.account.code} is inactive. Activate it in the "
            "admin or book on another account.",
        )
    _check_original_amount(position, line, currency)


def _check_original_amount(position: int, line: DraftLine, currency: str) -> None:
    has_currency = bool(line.original_currency)
    if has_currency != (line.original_amount is not None):
        raise InvalidLineError(
            position, "give both the original currency and the original amount."
        )
    if not has_currency:
        return
    if line.original_currency == currency:
        raise InvalidLineError(
            position,
            f"the original currency is the company currency {currency}; leave "
            "the original currency and amount empty.",
        )
    original = to_decimal(line.original_amount)
    if original < 0 or original != round_money(original, line.original_currency):
        raise InvalidLineError(
            position,
            f"the original amount {original} {line.original_currency} must be "
            "zero or more and rounded to its currency.",
        )


def _write_entry(
    draft: EntryDraft,
    currency: str,
    *,
    actor: User | None,
    purpose: EntryPurpose,
    reverses: JournalEntry | None = None,
) -> JournalEntry:
    """Number and insert the entry, its lines and the audit event."""
    year = str(draft.entry_date.year)
    number = format_number("", year, next_number(SEQUENCE_NAME, year), NUMBER_WIDTH)
    entry = JournalEntry.objects.create(
        number=number,
        entry_date=draft.entry_date,
        description=draft.description[:500],
        currency=currency,
        source_kind=draft.source_kind,
        source_id=str(draft.source_id),
        purpose=purpose,
        reverses=reverses,
        approvals=[record.as_json() for record in draft.approvals],
        created_by=actor,
    )
    JournalLine.objects.bulk_create(
        _journal_line(entry, position, line)
        for position, line in enumerate(draft.lines, start=1)
    )
    record_event(
        entry,
        POSTED_ACTION,
        created=True,
        actor=actor,
        amounts={"total_debit": draft.total_debit, "currency": currency},
        data={
            "number": number,
            "purpose": purpose,
            "source_kind": entry.source_kind,
            "source_id": entry.source_id,
            "reverses": reverses.number if reverses else None,
            "line_count": len(draft.lines),
        },
    )
    logger.info(
        "Posted journal entry %s (%s) for %s %s: %s %s",
        number, purpose, entry.source_kind, entry.source_id,
        draft.total_debit, currency,
        extra={"journal_entry": number, "source_kind": entry.source_kind,
               "source_id": entry.source_id},
    )  # fmt: skip
    return entry


def _journal_line(entry: JournalEntry, position: int, line: DraftLine) -> JournalLine:
    return JournalLine(
        entry=entry,
        position=position,
        account=line.account,
        debit=to_decimal(line.debit),
        credit=to_decimal(line.credit),
        description=line.description[:500],
        vat_code=line.vat_code,
        cost_centre=line.cost_centre,
        project=line.project,
        party=line.party,
        original_currency=line.original_currency,
        original_amount=(
            None if line.original_amount is None else to_decimal(line.original_amount)
        ),
    )


def reverse_entry(
    entry: JournalEntry,
    actor: User | None,
    reason: str,
    *,
    entry_date: date | None = None,
) -> JournalEntry:
    """Post the mirror of ``entry`` and return it; ``entry`` stays as it is.

    The reversal swaps every line's debit and credit, is dated
    ``entry_date`` (today's business date by default) and points at
    ``entry`` through ``reverses``. Raise ReversalError without a reason,
    for an entry that is itself a reversal, and for an entry reversed
    already. A unique constraint on ``reverses`` keeps concurrent callers
    from reversing an entry twice.
    """
    if not reason.strip():
        raise ReversalError(
            f"Give a reason to reverse journal entry {entry.number}; it goes "
            "into the entry and the audit trail."
        )
    with transaction.atomic():
        original = JournalEntry.objects.select_for_update().get(pk=entry.pk)
        _check_reversible(original)
        draft = _mirror_draft(original, reason, entry_date or business_date())
        reversal = _write_entry(
            draft,
            original.currency,
            actor=actor,
            purpose=EntryPurpose.REVERSAL,
            reverses=original,
        )
        record_event(
            original,
            REVERSED_ACTION,
            actor=actor,
            data={"reversal": reversal.number, "reason": reason},
        )
    return reversal


def _check_reversible(entry: JournalEntry) -> None:
    if entry.purpose == EntryPurpose.REVERSAL:
        raise ReversalError(
            f"Journal entry {entry.number} is a reversal and cannot be reversed "
            "in turn. Post a new entry instead."
        )
    existing = JournalEntry.objects.filter(reverses=entry).first()
    if existing is not None:
        raise ReversalError(
            f"Journal entry {entry.number} was reversed already by {existing.number}."
        )


def _mirror_draft(entry: JournalEntry, reason: str, entry_date: date) -> EntryDraft:
    lines = tuple(
        DraftLine(
            account=line.account,
            debit=line.credit,
            credit=line.debit,
            description=line.description,
            vat_code=line.vat_code,
            cost_centre=line.cost_centre,
            project=line.project,
            party=line.party,
            original_currency=line.original_currency,
            original_amount=line.original_amount,
        )
        for line in entry.lines.select_related("account")
    )
    # Stored descriptions are in the installation's language (LANGUAGE_CODE),
    # not in the language of the user who reverses.
    with translation.override(settings.LANGUAGE_CODE):
        description = gettext("Reversal of %(number)s: %(reason)s") % {
            "number": entry.number,
            "reason": reason,
        }
    return EntryDraft(
        entry_date=entry_date,
        description=description,
        source_kind=entry.source_kind,
        source_id=entry.source_id,
        lines=lines,
    )


def approval_records(trail: Iterable[ApprovalRecord | Mapping]) -> tuple:
    """Return ``trail`` as ApprovalRecords; a mapping gives the same fields.

    ``decided_at`` may be an aware datetime or an ISO 8601 string, and
    ``amount`` a Decimal or a decimal string. Keys that are not fields of
    ApprovalRecord go into ``details``.
    """
    return tuple(
        item if isinstance(item, ApprovalRecord) else _approval_record(item)
        for item in trail
    )


def _approval_record(item: Mapping) -> ApprovalRecord:
    decided_at = item["decided_at"]
    if isinstance(decided_at, str):
        decided_at = datetime.fromisoformat(decided_at)
    amount = item.get("amount")
    return ApprovalRecord(
        step=item["step"],
        approver=item["approver"],
        decision=item["decision"],
        decided_at=decided_at,
        on_behalf_of=item.get("on_behalf_of") or "",
        comment=item.get("comment") or "",
        step_name=item.get("step_name") or "",
        amount=None if amount in (None, "") else to_decimal(amount),
        currency=item.get("currency") or "",
        details={
            key: value
            for key, value in item.items()
            if key not in _APPROVAL_RECORD_FIELDS
        },
    )
