"""Recording audit events: the write side of the per-object chains.

``record_event`` appends an event to the chain of one object. It takes no
lock: it reads the object's last event and inserts the next sequence number,
and the unique (object_type, object_id, sequence) constraint rejects the
second of two writers that read the same last event. That writer retries in
a savepoint, so the caller's transaction carries on. On PostgreSQL this needs
the default READ COMMITTED isolation, where the retry reads the winner's event.
"""

import json
import logging
from collections.abc import Mapping
from datetime import UTC, datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from fiat.audit.hashing import (
    EVENT_HASH_FIELDS,
    GENESIS_HASH,
    compute_event_hash,
)
from fiat.audit.models import AuditEvent
from fiat.core.money import currency_exponent, to_decimal

logger = logging.getLogger(__name__)

SYSTEM_ACTOR_LABEL = "system"
# How often record_event and seal_events try again after losing a race for
# the next sequence number before they raise AuditConflictError.
MAX_ATTEMPTS = 5

Subject = models.Model | tuple[str, object]


class AuditConflictError(Exception):
    """A write that lost the race for the next sequence MAX_ATTEMPTS times.

    Raised by record_event and by fiat.audit.sealing.seal_events.
    """


class NotInTransactionError(RuntimeError):
    """An audit event recorded outside the transaction of its state change."""


def record_event(
    subject: Subject,
    action: str,
    *,
    actor: models.Model | None = None,
    on_behalf_of: models.Model | None = None,
    actor_label: str | None = None,
    amounts: Mapping[str, object] | None = None,
    data: Mapping[str, object] | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Append an event to the chain of ``subject`` and return it.

    ``subject`` is a saved model instance or an (object_type, object_id) pair
    such as ("purchases.invoice", 77). The event is written in a savepoint of
    the caller's transaction, so it commits or rolls back with the change.
    ``actor_label`` defaults to the actor's full name, or "system" when there
    is no actor. ``amounts`` maps names to Decimal, int or decimal-string
    amounts and "currency" (or "*_currency") to an ISO 4217 code. ``at``
    defaults to now.

    Raise NotInTransactionError outside ``transaction.atomic()``, TypeError
    for a float in ``amounts`` or ``data``, ValueError for a naive ``at``, and
    AuditConflictError when other writers took the next sequence number
    MAX_ATTEMPTS times in a row.
    """
    if not transaction.get_connection().in_atomic_block:
        raise NotInTransactionError(
            f"record_event({action!r}) must run inside transaction.atomic() "
            "with the change it records, so that both commit or neither does."
        )
    object_type, object_id = _identify(subject)
    fields = {
        "object_type": object_type,
        "object_id": object_id,
        "action": action,
        "actor": actor,
        "actor_label": actor_label or _name_of(actor),
        "on_behalf_of": on_behalf_of,
        "occurred_at": _to_utc(at or timezone.now()),
        "amounts": _normalise_amounts(amounts or {}),
        "data": _normalise_data(data or {}),
    }
    return _append_to_chain(fields)


def _append_to_chain(fields: dict) -> AuditEvent:
    """Insert the event after the chain's last one, retrying if another wins."""
    object_type, object_id = fields["object_type"], fields["object_id"]
    action = fields["action"]
    for attempt in range(1, MAX_ATTEMPTS + 1):
        sequence, previous_hash = _chain_tip(object_type, object_id)
        try:
            with transaction.atomic():
                return _insert_event(fields, sequence, previous_hash)
        except IntegrityError as error:
            if not _sequence_taken(object_type, object_id, sequence):
                raise
            conflict = error
            logger.info(
                "Sequence %d of audit chain %s %s was taken by another writer "
                "(attempt %d of %d for %s)",
                sequence, object_type, object_id, attempt, MAX_ATTEMPTS, action,
            )  # fmt: skip
    raise AuditConflictError(
        f"Audit event {action} for {object_type} {object_id} was not recorded: "
        f"other writers took the next sequence number {MAX_ATTEMPTS} times in a "
        "row. Retry the change."
    ) from conflict


def _identify(subject: Subject) -> tuple[str, str]:
    if isinstance(subject, models.Model):
        if subject.pk is None:
            raise ValueError(
                f"Unsaved {subject._meta.label_lower} has no id: save it before "
                "recording an audit event for it."
            )
        return subject._meta.label_lower, str(subject.pk)
    object_type, object_id = subject
    if not object_type or object_id in (None, ""):
        raise ValueError(
            f"Invalid audit subject {subject!r}: expected (object_type, "
            "object_id) such as ('purchases.invoice', 77)."
        )
    return str(object_type), str(object_id)


def _name_of(actor: models.Model | None) -> str:
    if actor is None:
        return SYSTEM_ACTOR_LABEL
    return actor.get_full_name() or actor.get_username()


def _to_utc(moment: datetime) -> datetime:
    if timezone.is_naive(moment):
        raise ValueError(f"Naive datetime {moment!r}: pass an aware datetime.")
    return moment.astimezone(UTC)


def _normalise_amounts(amounts: Mapping[str, object]) -> dict[str, str | None]:
    """Return amounts as decimal strings and currency codes, as stored."""
    normalised = {}
    for name, value in amounts.items():
        key = str(name)
        if key == "currency" or key.endswith("_currency"):
            currency_exponent(value)  # raises InvalidCurrencyError
            normalised[key] = value
        elif value is None:
            normalised[key] = None
        else:
            normalised[key] = format(to_decimal(value), "f")
    return normalised


def _normalise_data(data: Mapping[str, object]) -> dict:
    """Return ``data`` as the database gives it back: JSON types, no floats.

    Decimal, datetime, date and UUID values become strings, the way
    DjangoJSONEncoder writes them.
    """
    if not isinstance(data, Mapping):
        raise TypeError(f"Audit data must be a dict, not {type(data).__name__}.")
    text = json.dumps(data, cls=DjangoJSONEncoder)
    return json.loads(text, parse_float=_reject_float)


def _reject_float(text: str) -> None:
    raise TypeError(
        f"Float {text} in audit data: pass a Decimal or a string, because a "
        "float does not survive a database round trip exactly."
    )


def _chain_tip(object_type: str, object_id: str) -> tuple[int, str]:
    """Return the next sequence number of an object's chain and the hash to follow."""
    last = (
        AuditEvent.objects.filter(object_type=object_type, object_id=object_id)
        .order_by("-sequence")
        .values("sequence", "hash")
        .first()
    )
    if last is None:
        return 1, GENESIS_HASH
    return last["sequence"] + 1, last["hash"]


def _sequence_taken(object_type: str, object_id: str, sequence: int) -> bool:
    return AuditEvent.objects.filter(
        object_type=object_type, object_id=object_id, sequence=sequence
    ).exists()


def _insert_event(fields: dict, sequence: int, previous_hash: str) -> AuditEvent:
    event = AuditEvent(
        **fields,
        sequence=sequence,
        previous_hash=previous_hash,
        created_at=timezone.now(),
    )
    event.hash = compute_event_hash(
        {name: getattr(event, name) for name in EVENT_HASH_FIELDS}
    )
    event.save()
    return event
