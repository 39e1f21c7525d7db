"""Recording audit events: the write side of the per-object chains.

``record_event`` appends an event to the chain of one object. It takes no
lock: it reads the object's last event and inserts the next sequence number
with ``ON CONFLICT DO NOTHING``, so that the unique (object_type, object_id,
sequence) constraint turns the insert of the second of two writers that read
the same last event into no row, without an error that would abort the
caller's transaction. That writer reads the chain again and retries. On
PostgreSQL this needs the default READ COMMITTED isolation, where the retry
reads the winner's event.

Both statements are plain SQL, because an approval records several events in
one request and the ORM's query building was most of their cost. Within one
transaction, the chain's last event is remembered after each insert, so a
second event on the same object needs no read (see _remember_tip).
"""

import json
import logging
import threading
from collections.abc import Mapping
from datetime import UTC, datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
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
    created: bool = False,
) -> AuditEvent:
    """Append an event to the chain of ``subject`` and return it.

    ``subject`` is a saved model instance or an (object_type, object_id) pair
    such as ("purchases.invoice", 77). The event is written in a savepoint of
    the caller's transaction, so it commits or rolls back with the change.
    ``actor_label`` defaults to the actor's full name, or "system" when there
    is no actor. ``amounts`` maps names to Decimal, int or decimal-string
    amounts and "currency" (or "*_currency") to an ISO 4217 code. ``at``
    defaults to now. ``created=True`` says that ``subject`` was created in
    this transaction, so its chain is taken to be empty without reading it.

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
    object_type, object_id = identify_subject(subject)
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
    return _append_to_chain(fields, created=created)


def _append_to_chain(fields: dict, *, created: bool = False) -> AuditEvent:
    """Insert the event after the chain's last one, retrying if another wins.

    The first attempt follows the tip this transaction remembers, or the
    empty chain of a ``created`` subject, without reading the chain. When
    that guess is wrong, the sequence number is taken and the insert adds no
    row, so the next attempt reads the chain.
    """
    object_type, object_id = fields["object_type"], fields["object_id"]
    action = fields["action"]
    guess = (1, GENESIS_HASH) if created else _remembered_tip(object_type, object_id)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        if attempt == 1 and guess is not None:
            sequence, previous_hash = guess
        else:
            sequence, previous_hash = _chain_tip(object_type, object_id)
        event = _insert_event(fields, sequence, previous_hash)
        if event is not None:
            _remember_tip(event)
            return event
        logger.info(
            "Sequence %d of audit chain %s %s was taken by another writer "
            "(attempt %d of %d for %s)",
            sequence, object_type, object_id, attempt, MAX_ATTEMPTS, action,
        )  # fmt: skip
    raise AuditConflictError(
        f"Audit event {action} for {object_type} {object_id} was not recorded: "
        f"other writers took the next sequence number {MAX_ATTEMPTS} times in a "
        "row. Retry the change."
    )


def identify_subject(subject: Subject) -> tuple[str, str]:
    """Return the (object_type, object_id) of a chain, as events store them."""
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


# The chain's last event, and the insert of the next one. The insert adds no
# row when another writer took the sequence number, and raises no error.
_CHAIN_TIP_SQL = (
    "SELECT sequence, hash FROM audit_auditevent "
    "WHERE object_type = %s AND object_id = %s ORDER BY sequence DESC LIMIT 1"
)
_INSERTED_FIELDS = (*EVENT_HASH_FIELDS, "hash")
_INSERTED_MODEL_FIELDS = tuple(
    (name, AuditEvent._meta.get_field(name)) for name in _INSERTED_FIELDS
)
_INSERT_SQL = (
    "INSERT INTO audit_auditevent (object_type, object_id, sequence, action, "
    "actor_id, actor_label, on_behalf_of_id, occurred_at, created_at, amounts, "
    "data, previous_hash, hash) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
    "ON CONFLICT (object_type, object_id, sequence) DO NOTHING RETURNING id"
)


# The chain tips this thread's transaction wrote: (object_type, object_id)
# to the sequence and hash of the last event, and the marker that proves the
# event is still part of the transaction.
_tips = threading.local()
MAX_REMEMBERED_TIPS = 1000


def _remembered_events() -> dict:
    """Return this thread's remembered tips, made empty on first use."""
    if not hasattr(_tips, "events"):
        _tips.events = {}
    return _tips.events


def _remember_tip(event: AuditEvent) -> None:
    """Remember ``event`` as its chain's tip for the rest of the transaction.

    An on-commit callback serves as the marker: Django drops the callbacks of
    a transaction or savepoint that rolls back, so a tip whose marker is
    gone names an event that was never written. After a commit the callback
    removes the tip.
    """
    key = (event.object_type, event.object_id)
    remembered = _remembered_events()
    if len(remembered) >= MAX_REMEMBERED_TIPS:
        # Tips of transactions that rolled back are never removed by
        # their callback, so the memory is emptied now and then.
        remembered.clear()

    def remove_tip() -> None:
        entry = remembered.get(key)
        if entry is not None and entry[2] is remove_tip:
            del remembered[key]

    remembered[key] = (event.sequence, event.hash, remove_tip)
    transaction.on_commit(remove_tip)


def _remembered_tip(object_type: str, object_id: str) -> tuple[int, str] | None:
    """Return the next sequence number and previous hash this transaction
    remembers for the chain, or None."""
    remembered = _remembered_events()
    entry = remembered.get((object_type, object_id))
    if entry is None:
        return None
    sequence, event_hash, marker = entry
    pending = transaction.get_connection().run_on_commit
    if not any(callback is marker for _savepoints, callback, _robust in pending):
        del remembered[(object_type, object_id)]
        return None
    return sequence + 1, event_hash


def _chain_tip(object_type: str, object_id: str) -> tuple[int, str]:
    """Return the next sequence number of an object's chain and the hash to follow."""
    with connection.cursor() as cursor:
        cursor.execute(_CHAIN_TIP_SQL, [object_type, object_id])
        last = cursor.fetchone()
    if last is None:
        return 1, GENESIS_HASH
    return last[0] + 1, last[1]


def _insert_event(fields: dict, sequence: int, previous_hash: str) -> AuditEvent | None:
    """Insert the event as number ``sequence`` of its chain and return it.

    Return None when another writer took that sequence number first.
    """
    event = AuditEvent(
        **fields,
        sequence=sequence,
        previous_hash=previous_hash,
        created_at=timezone.now(),
    )
    event.hash = compute_event_hash(
        {name: getattr(event, name) for name in EVENT_HASH_FIELDS}
    )
    values = [
        field.get_db_prep_save(getattr(event, name), connection)
        for name, field in _INSERTED_MODEL_FIELDS
    ]
    with connection.cursor() as cursor:
        cursor.execute(_INSERT_SQL, values)
        inserted = cursor.fetchone()
    if inserted is None:
        return None
    event.pk = inserted[0]
    event._state.adding = False
    event._state.db = connection.alias
    return event
