"""Business dates in the company's time zone.

Datetimes are stored in UTC. A business date (invoice date, due date, booking
date) is the calendar date in the company's time zone (Django's TIME_ZONE) at
that instant: a document received at 23:30 on 30 June in Amsterdam is dated
30 June, although it is already 1 July nowhere and 21:30 in UTC.
"""

from datetime import date, datetime

from django.utils import timezone


class NaiveDatetimeError(ValueError):
    """Raised for a datetime without time zone where an instant is needed."""


def now() -> datetime:
    """Return the current instant; the one clock that tests can replace."""
    return timezone.now()


def business_date(at: datetime | None = None) -> date:
    """Return the company-time-zone date of the instant ``at`` (default now)."""
    at = now() if at is None else at
    if timezone.is_naive(at):
        raise NaiveDatetimeError(
            f"{at.isoformat()} has no time zone; pass an aware datetime."
        )
    return timezone.localtime(at, timezone.get_default_timezone()).date()
