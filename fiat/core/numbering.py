"""Gap-free numbering sequences, such as sales invoice numbers per year.

Dutch and EU invoicing rules require invoice numbers in one unbroken series.
A number is taken inside the caller's transaction: if that transaction rolls
back, so does the counter, so no number is ever lost or used twice. The
sequence row is locked while the number is taken, so concurrent callers queue
on PostgreSQL (the upsert below locks the row); on SQLite the write lock that
``transaction_mode = IMMEDIATE`` takes at the start of every transaction does
the same.
"""

from django.db import connection, transaction
from django.utils import timezone

# Create the sequence at 1, or add one to it, in one statement that locks the
# sequence row until the caller's transaction ends.
_TAKE_NEXT_SQL = (
    "INSERT INTO core_numbersequence (name, period, last_number, created_at) "
    "VALUES (%s, %s, 1, %s) ON CONFLICT (name, period) "
    "DO UPDATE SET last_number = core_numbersequence.last_number + 1 "
    "RETURNING last_number"
)


class NotInTransactionError(RuntimeError):
    """Raised when a number is taken outside a transaction."""


def next_number(name: str, period: str = "") -> int:
    """Take the next number of the sequence ``name`` in ``period``.

    Must be called inside ``transaction.atomic()`` together with the write
    that uses the number; otherwise a failure after taking it leaves a gap.
    """
    if not transaction.get_connection().in_atomic_block:
        raise NotInTransactionError(
            f"next_number({name!r}) must run inside transaction.atomic() with "
            "the write that uses the number, or a rollback would leave a gap."
        )
    with connection.cursor() as cursor:
        created_at = connection.ops.adapt_datetimefield_value(timezone.now())
        cursor.execute(_TAKE_NEXT_SQL, [name, period, created_at])
        return cursor.fetchone()[0]


def format_number(prefix: str, period: str, number: int, width: int = 5) -> str:
    """Format a number for display, such as ``F2026-00042``."""
    separator = "-" if period else ""
    return f"{prefix}{period}{separator}{number:0{width}d}"
