"""Read-side helpers of the ledger for pages in this and other apps."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps

from fiat.ledger.models import EntryPurpose, JournalEntry, JournalLine


@dataclass(frozen=True)
class EntryTotals:
    total_debit: Decimal
    total_credit: Decimal

    @property
    def difference(self) -> Decimal:
        return self.total_debit - self.total_credit

    @property
    def is_balanced(self) -> bool:
        return self.difference == 0


def entry_totals(lines: Iterable[JournalLine]) -> EntryTotals:
    lines = list(lines)
    return EntryTotals(
        total_debit=sum((line.debit for line in lines), Decimal("0")),
        total_credit=sum((line.credit for line in lines), Decimal("0")),
    )


def bookings_by_source(
    source_kind: str, source_ids: Iterable[object]
) -> dict[str, JournalEntry]:
    """Return the booking entries of the given source documents, by source id."""
    entries = JournalEntry.objects.filter(
        source_kind=source_kind,
        source_id__in=[str(source_id) for source_id in source_ids],
        purpose=EntryPurpose.BOOKING,
    )
    return {entry.source_id: entry for entry in entries}


def source_url(source_kind: str, source_id: str) -> str | None:
    """Return the page of an entry's source document, or None.

    An app whose documents are booked gives its AppConfig a method
    ``ledger_source_url(source_kind, source_id)`` that returns the URL for
    the kinds it owns and None for others.
    """
    for app_config in apps.get_app_configs():
        resolve = getattr(app_config, "ledger_source_url", None)
        if resolve is None:
            continue
        url = resolve(source_kind, source_id)
        if url:
            return url
    return None
