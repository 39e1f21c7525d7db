"""Event and seal hashes: canonical JSON and fixed values.

The pinned digests guard the hash format itself: a change to it would make
every stored trail fail verification.
"""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from fiat.audit.hashing import (
    GENESIS_HASH,
    canonical_json,
    compute_event_hash,
    compute_seal_digest,
    format_timestamp,
)

SUBMITTED_EVENT = {
    "object_type": "purchases.invoice",
    "object_id": "77",
    "sequence": 2,
    "action": "invoice.submitted",
    "actor_id": 5,
    "actor_label": "Daan de Vries",
    "on_behalf_of_id": None,
    "occurred_at": datetime(2025, 3, 14, 9, 30, tzinfo=UTC),
    "created_at": datetime(2025, 3, 14, 9, 30, 0, 250000, tzinfo=UTC),
    "amounts": {"total_gross_amount": "1210.00", "currency": "EUR"},
    "data": {"comment": "Geëxporteerd, € 1.210,00"},
    "previous_hash": GENESIS_HASH,
}


def test_canonical_json_sorts_keys_without_spaces():
    text = canonical_json({"b": [1, "é"], "a": {"d": None, "c": True}})

    assert text == '{"a":{"c":true,"d":null},"b":[1,"é"]}'


def test_canonical_json_rejects_nested_float():
    with pytest.raises(TypeError, match=r"Float 0\.21"):
        canonical_json({"lines": [{"vat_rate": 0.21}]})


def test_timestamp_written_in_utc_with_microseconds():
    amsterdam_winter = timezone(timedelta(hours=1))

    text = format_timestamp(datetime(2025, 3, 14, 10, 30, 0, 5, amsterdam_winter))

    assert text == "2025-03-14T09:30:00.000005Z"


def test_timestamp_rejects_naive_datetime():
    with pytest.raises(ValueError, match="Naive datetime"):
        format_timestamp(datetime(2025, 3, 14, 9, 30))  # noqa: DTZ001


def test_event_hash_is_pinned():
    digest = compute_event_hash(SUBMITTED_EVENT)

    assert digest == "2e32cb13c74b6d7741da921c780bcbd52c8cac3ce123494318d83840521672fc"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("object_id", "78"),
        ("sequence", 3),
        ("actor_id", None),
        ("on_behalf_of_id", 6),
        ("occurred_at", datetime(2025, 3, 14, 9, 30, 0, 1, tzinfo=UTC)),
        ("amounts", {"total_gross_amount": "1210.01", "currency": "EUR"}),
        ("data", {}),
        ("previous_hash", "f" * 64),
    ],
)
def test_event_hash_covers_field(name, value):
    changed = {**SUBMITTED_EVENT, name: value}

    assert compute_event_hash(changed) != compute_event_hash(SUBMITTED_EVENT)


def test_seal_digest_is_pinned():
    digest = compute_seal_digest(
        sequence=1,
        sealed_at=datetime(2025, 3, 14, 9, 31, tzinfo=UTC),
        previous_hash=GENESIS_HASH,
        events=iter([(10, "a" * 64), (11, "b" * 64), (14, "c" * 64)]),
    )

    assert digest.hash == (
        "5d47d5864b3552ba1744ba2754dcd0507cbb0297b332390b61b7a8a7459ff863"
    )
    assert digest.event_count == 3
    assert digest.first_event_id == 10
    assert digest.last_event_id == 14


def test_seal_digest_depends_on_event_order():
    sealed_at = datetime(2025, 3, 14, 9, 31, tzinfo=UTC)
    in_order = [(10, "a" * 64), (11, "b" * 64)]

    forward = compute_seal_digest(
        sequence=1, sealed_at=sealed_at, previous_hash=GENESIS_HASH, events=in_order
    )
    backward = compute_seal_digest(
        sequence=1,
        sealed_at=sealed_at,
        previous_hash=GENESIS_HASH,
        events=reversed(in_order),
    )

    assert forward.hash != backward.hash
