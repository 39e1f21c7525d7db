"""Ledger connectors: the built-in ledger, or an accounting package's API.

Apps book documents through ``get_connector()``, never by writing journal
entries themselves, so that an installation can keep its books in an
external accounting package instead of Fiat's own ledger. The setting
``FIAT_LEDGER_CONNECTOR`` is the dotted path of the connector class, which
is instantiated without arguments. The default is ``BuiltInLedger``.

A connector for an external package would map the draft's accounts, VAT
codes and parties to the package's own codes, send the entry over its API
and return the package's id for it as ``LedgerReceipt.external_id``. Its
``book`` must be idempotent on the draft's (source_kind, source_id), for
instance by sending them as the API's idempotency key, because a retry
after a failed commit sends the same draft again.
"""

from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from fiat.core.models import User
from fiat.ledger.models import JournalEntry
from fiat.ledger.posting import (
    DuplicateBookingError,
    EntryDraft,
    find_booking,
    post_entry,
    reverse_entry,
)

DEFAULT_CONNECTOR = "fiat.ledger.connectors.BuiltInLedger"


@dataclass(frozen=True)
class LedgerReceipt:
    """What a ledger returns for a booked or reversed entry.

    ``external_id`` identifies the entry in the ledger that stores it: the
    entry number in the built-in ledger, the package's own id elsewhere.
    ``entry`` is the built-in ledger's entry, and None for other ledgers.
    ``created`` is False when ``book`` found the source booked already and
    returned that booking.
    """

    external_id: str
    entry: JournalEntry | None = None
    created: bool = True


class LedgerConnector(Protocol):
    """The interface every ledger connector implements."""

    def book(self, draft: EntryDraft, *, actor: User | None) -> LedgerReceipt:
        """Book ``draft``, or return the existing booking of its source.

        Raise fiat.ledger.posting.PostingError for a draft that the ledger
        rejects, such as an unbalanced one.
        """
        ...

    def reverse(
        self, external_id: str, *, actor: User | None, reason: str
    ) -> LedgerReceipt:
        """Reverse the entry ``external_id`` and return the reversal's receipt."""
        ...

    def find_booking(self, source_kind: str, source_id: str) -> LedgerReceipt | None:
        """Return the receipt of a source document's booking, or None."""
        ...


class BuiltInLedger:
    """Fiat's own double-entry ledger, in ``fiat.ledger.models``."""

    def book(self, draft: EntryDraft, *, actor: User | None) -> LedgerReceipt:
        try:
            entry = post_entry(draft, actor=actor)
        except DuplicateBookingError as error:
            return _receipt(error.existing, created=False)
        return _receipt(entry)

    def reverse(
        self, external_id: str, *, actor: User | None, reason: str
    ) -> LedgerReceipt:
        entry = JournalEntry.objects.get(number=external_id)
        return _receipt(reverse_entry(entry, actor, reason))

    def find_booking(self, source_kind: str, source_id: str) -> LedgerReceipt | None:
        entry = find_booking(source_kind, source_id)
        return None if entry is None else _receipt(entry, created=False)


def _receipt(entry: JournalEntry, *, created: bool = True) -> LedgerReceipt:
    return LedgerReceipt(external_id=entry.number, entry=entry, created=created)


def get_connector() -> LedgerConnector:
    """Return an instance of the connector that FIAT_LEDGER_CONNECTOR names."""
    path = getattr(settings, "FIAT_LEDGER_CONNECTOR", DEFAULT_CONNECTOR)
    try:
        connector_class = import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(
            f"FIAT_LEDGER_CONNECTOR {path!r} cannot be imported ({error}). Set "
            f"it to the dotted path of a connector class, such as "
            f"{DEFAULT_CONNECTOR!r}."
        ) from error
    return connector_class()
