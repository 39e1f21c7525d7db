"""Schedules turn time into slots: epoch-aligned intervals and wall-clock times."""

import calendar
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from fiat.scheduler.schedules import Daily, Every, Weekly

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_every_aligns_slots_to_epoch():
    schedule = Every(timedelta(minutes=15))

    slots = list(schedule.slots_between(utc(2026, 5, 4, 10, 7), utc(2026, 5, 4, 11, 0)))

    assert slots == [
        utc(2026, 5, 4, 10, 15),
        utc(2026, 5, 4, 10, 30),
        utc(2026, 5, 4, 10, 45),
        utc(2026, 5, 4, 11, 0),
    ]


def test_every_aligns_odd_interval_to_epoch():
    # 2026-05-04 00:00 UTC is 20_577 days after the epoch, and 20_577 * 1440
    # minutes leave a remainder of 6 when divided by 7.
    schedule = Every(timedelta(minutes=7))

    latest = schedule.latest_slot(utc(2026, 5, 4, 0, 0))

    assert latest == utc(2026, 5, 3, 23, 54)


def test_every_slot_instant_is_its_own_latest_slot():
    schedule = Every(timedelta(hours=1))

    assert schedule.latest_slot(utc(2026, 5, 4, 9, 0)) == utc(2026, 5, 4, 9, 0)
    assert schedule.next_slot(utc(2026, 5, 4, 9, 0)) == utc(2026, 5, 4, 10, 0)
    assert schedule.previous_slot(utc(2026, 5, 4, 9, 0)) == utc(2026, 5, 4, 8, 0)


def test_every_accepts_other_time_zones():
    schedule = Every(timedelta(hours=1))

    latest = schedule.latest_slot(datetime(2026, 5, 4, 11, 30, tzinfo=AMSTERDAM))

    assert latest == utc(2026, 5, 4, 9, 0)


def test_every_rejects_zero_interval():
    with pytest.raises(ValueError, match="not positive"):
        Every(timedelta(0))


def test_schedule_rejects_naive_datetime():
    with pytest.raises(ValueError, match="Naive datetime"):
        Every(timedelta(hours=1)).latest_slot(datetime(2026, 5, 4, 9, 0))  # noqa: DTZ001


def test_daily_keeps_local_time_across_spring_change():
    schedule = Daily(time(9, 0), tz="Europe/Amsterdam")

    slots = list(schedule.slots_between(utc(2026, 3, 27, 12), utc(2026, 3, 31, 12)))

    assert slots == [
        utc(2026, 3, 28, 8, 0),
        utc(2026, 3, 29, 7, 0),
        utc(2026, 3, 30, 7, 0),
        utc(2026, 3, 31, 7, 0),
    ]
    assert {slot.astimezone(AMSTERDAM).time() for slot in slots} == {time(9, 0)}


def test_daily_keeps_local_time_across_autumn_change():
    schedule = Daily(time(9, 0), tz="Europe/Amsterdam")

    slots = list(schedule.slots_between(utc(2026, 10, 23, 12), utc(2026, 10, 26, 12)))

    assert slots == [
        utc(2026, 10, 24, 7, 0),
        utc(2026, 10, 25, 8, 0),
        utc(2026, 10, 26, 8, 0),
    ]
    assert {slot.astimezone(AMSTERDAM).time() for slot in slots} == {time(9, 0)}


def test_daily_time_skipped_in_spring_runs_hour_later():
    schedule = Daily(time(2, 30), tz="Europe/Amsterdam")

    slot = schedule.next_slot(utc(2026, 3, 28, 12))

    assert slot == utc(2026, 3, 29, 1, 30)
    assert slot.astimezone(AMSTERDAM).time() == time(3, 30)


def test_daily_time_repeated_in_autumn_runs_once():
    schedule = Daily(time(2, 30), tz="Europe/Amsterdam")

    slots = list(schedule.slots_between(utc(2026, 10, 24, 12), utc(2026, 10, 25, 12)))

    assert slots == [utc(2026, 10, 25, 0, 30)]


def test_daily_uses_company_time_zone_by_default(settings):
    settings.TIME_ZONE = "Europe/Amsterdam"

    schedule = Daily(time(9, 0))

    assert schedule.next_slot(utc(2026, 7, 1, 0)) == utc(2026, 7, 1, 7, 0)


def test_daily_latest_slot_before_todays_time_is_yesterday():
    schedule = Daily(time(9, 0), tz="Europe/Amsterdam")

    latest = schedule.latest_slot(utc(2026, 3, 29, 6, 59))

    assert latest == utc(2026, 3, 28, 8, 0)


def test_daily_rejects_time_with_zone():
    with pytest.raises(ValueError, match="carries a time zone"):
        Daily(time(9, 0, tzinfo=UTC))


def test_weekly_runs_on_its_weekday_only():
    schedule = Weekly(calendar.MONDAY, time(9, 0), tz="Europe/Amsterdam")

    slots = list(schedule.slots_between(utc(2026, 3, 18), utc(2026, 4, 7)))

    assert slots == [
        utc(2026, 3, 23, 8, 0),
        utc(2026, 3, 30, 7, 0),
        utc(2026, 4, 6, 7, 0),
    ]


def test_weekly_latest_and_next_slot_around_week():
    schedule = Weekly(calendar.FRIDAY, time(17, 30), tz="Europe/Amsterdam")
    wednesday = utc(2026, 10, 28, 12)

    assert schedule.latest_slot(wednesday) == utc(2026, 10, 23, 15, 30)
    assert schedule.next_slot(wednesday) == utc(2026, 10, 30, 16, 30)


def test_weekly_rejects_invalid_weekday():
    with pytest.raises(ValueError, match="Weekday 7 is invalid"):
        Weekly(7, time(9, 0), tz="Europe/Amsterdam")


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        (Every(timedelta(minutes=1)), "every minute"),
        (Every(timedelta(minutes=15)), "every 15 minutes"),
        (Every(timedelta(hours=2)), "every 2 hours"),
        (Every(timedelta(days=1)), "every day"),
        (Every(timedelta(seconds=90)), "every 0:01:30"),
        (Daily(time(3, 0), tz="Europe/Amsterdam"), "daily at 03:00 (Europe/Amsterdam)"),
        (
            Weekly(calendar.MONDAY, time(9, 0), tz="UTC"),
            "weekly on Monday at 09:00 (UTC)",
        ),
    ],
)
def test_schedule_description_in_english(schedule, expected):
    with translation.override("en"):
        description = schedule.describe()

    assert description == expected
