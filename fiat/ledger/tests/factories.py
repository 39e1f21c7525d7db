"""Builders for the ledger tests: the chart of accounts and small drafts."""

from datetime import date
from decimal import Decimal

from fiat.ledger.defaults import install_dutch_defaults
from fiat.ledger.models import Account, VatCode
from fiat.ledger.posting import DraftLine, EntryDraft

SOURCE_KIND = "tests.document"


def install_chart() -> dict[str, Account]:
    """Install the Dutch default chart and return its accounts by code.

    A live-server test flushes the rows that the data migration wrote, so
    tests install them again.
    """
    install_dutch_defaults(Account, VatCode)
    return {account.code: account for account in Account.objects.all()}


def office_supplies_draft(
    accounts: dict[str, Account],
    *,
    source_id: str = "7",
    entry_date: date = date(2026, 3, 2),
) -> EntryDraft:
    """Return a draft of a 121.00 purchase: 100.00 costs and 21.00 VAT."""
    return EntryDraft(
        entry_date=entry_date,
        description="Paper and toner",
        source_kind=SOURCE_KIND,
        source_id=source_id,
        lines=(
            DraftLine(accounts["4300"], debit=Decimal("100.00"), description="Paper"),
            DraftLine(accounts["1530"], debit=Decimal("21.00"), description="VAT"),
            DraftLine(accounts["1600"], credit=Decimal("121.00")),
        ),
    )
