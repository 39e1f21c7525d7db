"""When a periodic job is due: schedules that turn time into slots.

A slot is the instant a run of a job belongs to, as an aware datetime in UTC.
The scheduler claims each slot once, so a schedule returns the same datetime
for a slot whatever instant the computation starts from.

``Every`` counts fixed intervals from the Unix epoch in UTC, so "every 15
minutes" always falls on :00, :15, :30 and :45 whatever the time zone.
``Daily`` and ``Weekly`` follow the wall clock of a time zone (the company's
``TIME_ZONE`` by default), so 09:00 in Europe/Amsterdam stays 09:00 local
across the change to and from summer time. A wall-clock time that does not
exist on the day of the spring change (02:30 in Amsterdam) runs one hour later
in summer time, and one that occurs twice in autumn runs at its first
occurrence. Both follow from ``zoneinfo`` with ``fold=0``.
"""

import enum
from abc import ABC, abstractmethod
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext, ngettext

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_MICROSECOND = timedelta(microseconds=1)


class CatchUp(enum.Enum):
    """Policy for the slots a job missed while no scheduler was running."""

    ALL = "all"
    LATEST = "latest"


def _require_aware(instant: datetime) -> None:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(
            f"Naive datetime {instant.isoformat()} given; pass an aware "
            "datetime such as django.utils.timezone.now()."
        )


class Schedule(ABC):
    """The instants at which a periodic job is due."""

    @abstractmethod
    def latest_slot(self, at: datetime) -> datetime:
        """Return the most recent slot at or before ``at``."""

    @abstractmethod
    def next_slot(self, after: datetime) -> datetime:
        """Return the first slot strictly after ``after``."""

    @abstractmethod
    def describe(self) -> str:
        """Return the schedule in words, in the active language."""

    def previous_slot(self, before: datetime) -> datetime:
        """Return the most recent slot strictly before ``before``."""
        return self.latest_slot(before - _ONE_MICROSECOND)

    def slots_between(self, after: datetime, until: datetime) -> Iterator[datetime]:
        """Yield the slots in ``(after, until]`` in order, oldest first."""
        _require_aware(until)
        slot = self.next_slot(after)
        while slot <= until:
            yield slot
            slot = self.next_slot(slot)

    def __str__(self) -> str:
        return self.describe()


class Every(Schedule):
    """Fixed intervals counted from 1970-01-01 00:00 UTC."""

    def __init__(self, interval: timedelta) -> None:
        if interval <= timedelta(0):
            raise ValueError(
                f"Interval {interval} is not positive; pass a positive timedelta."
            )
        self.interval = interval

    def latest_slot(self, at: datetime) -> datetime:
        _require_aware(at)
        return EPOCH + ((at - EPOCH) // self.interval) * self.interval

    def next_slot(self, after: datetime) -> datetime:
        return self.latest_slot(after) + self.interval

    def describe(self) -> str:
        seconds = self.interval.total_seconds()
        if seconds % 86_400 == 0:
            days = int(seconds // 86_400)
            return ngettext("every day", "every %(count)d days", days) % {"count": days}
        if seconds % 3_600 == 0:
            hours = int(seconds // 3_600)
            return ngettext("every hour", "every %(count)d hours", hours) % {
                "count": hours
            }
        if seconds % 60 == 0:
            minutes = int(seconds // 60)
            return ngettext("every minute", "every %(count)d minutes", minutes) % {
                "count": minutes
            }
        return gettext("every %(interval)s") % {"interval": self.interval}

    def __repr__(self) -> str:
        return f"Every({self.interval!r})"


def _company_time_zone() -> ZoneInfo:
    from django.conf import settings

    return ZoneInfo(settings.TIME_ZONE)


class _WallClockSchedule(Schedule):
    """A schedule at a wall-clock time on some days, in one time zone."""

    # The maximum number of days from one slot to the next, which bounds the
    # day-by-day search.
    max_days_between_slots = 1

    def __init__(self, at: time, tz: tzinfo | str | None = None) -> None:
        if at.tzinfo is not None:
            raise ValueError(
                f"Time {at.isoformat()} carries a time zone; pass a naive time "
                "and the zone as tz."
            )
        self.at = at
        if tz is None:
            tz = _company_time_zone()
        self.tz = ZoneInfo(tz) if isinstance(tz, str) else tz

    @abstractmethod
    def runs_on(self, day: date) -> bool:
        """Tell whether the local calendar day ``day`` has a slot."""

    def slot_on(self, day: date) -> datetime:
        """Return the UTC instant of ``at`` on the local day ``day``."""
        return datetime.combine(day, self.at, tzinfo=self.tz).astimezone(UTC)

    def latest_slot(self, at: datetime) -> datetime:
        _require_aware(at)
        day = at.astimezone(self.tz).date()
        for offset in range(self.max_days_between_slots + 2):
            candidate_day = day - timedelta(days=offset)
            if self.runs_on(candidate_day) and self.slot_on(candidate_day) <= at:
                return self.slot_on(candidate_day)
        raise AssertionError(f"No slot found within a period before {at}.")

    def next_slot(self, after: datetime) -> datetime:
        _require_aware(after)
        day = after.astimezone(self.tz).date()
        for offset in range(self.max_days_between_slots + 2):
            candidate_day = day + timedelta(days=offset)
            if self.runs_on(candidate_day) and self.slot_on(candidate_day) > after:
                return self.slot_on(candidate_day)
        raise AssertionError(f"No slot found within a period after {after}.")

    def _wall_clock(self) -> dict[str, str]:
        return {"time": self.at.isoformat(timespec="minutes"), "zone": str(self.tz)}


class Daily(_WallClockSchedule):
    """Every day at a wall-clock time in a time zone."""

    def runs_on(self, day: date) -> bool:
        return True

    def describe(self) -> str:
        return gettext("daily at %(time)s (%(zone)s)") % self._wall_clock()

    def __repr__(self) -> str:
        return f"Daily({self.at!r}, tz={str(self.tz)!r})"


class Weekly(_WallClockSchedule):
    """One day a week at a wall-clock time; ``weekday`` 0 is Monday."""

    max_days_between_slots = 7

    def __init__(self, weekday: int, at: time, tz: tzinfo | str | None = None) -> None:
        if weekday not in range(7):
            raise ValueError(
                f"Weekday {weekday} is invalid; use 0 (Monday) to 6 (Sunday), "
                "as in calendar.MONDAY to calendar.SUNDAY."
            )
        super().__init__(at, tz)
        self.weekday = weekday

    def runs_on(self, day: date) -> bool:
        return day.weekday() == self.weekday

    def describe(self) -> str:
        return gettext("weekly on %(weekday)s at %(time)s (%(zone)s)") % {
            "weekday": WEEKDAYS[self.weekday],
            **self._wall_clock(),
        }

    def __repr__(self) -> str:
        return f"Weekly({self.weekday}, {self.at!r}, tz={str(self.tz)!r})"
