"""Business dates follow the company's time zone, not UTC."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from fiat.core.dates import NaiveDatetimeError, business_date

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@override_settings(TIME_ZONE="Europe/Amsterdam")
def test_late_evening_in_amsterdam_is_same_day():
    created_at = datetime(2026, 6, 30, 23, 30, tzinfo=AMSTERDAM)

    assert business_date(created_at).isoformat() == "2026-06-30"


@override_settings(TIME_ZONE="Europe/Amsterdam")
def test_after_midnight_in_amsterdam_is_next_day():
    created_at = datetime(2026, 7, 1, 0, 30, tzinfo=AMSTERDAM)

    assert business_date(created_at).isoformat() == "2026-07-01"


@override_settings(TIME_ZONE="Europe/Amsterdam")
def test_utc_instant_is_dated_in_company_zone():
    # 22:30 UTC on 30 June is 00:30 on 1 July in Amsterdam (CEST, UTC+2).
    created_at = datetime(2026, 6, 30, 22, 30, tzinfo=UTC)

    assert business_date(created_at).isoformat() == "2026-07-01"


def test_naive_datetime_is_rejected():
    with pytest.raises(NaiveDatetimeError):
        business_date(datetime(2026, 6, 30, 23, 30))  # noqa: DTZ001
