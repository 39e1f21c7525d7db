"""Exchange rates: the latest rate on or before a date, or a clear error."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from fiat.core.exchange import MissingExchangeRateError, rate_on, to_company_currency
from fiat.core.models import ExchangeRate


@pytest.fixture
def usd_rates(db):
    ExchangeRate.objects.create(
        currency="USD", rate_date=date(2026, 1, 2), rate=Decimal("0.91")
    )
    ExchangeRate.objects.create(
        currency="USD", rate_date=date(2026, 1, 5), rate=Decimal("0.92")
    )


def test_rate_on_exact_day(usd_rates):
    assert rate_on("USD", date(2026, 1, 5)).rate == Decimal("0.92")


def test_weekend_uses_friday_rate(usd_rates):
    assert rate_on("USD", date(2026, 1, 4)).rate == Decimal("0.91")


def test_no_rate_before_date_is_an_error(usd_rates):
    with translation.override("en"), pytest.raises(MissingExchangeRateError) as raised:
        rate_on("USD", date(2026, 1, 1))

    assert raised.value.currency == "USD"
    assert str(raised.value) == (
        "No exchange rate for USD on or before 2026-01-01. "
        "Add one under Exchange rates in the admin."
    )


def test_missing_rate_message_in_dutch(usd_rates):
    with translation.override("nl"), pytest.raises(MissingExchangeRateError) as raised:
        rate_on("USD", date(2026, 1, 1))

    assert "Geen wisselkoers voor USD" in str(raised.value)


def test_unknown_currency_is_an_error(usd_rates):
    with pytest.raises(MissingExchangeRateError):
        rate_on("GBP", date(2026, 1, 5))


def test_conversion_rounds_half_up(usd_rates):
    # 100.05 * 0.92 = 92.046, so 92.05
    converted = to_company_currency(Decimal("100.05"), "USD", date(2026, 1, 5))

    assert converted == Decimal("92.05")


@pytest.mark.django_db
def test_company_currency_needs_no_rate():
    converted = to_company_currency("12.5", "EUR", date(2026, 1, 5))

    assert converted == Decimal("12.50")
