"""Posting and reversing journal entries, and what the ledger rejects."""

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from fiat.audit.models import AuditEvent
from fiat.core.models import Role
from fiat.ledger.models import (
    EntryPurpose,
    ImmutableEntryError,
    JournalEntry,
    JournalLine,
)
from fiat.ledger.posting import (
    ApprovalRecord,
    DraftLine,
    DuplicateBookingError,
    InvalidLineError,
    PostingError,
    ReversalError,
    UnbalancedEntryError,
    approval_records,
    post_entry,
    reverse_entry,
)
from fiat.ledger.tests.factories import SOURCE_KIND, office_supplies_draft
from fiat.payables.tests.factories import make_user

pytestmark = pytest.mark.django_db


def line_values(entry: JournalEntry) -> list[tuple[str, Decimal, Decimal]]:
    return [
        (line.account.code, line.debit, line.credit)
        for line in entry.lines.select_related("account")
    ]


# Posting


def test_post_entry_writes_lines(accounts):
    clerk = make_user("anna", Role.AP_CLERK)

    entry = post_entry(office_supplies_draft(accounts), actor=clerk)

    entry.refresh_from_db()
    assert entry.number == "2026-000001"
    assert entry.entry_date == date(2026, 3, 2)
    assert entry.currency == "EUR"
    assert entry.purpose == EntryPurpose.BOOKING
    assert entry.source_kind == SOURCE_KIND
    assert entry.source_id == "7"
    assert entry.created_by == clerk
    assert line_values(entry) == [
        ("4300", Decimal("100.00"), Decimal("0.00")),
        ("1530", Decimal("21.00"), Decimal("0.00")),
        ("1600", Decimal("0.00"), Decimal("121.00")),
    ]
    assert list(entry.lines.values_list("position", flat=True)) == [1, 2, 3]


def test_post_entry_records_audit_event(accounts):
    clerk = make_user("anna", Role.AP_CLERK)

    entry = post_entry(office_supplies_draft(accounts), actor=clerk)

    event = AuditEvent.objects.get(action="journal_entry.posted")
    assert event.object_type == "ledger.journalentry"
    assert event.object_id == str(entry.pk)
    assert event.actor == clerk
    assert event.amounts == {"total_debit": "121.00", "currency": "EUR"}
    assert event.data["number"] == "2026-000001"
    assert event.data["source_kind"] == SOURCE_KIND
    assert event.data["source_id"] == "7"
    assert event.data["line_count"] == 3


def test_numbers_are_gap_free_per_year(accounts):
    first = post_entry(office_supplies_draft(accounts, source_id="1"), actor=None)
    second = post_entry(office_supplies_draft(accounts, source_id="2"), actor=None)
    earlier_year = post_entry(
        office_supplies_draft(accounts, source_id="3", entry_date=date(2025, 12, 31)),
        actor=None,
    )

    assert first.number == "2026-000001"
    assert second.number == "2026-000002"
    assert earlier_year.number == "2025-000001"


def test_rejected_draft_leaves_no_gap(accounts):
    unbalanced = replace(
        office_supplies_draft(accounts, source_id="1"),
        lines=office_supplies_draft(accounts).lines[:2],
    )
    with pytest.raises(UnbalancedEntryError):
        post_entry(unbalanced, actor=None)

    entry = post_entry(office_supplies_draft(accounts, source_id="2"), actor=None)

    assert entry.number == "2026-000001"


def test_approval_trail_is_copied(accounts):
    decided_at = datetime(2026, 3, 3, 9, 15, tzinfo=UTC)
    trail = (
        ApprovalRecord(
            step=1,
            approver="Daan Jansen",
            decision="approved",
            decided_at=decided_at,
            on_behalf_of="Eva Jansen",
            comment="Budget for Q1",
        ),
    )
    draft = replace(office_supplies_draft(accounts), approvals=trail)

    entry = post_entry(draft, actor=None)

    entry.refresh_from_db()
    assert entry.approvals == [
        {
            "step": 1,
            "approver": "Daan Jansen",
            "on_behalf_of": "Eva Jansen",
            "decision": "approved",
            "decided_at": "2026-03-03T09:15:00+00:00",
            "comment": "Budget for Q1",
        }
    ]


def test_approval_records_read_mappings():
    records = approval_records(
        [
            {
                "step": 2,
                "approver": "Eva Jansen",
                "decision": "approved",
                "decided_at": "2026-03-04T10:00:00+00:00",
            }
        ]
    )

    assert records == (
        ApprovalRecord(
            step=2,
            approver="Eva Jansen",
            decision="approved",
            decided_at=datetime(2026, 3, 4, 10, 0, tzinfo=UTC),
        ),
    )


def test_approval_records_keep_engine_fields(accounts):
    decision = {
        "request": 31,
        "step": 2,
        "step_name": "Director or budget holder",
        "decision": "approved",
        "approver": "Femke Jansen",
        "on_behalf_of": "Eva Jansen",
        "decided_at": "2026-03-04T14:00:00+00:00",
        "comment": "",
        "amount": "1512.50",
        "currency": "EUR",
    }
    draft = replace(
        office_supplies_draft(accounts), approvals=approval_records([decision])
    )

    entry = post_entry(draft, actor=None)

    entry.refresh_from_db()
    assert entry.approvals == [decision]


def test_original_amount_is_stored(accounts):
    draft = replace(
        office_supplies_draft(accounts),
        lines=(
            DraftLine(
                accounts["4400"],
                debit=Decimal("92.35"),
                original_currency="USD",
                original_amount=Decimal("100.00"),
            ),
            DraftLine(
                accounts["1600"],
                credit=Decimal("92.35"),
                original_currency="USD",
                original_amount=Decimal("100.00"),
            ),
        ),
    )

    entry = post_entry(draft, actor=None)

    amounts = list(entry.lines.values_list("original_currency", "original_amount"))
    assert amounts == [("USD", Decimal("100.00")), ("USD", Decimal("100.00"))]


# What the ledger rejects


def test_unbalanced_draft_names_difference(accounts):
    lines = office_supplies_draft(accounts).lines
    draft = replace(
        office_supplies_draft(accounts),
        lines=(*lines[:2], DraftLine(accounts["1600"], credit=Decimal("120.99"))),
    )

    with pytest.raises(UnbalancedEntryError) as raised:
        post_entry(draft, actor=None)

    assert raised.value.total_debit == Decimal("121.00")
    assert raised.value.total_credit == Decimal("120.99")
    assert raised.value.difference == Decimal("0.01")
    assert "difference 0.01 EUR" in str(raised.value)
    assert not JournalEntry.objects.exists()


@pytest.mark.parametrize(
    ("debit", "credit", "reason"),
    [
        (Decimal("-5.00"), Decimal("0"), "must not be negative"),
        (Decimal("5.00"), Decimal("5.00"), "exactly one of them"),
        (Decimal("0"), Decimal("0"), "exactly one of them"),
        (Decimal("5.001"), Decimal("0"), "more decimals than EUR allows"),
    ],
)
def test_invalid_line_is_rejected(accounts, debit, credit, reason):
    draft = replace(
        office_supplies_draft(accounts),
        lines=(
            *office_supplies_draft(accounts).lines,
            DraftLine(accounts["4930"], debit=debit, credit=credit),
        ),
    )

    with pytest.raises(InvalidLineError) as raised:
        post_entry(draft, actor=None)

    assert raised.value.position == 4
    assert reason in raised.value.reason
    assert not JournalEntry.objects.exists()


def test_inactive_account_is_rejected(accounts):
    Account = type(accounts["4300"])  # noqa: N806
    Account.objects.filter(code="4300").update(is_active=False)
    accounts["4300"].refresh_from_db()

    with pytest.raises(InvalidLineError) as raised:
        post_entry(office_supplies_draft(accounts), actor=None)

    assert raised.value.position == 1
    assert "account 4300 is inactive" in raised.value.reason


def test_original_amount_needs_currency(accounts):
    draft = replace(
        office_supplies_draft(accounts),
        lines=(
            DraftLine(
                accounts["4300"], debit=Decimal("10.00"), original_amount=Decimal("11")
            ),
            DraftLine(accounts["1600"], credit=Decimal("10.00")),
        ),
    )

    with pytest.raises(InvalidLineError) as raised:
        post_entry(draft, actor=None)

    assert "both the original currency and the original amount" in raised.value.reason


def test_draft_with_one_line_is_rejected(accounts):
    draft = replace(
        office_supplies_draft(accounts),
        lines=(DraftLine(accounts["4300"], debit=Decimal("1.00")),),
    )

    with pytest.raises(PostingError, match="needs a debit and a credit"):
        post_entry(draft, actor=None)


def test_second_booking_of_source_is_rejected(accounts):
    first = post_entry(office_supplies_draft(accounts), actor=None)

    with pytest.raises(DuplicateBookingError) as raised:
        post_entry(office_supplies_draft(accounts), actor=None)

    assert raised.value.existing == first
    assert JournalEntry.objects.count() == 1
    assert AuditEvent.objects.filter(action="journal_entry.posted").count() == 1


def test_duplicate_rejected_inside_caller_transaction(accounts):
    post_entry(office_supplies_draft(accounts), actor=None)

    with transaction.atomic():
        with pytest.raises(DuplicateBookingError):
            post_entry(office_supplies_draft(accounts), actor=None)
        # The caller's transaction is still usable after the rejection.
        later = post_entry(office_supplies_draft(accounts, source_id="8"), actor=None)

    assert later.number == "2026-000002"


def test_database_allows_one_booking_per_source(accounts):
    values = {
        "entry_date": date(2026, 3, 2),
        "description": "Paper",
        "currency": "EUR",
        "source_kind": SOURCE_KIND,
        "source_id": "7",
        "purpose": EntryPurpose.BOOKING,
    }
    JournalEntry.objects.create(number="2026-000001", **values)

    with pytest.raises(IntegrityError), transaction.atomic():
        JournalEntry.objects.create(number="2026-000002", **values)


def test_database_rejects_two_sided_line(accounts):
    entry = post_entry(office_supplies_draft(accounts), actor=None)

    with pytest.raises(IntegrityError), transaction.atomic():
        JournalLine.objects.bulk_create(
            [
                JournalLine(
                    entry=entry,
                    position=9,
                    account=accounts["4930"],
                    debit=Decimal("1.00"),
                    credit=Decimal("1.00"),
                )
            ]
        )


# Entries never change


def test_entry_cannot_be_saved_again(accounts):
    entry = post_entry(office_supplies_draft(accounts), actor=None)
    entry.description = "Changed"

    with pytest.raises(ImmutableEntryError):
        entry.save()


def test_entry_cannot_be_deleted(accounts):
    entry = post_entry(office_supplies_draft(accounts), actor=None)

    with pytest.raises(ImmutableEntryError):
        entry.delete()
    with pytest.raises(ImmutableEntryError):
        JournalEntry.objects.filter(pk=entry.pk).delete()


def test_lines_cannot_be_changed(accounts):
    entry = post_entry(office_supplies_draft(accounts), actor=None)
    line = entry.lines.first()
    line.debit = Decimal("1.00")

    with pytest.raises(ImmutableEntryError):
        line.save()
    with pytest.raises(ImmutableEntryError):
        entry.lines.update(debit=Decimal("1.00"))
    with pytest.raises(ImmutableEntryError):
        line.delete()
    assert entry.lines.get(position=1).debit == Decimal("100.00")


# Reversal


def test_reversal_mirrors_entry(accounts):
    controller = make_user("daan", Role.CONTROLLER)
    entry = post_entry(office_supplies_draft(accounts), actor=None)

    reversal = reverse_entry(
        entry, controller, "Booked twice", entry_date=date(2026, 3, 10)
    )

    assert reversal.number == "2026-000002"
    assert reversal.purpose == EntryPurpose.REVERSAL
    assert reversal.reverses == entry
    assert reversal.entry_date == date(2026, 3, 10)
    assert reversal.source_kind == SOURCE_KIND
    assert reversal.source_id == "7"
    assert reversal.created_by == controller
    assert reversal.description == "Terugboeking van 2026-000001: Booked twice"
    assert line_values(reversal) == [
        ("4300", Decimal("0.00"), Decimal("100.00")),
        ("1530", Decimal("0.00"), Decimal("21.00")),
        ("1600", Decimal("121.00"), Decimal("0.00")),
    ]


def test_reversal_recorded_on_both_entries(accounts):
    controller = make_user("daan", Role.CONTROLLER)
    entry = post_entry(office_supplies_draft(accounts), actor=None)

    reversal = reverse_entry(entry, controller, "Booked twice")

    reversed_event = AuditEvent.objects.get(action="journal_entry.reversed")
    assert reversed_event.object_id == str(entry.pk)
    assert reversed_event.actor == controller
    assert reversed_event.data == {
        "reversal": reversal.number,
        "reason": "Booked twice",
    }
    posted = AuditEvent.objects.get(
        action="journal_entry.posted", object_id=str(reversal.pk)
    )
    assert posted.data["reverses"] == entry.number
    assert posted.data["purpose"] == "reversal"


def test_entry_is_reversed_once(accounts):
    entry = post_entry(office_supplies_draft(accounts), actor=None)
    reverse_entry(entry, None, "Booked twice")

    with pytest.raises(ReversalError, match="was reversed already by 2026-000002"):
        reverse_entry(entry, None, "Again")

    assert JournalEntry.objects.count() == 2


def test_reversal_cannot_be_reversed(accounts):
    entry = post_entry(office_supplies_draft(accounts), actor=None)
    reversal = reverse_entry(entry, None, "Booked twice")

    with pytest.raises(ReversalError, match="is a reversal"):
        reverse_entry(reversal, None, "Undo")


def test_reversal_needs_reason(accounts):
    entry = post_entry(office_supplies_draft(accounts), actor=None)

    with pytest.raises(ReversalError, match="Give a reason"):
        reverse_entry(entry, None, "  ")

    assert JournalEntry.objects.count() == 1
