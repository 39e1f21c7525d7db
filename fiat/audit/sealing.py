"""Sealing audit events: one chain of seals over all events.

``seal_events`` chains all events that have no seal yet into the next
``AuditSeal``. Seal sequence numbers are unique, so of two sealers running at
once only one creates the next seal and the other retries or finds nothing
left to seal. A seal takes the unsealed events in id order. On PostgreSQL an
event with a lower id can commit after a higher one was sealed, so it goes
into a later seal, and seals do not always cover disjoint id ranges.
"""

import logging
from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from fiat.audit.hashing import GENESIS_HASH, compute_seal_digest
from fiat.audit.models import AuditEvent, AuditSeal
from fiat.audit.services import MAX_ATTEMPTS, AuditConflictError

logger = logging.getLogger(__name__)

MAX_EVENTS_PER_SEAL = 10_000
# Events are linked to a new seal in batches of this many ids, which keeps
# each UPDATE under the 999 query parameters that SQLite before 3.32 allows.
_SEAL_ASSIGNMENT_BATCH_SIZE = 500


class _SealRaceError(Exception):
    """Events sealed by another sealer while this one was sealing them."""


def seal_events(
    *, at: datetime | None = None, max_events: int = MAX_EVENTS_PER_SEAL
) -> list[AuditSeal]:
    """Seal every event that has no seal yet and return the new seals, oldest first.

    Each seal covers at most ``max_events`` events and is written in its own
    transaction (a savepoint inside the caller's). ``at`` is the sealed_at
    time and defaults to now. Raise AuditConflictError when other sealers
    took the next seal MAX_ATTEMPTS times in a row.
    """
    seals = []
    while (seal := _seal_next_batch(at, max_events)) is not None:
        seals.append(seal)
    return seals


def _seal_next_batch(at: datetime | None, max_events: int) -> AuditSeal | None:
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                return _create_seal(at, max_events)
        except (IntegrityError, _SealRaceError) as error:
            conflict = error
            logger.info(
                "Another sealer sealed first: %s (attempt %d of %d)",
                error, attempt, MAX_ATTEMPTS,
            )  # fmt: skip
    raise AuditConflictError(
        f"No audit seal was created: other sealers took the next seal "
        f"{MAX_ATTEMPTS} times in a row. Run the seal again."
    ) from conflict


def _create_seal(at: datetime | None, max_events: int) -> AuditSeal | None:
    last_seal = AuditSeal.objects.order_by("-sequence").first()
    events = list(
        AuditEvent.objects.filter(seal__isnull=True)
        .order_by("id")
        .values_list("id", "hash")[:max_events]
    )
    if not events:
        return None
    sequence = last_seal.sequence + 1 if last_seal else 1
    previous_hash = last_seal.hash if last_seal else GENESIS_HASH
    sealed_at = _sealing_time(at)
    digest = compute_seal_digest(
        sequence=sequence,
        sealed_at=sealed_at,
        previous_hash=previous_hash,
        events=events,
    )
    seal = AuditSeal.objects.create(
        sequence=sequence,
        previous_hash=previous_hash,
        hash=digest.hash,
        event_count=digest.event_count,
        first_event_id=digest.first_event_id,
        last_event_id=digest.last_event_id,
        sealed_at=sealed_at,
    )
    _assign_seal(seal, [event_id for event_id, _ in events])
    logger.info(
        "Sealed %d audit events in seal %d",
        seal.event_count,
        seal.sequence,
        extra={"seal_sequence": seal.sequence, "seal_hash": seal.hash},
    )
    return seal


def _sealing_time(at: datetime | None) -> datetime:
    if at is None:
        return timezone.now()
    if timezone.is_naive(at):
        raise ValueError(f"Naive datetime {at!r}: pass an aware datetime.")
    return at.astimezone(UTC)


def _assign_seal(seal: AuditSeal, event_ids: list[int]) -> None:
    """Link the events to ``seal``; raise _SealRaceError if one has a seal."""
    assigned = 0
    for start in range(0, len(event_ids), _SEAL_ASSIGNMENT_BATCH_SIZE):
        batch = event_ids[start : start + _SEAL_ASSIGNMENT_BATCH_SIZE]
        assigned += AuditEvent.objects.filter(id__in=batch).assign_seal(seal)
    if assigned != len(event_ids):
        raise _SealRaceError(
            f"{len(event_ids) - assigned} of {len(event_ids)} events were "
            "sealed by another sealer"
        )
