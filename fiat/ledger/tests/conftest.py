"""Fixtures of the ledger tests."""

import pytest

from fiat.ledger.models import Account
from fiat.ledger.tests.factories import install_chart


@pytest.fixture
def accounts(db) -> dict[str, Account]:
    """Return the Dutch default accounts by code."""
    return install_chart()
