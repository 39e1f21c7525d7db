"""Gap-free numbering sequences, such as sales invoice numbers per year.

Dutch and EU invoicing rules require invoice numbers in one unbroken series.
A number is taken inside the caller's transaction: if that transaction rolls
back, so does the counter, so no number is ever lost or used twice. The
sequence row is locked while the number is taken, so concurrent callers queue
on PostgreSQL (SELECT ... FOR UPDATE); on SQLite the write lock that
``transaction_mode = IMMEDIATE`` takes at the start of every transaction does
the same.
"""

from django.db import IntegrityError, transaction
from django.db.models import F

from fiat.core.models import NumberSequence


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
    _ensure_sequence(name, period)
    sequence = NumberSequence.objects.select_for_update().get(
        name=name, period=period
    )
    NumberSequence.objects.filter(pk=sequence.pk).update(
        last_number=F("last_number") + 1
    )
    return sequence.last_number + 1


def _ensure_sequence(name: str, period: str) -> None:
    """Create the sequence row if missing; a concurrent creator may win."""
    if NumberSequence.objects.filter(name=name, period=period).exists():
        return
    try:
        with transaction.atomic():
            NumberSequence.objects.create(name=name, period=period)
    except IntegrityError:
        pass


def format_number(prefix: str, period: str, number: int, width: int = 5) -> str:
    """Format a number for display, such as ``F2026-00042``."""
    separator = "-" if period else ""
    return f"{prefix}{period}{separator}{number:0{width}d}"
