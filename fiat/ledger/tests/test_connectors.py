"""The connector setting and the built-in ledger behind it."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from fiat.ledger.connectors import BuiltInLedger, LedgerReceipt, get_connector
from fiat.ledger.models import EntryPurpose, JournalEntry
from fiat.ledger.posting import EntryDraft
from fiat.ledger.tests.factories import SOURCE_KIND, office_supplies_draft


class ExternalLedger:
    """A connector in the shape of an accounting package's API client."""

    def book(self, draft: EntryDraft, *, actor) -> LedgerReceipt:
        return LedgerReceipt(external_id=f"EXT-{draft.source_id}")

    def reverse(self, external_id, *, actor, reason):
        return LedgerReceipt(external_id=f"{external_id}-R")

    def find_booking(self, source_kind, source_id):
        return None


def test_default_connector_is_built_in(settings):
    assert settings.FIAT_LEDGER_CONNECTOR == "fiat.ledger.connectors.BuiltInLedger"
    assert isinstance(get_connector(), BuiltInLedger)


def test_setting_chooses_connector(settings):
    settings.FIAT_LEDGER_CONNECTOR = f"{__name__}.ExternalLedger"

    assert isinstance(get_connector(), ExternalLedger)


def test_unknown_connector_is_configuration_error(settings):
    settings.FIAT_LEDGER_CONNECTOR = "fiat.ledger.connectors.NoSuchLedger"

    with pytest.raises(ImproperlyConfigured, match="NoSuchLedger"):
        get_connector()


@pytest.mark.django_db
def test_built_in_receipt_names_entry(accounts):
    receipt = BuiltInLedger().book(office_supplies_draft(accounts), actor=None)

    assert receipt.external_id == "2026-000001"
    assert receipt.entry == JournalEntry.objects.get(number="2026-000001")
    assert receipt.created is True


@pytest.mark.django_db
def test_built_in_booking_is_idempotent(accounts):
    ledger = BuiltInLedger()
    first = ledger.book(office_supplies_draft(accounts), actor=None)

    second = ledger.book(office_supplies_draft(accounts), actor=None)

    assert second.external_id == first.external_id
    assert second.created is False
    assert JournalEntry.objects.count() == 1


@pytest.mark.django_db
def test_built_in_finds_booking(accounts):
    ledger = BuiltInLedger()
    assert ledger.find_booking(SOURCE_KIND, "7") is None
    ledger.book(office_supplies_draft(accounts), actor=None)

    found = ledger.find_booking(SOURCE_KIND, "7")

    assert found.external_id == "2026-000001"
    assert found.created is False


@pytest.mark.django_db
def test_built_in_reverses_by_number(accounts):
    ledger = BuiltInLedger()
    booked = ledger.book(office_supplies_draft(accounts), actor=None)

    reversal = ledger.reverse(booked.external_id, actor=None, reason="Wrong supplier")

    assert reversal.external_id == "2026-000002"
    assert reversal.entry.purpose == EntryPurpose.REVERSAL
    assert reversal.entry.reverses == booked.entry
