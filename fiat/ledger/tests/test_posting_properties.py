"""Property tests: every posted entry balances, and no unbalanced one posts."""

from datetime import date
from decimal import Decimal
from itertools import count

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fiat.ledger.models import JournalEntry
from fiat.ledger.posting import (
    DraftLine,
    EntryDraft,
    UnbalancedEntryError,
    post_entry,
)
from fiat.ledger.tests.factories import SOURCE_KIND

pytestmark = pytest.mark.django_db

ACCOUNT_CODES = ("1530", "1600", "4000", "4300", "4400", "4930", "8000")
# Whole cents from 0.01 to 9,999,999.99.
amounts = st.integers(min_value=1, max_value=999_999_999).map(
    lambda cents: Decimal(cents).scaleb(-2)
)
sides = st.lists(
    st.tuples(st.sampled_from(ACCOUNT_CODES), amounts), min_size=1, max_size=6
)
FUNCTION_SCOPED = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
source_ids = count(1)


def draft_of(accounts, debits, credits) -> EntryDraft:
    lines = [
        DraftLine(accounts[code], debit=amount) for code, amount in debits
    ] + [DraftLine(accounts[code], credit=amount) for code, amount in credits]
    return EntryDraft(
        entry_date=date(2026, 6, 30),
        description="Generated entry",
        source_kind=SOURCE_KIND,
        source_id=str(next(source_ids)),
        lines=tuple(lines),
    )


def balanced(debits, credits) -> tuple[list, list]:
    """Return the sides with one closing line that makes them balance."""
    difference = sum(a for _, a in debits) - sum(a for _, a in credits)
    if difference > 0:
        return debits, [*credits, ("1600", difference)]
    if difference < 0:
        return [*debits, ("4930", -difference)], credits
    return debits, credits


@FUNCTION_SCOPED
@given(debits=sides, credits=sides)
def test_posted_entry_balances(accounts, debits, credits):
    draft = draft_of(accounts, *balanced(debits, credits))

    entry = post_entry(draft, actor=None)

    lines = list(entry.lines.all())
    total_debit = sum(line.debit for line in lines)
    total_credit = sum(line.credit for line in lines)
    assert total_debit == total_credit
    assert total_debit == draft.total_debit
    assert len(lines) == len(draft.lines)


@FUNCTION_SCOPED
@given(
    debits=sides,
    credits=sides,
    extra=st.tuples(st.sampled_from(ACCOUNT_CODES), amounts),
    extra_is_debit=st.booleans(),
)
def test_unbalanced_entry_is_rejected(accounts, debits, credits, extra, extra_is_debit):
    debits, credits = balanced(debits, credits)
    if extra_is_debit:
        debits = [*debits, extra]
    else:
        credits = [*credits, extra]
    draft = draft_of(accounts, debits, credits)
    entries_before = JournalEntry.objects.count()

    with pytest.raises(UnbalancedEntryError) as raised:
        post_entry(draft, actor=None)

    assert raised.value.difference == (extra[1] if extra_is_debit else -extra[1])
    assert JournalEntry.objects.count() == entries_before
