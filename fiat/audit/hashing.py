"""Hashes of audit events and seals, computed from plain values.

An event's hash is the SHA-256 of a canonical JSON text of its recorded
fields, ``previous_hash`` included, so each event commits to the whole chain
of its object before it. A seal's hash covers the previous seal's hash and the
id and hash of every event it seals, so the seals chain all events together.

Canonical JSON means sorted keys, no spaces, UTF-8 without escapes and no
floats. Timestamps are written in UTC with microseconds, because the database
gives back an aware datetime whose time zone may differ from the one stored.
The functions here take values, not models, so the recording side and the
verifying side cannot drift apart.
"""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

# The previous_hash of the first event of an object and of the first seal.
GENESIS_HASH = "0" * 64

# The event fields that its hash covers, in the names of the model's columns.
EVENT_HASH_FIELDS = (
    "object_type",
    "object_id",
    "sequence",
    "action",
    "actor_id",
    "actor_label",
    "on_behalf_of_id",
    "occurred_at",
    "created_at",
    "amounts",
    "data",
    "previous_hash",
)
_TIMESTAMP_FIELDS = ("occurred_at", "created_at")


def format_timestamp(moment: datetime) -> str:
    """Write an aware datetime as "2025-03-14T08:30:00.000000Z" in UTC.

    Raise ValueError for a naive datetime, whose moment in time is unknown.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"Naive datetime {moment!r}: pass an aware datetime.")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_json(value: object) -> str:
    """Write ``value`` as JSON that is byte-for-byte the same for equal values.

    Raise TypeError for a float anywhere in ``value``: JSON databases give a
    float back in another notation ("1e+20" comes back as an integer on
    PostgreSQL), which would change the hash.
    """
    _reject_floats(value)
    return json.dumps(
        value,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    )


def _reject_floats(value: object) -> None:
    if isinstance(value, float):
        raise TypeError(
            f"Float {value!r} in audit data: pass a Decimal or a string, "
            "because a float does not survive a database round trip exactly."
        )
    if isinstance(value, Mapping):
        for item in value.values():
            _reject_floats(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _reject_floats(item)


def compute_event_hash(fields: Mapping[str, object]) -> str:
    """Return the SHA-256 hex digest of an event's fields (EVENT_HASH_FIELDS).

    Raise KeyError when one of those fields is missing from ``fields``.
    """
    payload = {name: fields[name] for name in EVENT_HASH_FIELDS}
    for name in _TIMESTAMP_FIELDS:
        payload[name] = format_timestamp(payload[name])
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SealDigest:
    """The hash of a seal and a summary of the events it covers."""

    hash: str
    event_count: int
    first_event_id: int | None
    last_event_id: int | None


def compute_seal_digest(
    *,
    sequence: int,
    sealed_at: datetime,
    previous_hash: str,
    events: Iterable[tuple[int, str]],
) -> SealDigest:
    """Hash a seal's header and its events' (id, hash) pairs, in the order given.

    Callers pass the events ordered by id. ``events`` is read once, so a
    database iterator of any length works without holding it in memory.
    """
    digest = hashlib.sha256()
    header = f"{sequence}\n{format_timestamp(sealed_at)}\n{previous_hash}\n"
    digest.update(header.encode())
    event_count = 0
    first_event_id = last_event_id = None
    for event_id, event_hash in events:
        digest.update(f"{event_id} {event_hash}\n".encode())
        event_count += 1
        if first_event_id is None:
            first_event_id = event_id
        last_event_id = event_id
    return SealDigest(digest.hexdigest(), event_count, first_event_id, last_event_id)
